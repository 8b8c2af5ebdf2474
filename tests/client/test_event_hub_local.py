"""The event hub without a server: local subscribers, synchronous publishing,
queued asynchronous publishing, ``wait()`` and reply routing."""

from __future__ import annotations

import json
import logging
import platform
import queue
import socket
import threading
import time
from typing import Any

import pytest

from ftrack_api.event.base import Event
from ftrack_api.event.hub import EventHub
from ftrack_api.event.subscriber import Subscriber
from ftrack_api.exception import (
    EventHubConnectionError,
    NotFoundError,
    NotUniqueError,
    ParseError,
)


@pytest.fixture
def hub() -> EventHub:
    return EventHub("https://studio.example.com", "jane", "secret-key")


# Construction and addresses ---------------------------------------------------


@pytest.mark.parametrize(
    "url, server_url, location",
    [
        ("https://test.example.com", "https://test.example.com", "test.example.com"),
        ("https://test.example.com:9000", "https://test.example.com:9000", "test.example.com:9000"),
        ("http://localhost:8000/some/prefix", "http://localhost:8000", "localhost:8000"),
    ],
)
def test_server_addresses(url: str, server_url: str, location: str) -> None:
    hub = EventHub(url, "user", "key")
    assert hub.get_server_url() == server_url
    assert hub.get_network_location() == location
    assert hub.server.scheme == url.split(":")[0]
    assert hub.server.hostname == location.split(":")[0]


def test_secure_only_for_https() -> None:
    assert EventHub("https://a.example.com", "u", "k").secure is True
    assert EventHub("http://a.example.com", "u", "k").secure is False


@pytest.mark.parametrize("url", ["test.example.com", "https://:9000", ""])
def test_url_without_scheme_or_hostname_is_rejected(url: str) -> None:
    with pytest.raises(ValueError):
        EventHub(url, "user", "key")


@pytest.mark.parametrize("name", ["headers", "cookies"])
def test_headers_and_cookies_must_be_mappings(name: str) -> None:
    with pytest.raises(TypeError):
        EventHub("https://a.example.com", "u", "k", **{name: [("a", "b")]})
    EventHub("https://a.example.com", "u", "k", **{name: {"a": "b"}})


def test_identity(hub: EventHub) -> None:
    assert len(hub.id) == 32
    assert hub.id != EventHub("https://a.example.com", "u", "k").id
    assert isinstance(hub.logger, logging.Logger)
    assert hub.connected is False


# Synchronous publishing ------------------------------------------------------------


def test_synchronous_publish_runs_in_priority_order(hub: EventHub) -> None:
    hub.subscribe("topic=test", lambda event: "C", priority=70)
    hub.subscribe("topic=test", lambda event: "A", priority=50)
    hub.subscribe("topic=test", lambda event: "B", priority=60)
    hub.subscribe("topic=other", lambda event: "X", priority=10)

    assert hub.publish(Event(topic="test"), synchronous=True) == ["A", "B", "C"]


def test_synchronous_publish_keeps_none_results_and_registration_order(hub: EventHub) -> None:
    hub.subscribe("topic=test", lambda event: None)
    hub.subscribe("topic=test", lambda event: 1)
    assert hub.publish(Event(topic="test"), synchronous=True) == [None, 1]


def test_synchronous_publish_runs_in_publishing_thread_without_a_connection(hub: EventHub) -> None:
    threads = []
    hub.subscribe("topic=test", lambda event: threads.append(threading.current_thread()))
    hub.publish(Event(topic="test"), synchronous=True)
    assert threads == [threading.current_thread()]


def test_stop_skips_later_subscribers(hub: EventHub) -> None:
    called = []

    def stopper(event: Event) -> str:
        called.append("B")
        event.stop()
        return "B"

    hub.subscribe("topic=test", lambda event: called.append("A"), priority=50)
    hub.subscribe("topic=test", stopper, priority=60)
    hub.subscribe("topic=test", lambda event: called.append("C"), priority=70)

    event = Event(topic="test")
    results = hub.publish(event, synchronous=True)
    assert called == ["A", "B"]
    assert results == [None, "B"]
    assert event.is_stopped() is True


def test_target_limits_subscribers_by_metadata(hub: EventHub) -> None:
    called = []
    hub.subscribe("topic=test", lambda e: called.append("one"), subscriber={"id": "one", "kind": "a"})
    hub.subscribe("topic=test", lambda e: called.append("two"), subscriber={"id": "two", "kind": "b"})

    hub.publish(Event(topic="test", target="id=two"), synchronous=True)
    assert called == ["two"]

    called.clear()
    hub.publish(Event(topic="test", target="kind=a or kind=b"), synchronous=True)
    assert called == ["one", "two"]

    called.clear()
    hub.publish(Event(topic="test", target="id=nobody"), synchronous=True)
    assert called == []


def test_unparsable_target_drops_event_with_log(hub: EventHub, caplog: pytest.LogCaptureFixture) -> None:
    called = []
    hub.subscribe("topic=test", called.append)
    with caplog.at_level(logging.ERROR, logger="ftrack_api.event.hub"):
        assert hub.publish(Event(topic="test", target="not valid"), synchronous=True) == []
    assert called == []
    assert "failed to parse event target" in caplog.text


def test_handler_exception_is_logged_and_others_still_run(
    hub: EventHub, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(event: Event) -> None:
        raise RuntimeError("handler exploded")

    hub.subscribe("topic=test", lambda event: "A", priority=1)
    hub.subscribe("topic=test", broken, priority=2)
    hub.subscribe("topic=test", lambda event: "C", priority=3)

    with caplog.at_level(logging.ERROR, logger="ftrack_api.event.hub"):
        results = hub.publish(Event(topic="test"), synchronous=True)

    assert results == ["A", "C"]
    errors = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert len(errors) == 1
    assert "Error calling subscriber" in errors[0].getMessage()
    assert "handler exploded" in caplog.text


def test_publish_fills_in_source(hub: EventHub) -> None:
    seen: list[Event] = []
    hub.subscribe("topic=test", seen.append)
    hub.publish(Event(topic="test"), synchronous=True)
    assert seen[0]["source"] == {
        "id": hub.id,
        "user": {"username": "jane"},
        "host": platform.node(),
    }

    event = Event(topic="test", source={"id": "mine", "user": {"username": "bob"}})
    hub.publish(event, synchronous=True)
    assert event["source"]["id"] == "mine"
    assert event["source"]["user"] == {"username": "bob"}
    assert event["source"]["host"] == platform.node()


def test_subscription_on_source_user(hub: EventHub) -> None:
    hub.subscribe("topic=test and source.user.username=jane", lambda event: "mine")
    hub.subscribe("topic=test and source.user.username=bob", lambda event: "bob's")
    assert hub.publish(Event(topic="test"), synchronous=True) == ["mine"]


# Subscribers -----------------------------------------------------------------------


def test_subscribe_returns_generated_or_given_id(hub: EventHub) -> None:
    generated = hub.subscribe("topic=a", print)
    assert len(generated) == 32
    metadata = {"id": "given", "applicationId": "tests"}
    assert hub.subscribe("topic=a", print, subscriber=metadata) == "given"

    found = hub.get_subscriber_by_identifier("given")
    assert isinstance(found, Subscriber)
    assert found.metadata is metadata
    assert hub.get_subscriber_by_identifier("missing") is None


def test_duplicate_subscriber_id(hub: EventHub) -> None:
    hub.subscribe("topic=a", print, subscriber={"id": "dup"})
    with pytest.raises(NotUniqueError) as caught:
        hub.subscribe("topic=b", print, subscriber={"id": "dup"})
    assert "dup already exists" in str(caught.value)


def test_bad_subscription_expression(hub: EventHub) -> None:
    with pytest.raises(ParseError):
        hub.subscribe("invalid", print)
    assert hub._subscribers == []


def test_unsubscribe(hub: EventHub) -> None:
    called = []
    identifier = hub.subscribe("topic=test", lambda event: called.append("a"))
    hub.subscribe("topic=test", lambda event: called.append("b"))
    hub.unsubscribe(identifier)
    hub.publish(Event(topic="test"), synchronous=True)
    assert called == ["b"]
    assert hub.get_subscriber_by_identifier(identifier) is None


def test_unsubscribe_missing(hub: EventHub) -> None:
    with pytest.raises(NotFoundError) as caught:
        hub.unsubscribe("never-subscribed")
    assert "missing subscriber with identifier never-subscribed" in str(caught.value)


def test_subscription_context_manager(hub: EventHub) -> None:
    called = []
    with hub.subscription("topic=test", called.append, subscriber={"id": "ctx"}) as identifier:
        assert identifier == "ctx"
        assert hub.get_subscriber_by_identifier("ctx") is not None
        hub.publish(Event(topic="test"), synchronous=True)
    assert hub.get_subscriber_by_identifier("ctx") is None
    hub.publish(Event(topic="test"), synchronous=True)
    assert len(called) == 1


def test_subscription_context_manager_unsubscribes_on_error(hub: EventHub) -> None:
    with pytest.raises(RuntimeError), hub.subscription("topic=test", print, subscriber={"id": "ctx"}):
        raise RuntimeError("boom")
    assert hub.get_subscriber_by_identifier("ctx") is None


# Asynchronous publishing without a server --------------------------------------


def test_async_publish_without_connection_raises(hub: EventHub) -> None:
    with pytest.raises(EventHubConnectionError):
        hub.publish(Event(topic="test"))
    assert hub._event_send_queue.empty()


def test_async_publish_error_can_be_ignored(hub: EventHub) -> None:
    assert hub.publish(Event(topic="test"), on_error="ignore") is None


def test_async_publish_queues_while_connection_initialising(hub: EventHub) -> None:
    called = []
    hub.subscribe("topic=test", called.append)
    hub.init_connection()

    event = Event(topic="test")
    assert hub.publish(event) is True
    assert called == []  # never handled locally: only via the server

    queued = hub._event_send_queue.get_nowait()
    assert queued[0] is event
    assert event["source"]["id"] == hub.id


def test_init_connection_adds_reply_subscriber_once(hub: EventHub) -> None:
    hub.init_connection()
    hub.init_connection()
    replies = [s for s in hub._subscribers if str(s.subscription) == "topic=ftrack.meta.reply"]
    assert len(replies) == 1
    assert replies[0].metadata == {"id": hub.id}


# Connection lifecycle without a server ------------------------------------------


def _closed_port() -> int:
    """A loopback port nothing listens on (so connecting fails at once)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def unreachable_hub() -> EventHub:
    return EventHub(f"http://127.0.0.1:{_closed_port()}", "jane", "secret-key")


def test_connect_fails_clearly_and_leaves_hub_queueing(unreachable_hub: EventHub) -> None:
    hub = unreachable_hub
    with pytest.raises(EventHubConnectionError) as caught:
        hub.connect()
    assert "Failed to connect to event server" in str(caught.value)
    assert hub.get_server_url() in str(caught.value)
    assert hub.connected is False
    # The connection stays wanted, as after a failed auto-connect.
    assert hub.publish(Event(topic="test")) is True


def test_disconnect_when_not_connected(hub: EventHub) -> None:
    with pytest.raises(EventHubConnectionError) as caught:
        hub.disconnect()
    assert "Not currently connected" in str(caught.value)


def test_reconnect_reports_attempts(unreachable_hub: EventHub) -> None:
    hub = unreachable_hub
    with pytest.raises(EventHubConnectionError) as caught:
        hub.reconnect(attempts=2, delay=0)
    assert "Failed to reconnect to event server" in str(caught.value)
    assert "after 2 attempts" in str(caught.value)
    assert hub.get_server_url() in str(caught.value)


# wait() ----------------------------------------------------------------------------


def test_wait_requires_initialised_connection(hub: EventHub) -> None:
    with pytest.raises(EventHubConnectionError):
        hub.wait(0)


def test_wait_handles_queued_events_in_calling_thread(hub: EventHub) -> None:
    seen: list[tuple[str, threading.Thread]] = []
    hub.subscribe("topic=test", lambda e: seen.append((e["data"]["n"], threading.current_thread())))
    hub.init_connection()
    for n in range(3):
        hub._event_queue.put(Event(topic="test", data={"n": n}))
    hub._event_queue.put(Event(topic="ignored", data={"n": 99}))

    hub.wait(0.3)

    assert [n for n, _ in seen] == [0, 1, 2]
    assert all(thread is threading.current_thread() for _, thread in seen)
    assert hub._event_queue.empty()


def test_wait_handles_events_queued_by_another_thread(hub: EventHub) -> None:
    seen: list[Event] = []
    hub.subscribe("topic=test", seen.append)
    hub.init_connection()
    timer = threading.Timer(0.1, hub._event_queue.put, args=[Event(topic="test")])
    timer.start()
    try:
        hub.wait(1.0)
    finally:
        timer.cancel()
    assert len(seen) == 1


def test_wait_returns_for_duration(hub: EventHub) -> None:
    hub.init_connection()
    started = time.monotonic()
    hub.wait(0.2)
    assert time.monotonic() - started >= 0.2


def test_wait_returns_early_on_disconnected(hub: EventHub) -> None:
    hub.init_connection()
    hub._event_queue.put(Event(topic="ftrack.meta.disconnected"))
    started = time.monotonic()
    hub.wait(10)
    assert time.monotonic() - started < 5
    # Without a duration, too.
    hub._event_queue.put(Event(topic="ftrack.meta.disconnected"))
    hub.wait()


def test_wait_replies_with_handler_results(hub: EventHub) -> None:
    hub.subscribe("topic=question", lambda event: {"answer": 42}, subscriber={"id": "answerer"})
    hub.subscribe("topic=question", lambda event: None)
    hub.subscribe("topic=question", lambda event: 0)
    hub.init_connection()
    question = Event(topic="question", source={"id": "asker-hub"})
    hub._event_queue.put(question)

    hub.wait(0.2)

    replies = []
    while not hub._event_send_queue.empty():
        replies.append(hub._event_send_queue.get_nowait()[0])
    assert [reply["data"] for reply in replies] == [{"answer": 42}, {}]
    first = replies[0]
    assert first["topic"] == "ftrack.meta.reply"
    assert first["target"] == "id=asker-hub"
    assert first["in_reply_to_event"] == question["id"]
    assert first["source"]["id"] == "answerer"
    assert first["source"]["user"] == {"username": "jane"}
    # The subscriber's own metadata is left as it was.
    assert hub.get_subscriber_by_identifier("answerer").metadata == {"id": "answerer"}


def test_on_reply_receives_replies_routed_through_wait(hub: EventHub) -> None:
    hub.init_connection()
    replies: list[Event] = []
    question = Event(topic="question")
    assert hub.publish(question, on_reply=replies.append) is True

    # What the server would deliver: replies targeted at this hub.
    for answer in ("one", "two"):
        reply = Event(topic="ftrack.meta.reply", data=answer)
        hub._prepare_reply_event(reply, question, source={"id": "answerer"})
        hub._event_queue.put(reply)
    unrelated = Event(topic="ftrack.meta.reply", data="other", in_reply_to_event="x",
                      target=f"id={hub.id}")
    hub._event_queue.put(unrelated)

    hub.wait(0.3)

    assert [reply["data"] for reply in replies] == ["one", "two"]


def test_publish_reply_targets_the_source_hub(hub: EventHub) -> None:
    hub.init_connection()
    source_event = Event(topic="question", source={"id": "other-hub"})
    hub.publish_reply(source_event, data={"ok": True})

    reply = hub._event_send_queue.get_nowait()[0]
    assert reply["topic"] == "ftrack.meta.reply"
    assert reply["target"] == "id=other-hub"
    assert reply["in_reply_to_event"] == source_event["id"]
    assert reply["data"] == {"ok": True}
    assert reply["source"]["id"] == hub.id


def test_prepare_reply_event(hub: EventHub) -> None:
    source_event = Event("source", source={"id": "source-id"})
    reply = Event("reply")
    hub._prepare_reply_event(reply, source_event)
    assert reply["target"] == "id=source-id"
    assert reply["in_reply_to_event"] == source_event["id"]
    hub._prepare_reply_event(reply, source_event, {"id": "me"})
    assert reply["source"] == {"id": "me"}


# Wire codec and packets -----------------------------------------------------------


def test_encode_and_decode_rename_reply_field(hub: EventHub) -> None:
    event = Event("test", data={"é": "ü"}, in_reply_to_event="abc")
    encoded = hub._encode({"name": "ftrack.event", "args": [event]})
    assert "inReplyToEvent" in encoded
    assert "in_reply_to_event" not in encoded
    assert "é" in encoded  # not ASCII-escaped

    decoded = hub._decode(encoded)
    payload = decoded["args"][0]
    assert payload["in_reply_to_event"] == "abc"
    assert "inReplyToEvent" not in payload
    assert Event(**payload) == event

    nested = hub._decode(json.dumps({"outer": {"inReplyToEvent": "x"}}))
    assert nested == {"outer": {"in_reply_to_event": "x"}}


def test_event_packet_is_queued_for_wait(hub: EventHub) -> None:
    event = Event("from.server", data={"k": 1}, in_reply_to_event="r")
    hub._handle_packet("5", "", "", hub._encode({"name": "ftrack.event", "args": [event]}))
    received = hub._event_queue.get_nowait()
    assert dict(received) == dict(event)


@pytest.mark.parametrize(
    "data",
    [
        "not json",
        json.dumps({"name": "ftrack.event", "args": []}),
        json.dumps({"name": "ftrack.event", "args": [{"topic": "a"}, {"topic": "b"}]}),
        json.dumps({"name": "ftrack.event", "args": [{"topic": "a", "extra": 1}]}),
        json.dumps(["not", "an", "object"]),
    ],
)
def test_bad_event_packets_are_dropped(hub: EventHub, data: str) -> None:
    hub._handle_packet("5", "", "", data)
    assert hub._event_queue.empty()


def test_connect_packet_queues_meta_event(hub: EventHub) -> None:
    hub._handle_packet("1", "", "", "")
    event = hub._event_queue.get_nowait()
    assert event["topic"] == "ftrack.meta.connected"
    assert event["source"]["id"] == hub.id


def test_acknowledgement_calls_packet_callback(hub: EventHub) -> None:
    responses: list[Any] = []
    packet_id = hub._add_packet_callback(responses.append)
    assert packet_id.endswith("+")
    number = packet_id.rstrip("+")

    hub._handle_packet("6", "", "", f"{number}+" + json.dumps([{"success": True}]))
    assert responses == [{"success": True}]
    # Unknown and malformed acknowledgements are ignored.
    hub._handle_packet("6", "", "", f"{number}+" + json.dumps([{"success": True}]))
    hub._handle_packet("6", "", "", "nonsense")
    other = hub._add_packet_callback(responses.append).rstrip("+")
    hub._handle_packet("6", "", "", f"{other}+[]")
    hub._handle_packet("6", "", "", f"{other}")
    hub._handle_packet("8", "", "", "")
    assert responses == [{"success": True}]


# The transport hook ------------------------------------------------------------------
#
# These tests plug an in-memory stand-in for the websocket into the one hook,
# ``_open_connection``, and drive connect / publish / receive / disconnect
# without a network (test_event_hub_remote.py uses real servers).


class _MemoryWebsocket:
    """In-memory stand-in for a websocket: records sends, replays pushes."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.incoming: queue.Queue[str | None] = queue.Queue()
        self.connected = True

    def send(self, text: str) -> None:
        if not self.connected:
            raise OSError("closed")
        self.sent.append(text)

    def recv(self) -> str:
        item = self.incoming.get(timeout=5)
        if item is None:
            raise OSError("closed")
        return item

    def close(self) -> None:
        self.connected = False
        self.incoming.put(None)


class _MemoryHub(EventHub):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.websocket = _MemoryWebsocket()

    def _open_connection(self) -> _MemoryWebsocket:
        self.websocket = _MemoryWebsocket()
        return self.websocket


def _sent_events(hub: _MemoryHub) -> list[tuple[str, dict[str, Any]]]:
    """``(packet id, event payload)`` for each event packet sent so far."""
    events = []
    for packet in list(hub.websocket.sent):
        code, packet_id, _endpoint, data = packet.split(":", 3)
        if code == "5":
            body = json.loads(data)
            assert body["name"] == "ftrack.event"
            (payload,) = body["args"]
            events.append((packet_id, payload))
    return events


@pytest.fixture
def memory_hub() -> Any:
    hub = _MemoryHub("https://studio.example.com", "jane", "secret-key")
    yield hub
    if hub.connected:
        hub.disconnect()


def test_connect_announces_subscribers_then_flushes_queue(memory_hub: _MemoryHub) -> None:
    memory_hub.subscribe("topic=test", print, subscriber={"id": "early"})
    memory_hub.init_connection()
    queued = Event(topic="test")
    assert memory_hub.publish(queued) is True

    memory_hub.connect()
    assert memory_hub.connected is True
    with pytest.raises(EventHubConnectionError, match="Already connected"):
        memory_hub.connect()

    sent = _sent_events(memory_hub)
    topics = [payload["topic"] for _, payload in sent]
    assert topics == ["ftrack.meta.subscribe", "ftrack.meta.subscribe", "test"]
    subscribed = {payload["data"]["subscriber"]["id"]: payload["data"]["subscription"]
                  for _, payload in sent[:2]}
    assert subscribed == {"early": "topic=test", memory_hub.id: "topic=ftrack.meta.reply"}
    assert sent[2][1]["id"] == queued["id"]
    assert "inReplyToEvent" in sent[2][1]
    # Every packet asks for an acknowledgement, numbered from 1.
    assert [packet_id for packet_id, _ in sent] == ["1+", "2+", "3+"]
    assert memory_hub._event_send_queue.empty()


def test_subscribe_while_connected_tells_server(memory_hub: _MemoryHub) -> None:
    memory_hub.connect()
    before = len(_sent_events(memory_hub))
    identifier = memory_hub.subscribe("topic=later", print)
    memory_hub.unsubscribe(identifier)
    sent = _sent_events(memory_hub)[before:]
    assert [payload["topic"] for _, payload in sent] == [
        "ftrack.meta.subscribe",
        "ftrack.meta.unsubscribe",
    ]
    assert sent[1][1]["data"]["subscriber"]["id"] == identifier


def test_received_events_are_handled_in_wait_and_replied_to(memory_hub: _MemoryHub) -> None:
    memory_hub.subscribe("topic=question", lambda event: "answer", subscriber={"id": "me"})
    memory_hub.connect()
    question = Event("question", source={"id": "asker"})
    memory_hub.websocket.incoming.put(
        "5:::" + memory_hub._encode({"name": "ftrack.event", "args": [question]})
    )

    memory_hub.wait(0.5)

    replies = [p for _, p in _sent_events(memory_hub) if p["topic"] == "ftrack.meta.reply"]
    assert len(replies) == 1
    assert replies[0]["data"] == "answer"
    assert replies[0]["target"] == "id=asker"
    assert replies[0]["inReplyToEvent"] == question["id"]
    assert replies[0]["source"]["id"] == "me"


def test_heartbeat_is_echoed(memory_hub: _MemoryHub) -> None:
    memory_hub.connect()
    memory_hub.websocket.incoming.put("2::")
    deadline = time.monotonic() + 5
    while "2:::" not in memory_hub.websocket.sent and time.monotonic() < deadline:
        time.sleep(0.01)
    assert "2:::" in memory_hub.websocket.sent


def test_failed_publish_acknowledgement_is_logged(
    memory_hub: _MemoryHub, caplog: pytest.LogCaptureFixture
) -> None:
    memory_hub.connect()
    memory_hub.publish(Event("test"))
    packet_id = _sent_events(memory_hub)[-1][0].rstrip("+")
    with caplog.at_level(logging.ERROR, logger="ftrack_api.event.hub"):
        memory_hub._handle_packet(
            "6", "", "", f"{packet_id}+" + json.dumps([{"success": False, "message": "nope"}])
        )
    assert "Server responded with error while publishing event" in caplog.text
    assert "nope" in caplog.text


def test_send_failure_is_logged_not_raised(
    memory_hub: _MemoryHub, caplog: pytest.LogCaptureFixture
) -> None:
    memory_hub.connect()

    def refuse(text: str) -> None:
        raise RuntimeError("socket on fire")

    memory_hub.websocket.send = refuse  # type: ignore[method-assign]
    event = Event("test")
    with caplog.at_level(logging.ERROR, logger="ftrack_api.event.hub"):
        assert memory_hub.publish(event) is None
    assert f"Error sending event {event}." in [r.getMessage() for r in caplog.records]


def test_disconnect_unsubscribes_closes_and_ends_wait(memory_hub: _MemoryHub) -> None:
    memory_hub.subscribe("topic=test", print, subscriber={"id": "sub"})
    memory_hub.connect()
    websocket = memory_hub.websocket

    memory_hub.disconnect()

    assert memory_hub.connected is False
    assert memory_hub._subscribers == []
    unsubscribed = [p["data"]["subscriber"]["id"] for _, p in _sent_events(memory_hub)
                    if p["topic"] == "ftrack.meta.unsubscribe"]
    assert sorted(unsubscribed) == sorted([memory_hub.id, "sub"])
    assert websocket.connected is False
    with pytest.raises(EventHubConnectionError):
        memory_hub.publish(Event("test"))
    # The receiver noticed the closed socket and told wait() to stop.
    memory_hub.init_connection()
    started = time.monotonic()
    memory_hub.wait(5)
    assert time.monotonic() - started < 4


def test_disconnect_for_reconnect_keeps_subscribers_and_queueing(memory_hub: _MemoryHub) -> None:
    memory_hub.subscribe("topic=test", print, subscriber={"id": "sub"})
    memory_hub.connect()
    memory_hub.disconnect(unsubscribe=False, reconnect=True)
    assert memory_hub.get_subscriber_by_identifier("sub") is not None
    assert memory_hub.publish(Event("test")) is True

    memory_hub.reconnect(attempts=1, delay=0)
    assert memory_hub.connected is True
    topics = [p["topic"] for _, p in _sent_events(memory_hub)]
    assert topics.count("ftrack.meta.subscribe") == 2
    assert topics[-1] == "test"
