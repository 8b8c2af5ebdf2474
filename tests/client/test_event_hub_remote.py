"""The event hub over a real socket.io connection.

The main tests run against ``ftrack_server`` (the shared ``server`` fixture,
or a server of their own where they restart it). Faults that are hard to
provoke on the real server (the server dropping sockets, refusing to take a
client back, going silent, not offering websockets) run against the small
socket.io peer in ``tests/support/socketio_server.py``.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from support.server import ServerProcess
from support.socketio_server import SocketIoTestServer

import ftrack_api
from ftrack_api.event.base import Event
from ftrack_api.event.hub import EventHub
from ftrack_api.exception import EventHubConnectionError

MakeHub = Callable[..., EventHub]


# Helpers ----------------------------------------------------------------------------


def wait_until(predicate: Callable[[], Any], timeout: float = 10.0, step: float = 0.02) -> None:
    """Sleep until *predicate()* is true; fail after *timeout* seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {predicate}")
        time.sleep(step)


def handle_until(hub: EventHub, predicate: Callable[[], Any], timeout: float = 10.0) -> None:
    """Run *hub*'s :meth:`~EventHub.wait` in short slices until *predicate()*."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {predicate}")
        hub.wait(0.05)


def assert_nothing_reaches(listener: EventHub, publisher: EventHub, topic: str, seen: list) -> None:
    """Publish on *topic* and check *listener* handles nothing."""
    publisher.publish(Event(topic))
    settle(publisher)
    listener.wait(0.3)
    assert seen == []


def settle(hub: EventHub) -> None:
    """Return once the server has handled everything *hub* sent so far.

    The server handles a connection's packets in order, so an event the hub
    publishes to itself comes back only after its earlier subscribes did
    their work.
    """
    topic = f"test.settle.{uuid.uuid4().hex}"
    seen: list[Event] = []
    identifier = hub.subscribe(f"topic={topic}", seen.append)
    try:
        hub.publish(Event(topic))
        handle_until(hub, lambda: seen)
    finally:
        hub.unsubscribe(identifier)


def unique_topic() -> str:
    return f"test.remote.{uuid.uuid4().hex}"


def _hub_factory(url: str, api_user: str, api_key: str) -> tuple[MakeHub, list[EventHub]]:
    made: list[EventHub] = []

    def make(connect: bool = True, **kw: Any) -> EventHub:
        hub = EventHub(kw.pop("server_url", url), kw.pop("api_user", api_user),
                       kw.pop("api_key", api_key), **kw)
        # Fast reconnection for tests (the default is 30 attempts 10 s apart).
        hub._auto_reconnect_delay = 0.1
        made.append(hub)
        if connect:
            hub.connect()
        return hub

    return make, made


def _disconnect_all(hubs: list[EventHub]) -> None:
    for hub in hubs:
        hub._auto_reconnect_attempts = 0
        try:
            hub.disconnect()
        except EventHubConnectionError:
            pass


@pytest.fixture
def make_hub(server: ServerProcess) -> Iterator[MakeHub]:
    """Event hubs on the shared real server; disconnected after the test."""
    make, made = _hub_factory(server.url, server.api_user, server.api_key)
    yield make
    _disconnect_all(made)


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[ServerProcess]:
    """A real server of the test's own, which it may restart."""
    with ServerProcess(tmp_path / "data") as process:
        yield process


@pytest.fixture
def peer() -> Iterator[SocketIoTestServer]:
    """The socket.io test peer, for fault cases."""
    with SocketIoTestServer("admin", "secret", heartbeat_interval=0.1) as process:
        yield process


@pytest.fixture
def make_peer_hub(peer: SocketIoTestServer) -> Iterator[MakeHub]:
    """Event hubs on the test peer; with ``connect=True``, returned once the
    peer has taken the connection in (its handler runs a moment after the
    client's ``connect()`` returns)."""
    make, made = _hub_factory(peer.url, peer.api_user, peer.api_key)

    def make_on_peer(connect: bool = True, **kw: Any) -> EventHub:
        hub = make(connect=False, **kw)
        if connect:
            count = peer.connection_count
            hub.connect()
            wait_until(lambda: peer.connection_count > count)
        return hub

    yield make_on_peer
    _disconnect_all(made)


# Connecting and disconnecting (real server) ---------------------------------------


def test_connect_and_disconnect(make_hub: MakeHub) -> None:
    hub = make_hub(connect=False)
    assert hub.connected is False

    hub.connect()
    assert hub.connected is True
    with pytest.raises(EventHubConnectionError, match="Already connected"):
        hub.connect()

    receiver = hub._receiver
    assert receiver is not None and receiver.is_alive()
    hub.disconnect()
    assert hub.connected is False
    assert not receiver.is_alive()
    with pytest.raises(EventHubConnectionError, match="Not currently connected"):
        hub.disconnect()
    # A disconnected hub can connect again.
    hub.connect()
    assert hub.connected is True


def test_connected_meta_event_is_handled_in_wait(make_hub: MakeHub) -> None:
    hub = make_hub(connect=False)
    seen: list[Event] = []
    hub.subscribe("topic=ftrack.meta.connected", seen.append)
    hub.connect()
    handle_until(hub, lambda: seen)
    assert seen[0]["source"]["id"] == hub.id


@pytest.mark.parametrize("credentials", [
    {"api_key": "not-the-key"},
    {"api_user": "nobody-with-this-name"},
])
def test_bad_credentials_fail_to_connect(make_hub: MakeHub, credentials: dict[str, str]) -> None:
    hub = make_hub(connect=False, **credentials)
    with pytest.raises(EventHubConnectionError) as caught:
        hub.connect()
    assert "Failed to connect to event server" in str(caught.value)
    assert "status code" in str(caught.value)
    assert hub.connected is False


def test_disconnect_unsubscribes_on_the_server(make_hub: MakeHub) -> None:
    topic = unique_topic()
    listener = make_hub()
    seen: list[Event] = []
    listener.subscribe(f"topic={topic}", seen.append)
    settle(listener)
    listener.disconnect()
    # Reconnecting without re-subscribing: the server forgot the subscriber.
    listener.connect()
    listener.subscribe(f"topic={topic}.other", seen.append)
    settle(listener)

    assert_nothing_reaches(listener, make_hub(), topic, seen)


# Subscribing and publishing (real server) ---------------------------------------------


def test_subscribe_before_and_after_connect(make_hub: MakeHub) -> None:
    topic = unique_topic()
    listener = make_hub(connect=False)
    early: list[Event] = []
    late: list[Event] = []
    listener.subscribe(f"topic={topic}", early.append)
    listener.connect()
    listener.subscribe(f"topic={topic}", late.append)
    settle(listener)

    publisher = make_hub()
    publisher.publish(Event(topic, data={"n": 1}))

    handle_until(listener, lambda: early and late)
    listener.wait(0.2)
    # Once each, though both subscribers are on one connection.
    assert [event["data"] for event in early] == [{"n": 1}]
    assert [event["data"] for event in late] == [{"n": 1}]


def test_publish_reaches_other_hub_and_itself(make_hub: MakeHub) -> None:
    topic = unique_topic()
    publisher = make_hub()
    listener = make_hub()
    heard_by_publisher: list[Event] = []
    heard_by_listener: list[Event] = []
    publisher.subscribe(f"topic={topic}", heard_by_publisher.append)
    listener.subscribe(f"topic={topic}", heard_by_listener.append)
    settle(publisher)
    settle(listener)

    event = Event(topic, data={"text": "héllo", "items": [1, 2]})
    assert publisher.publish(event) is None
    # Asynchronous: nothing runs until wait().
    assert heard_by_publisher == []

    handle_until(listener, lambda: heard_by_listener)
    handle_until(publisher, lambda: heard_by_publisher)
    for received in (heard_by_listener[0], heard_by_publisher[0]):
        assert received["id"] == event["id"]
        assert received["topic"] == topic
        assert received["data"] == {"text": "héllo", "items": [1, 2]}
        assert received["source"]["id"] == publisher.id
        assert received["source"]["user"] == {"username": publisher._api_user}
        assert received["in_reply_to_event"] is None


def test_events_keep_their_order(make_hub: MakeHub) -> None:
    topic = unique_topic()
    listener = make_hub()
    seen: list[int] = []
    listener.subscribe(f"topic={topic}", lambda event: seen.append(event["data"]["n"]))
    settle(listener)
    publisher = make_hub()
    for n in range(20):
        publisher.publish(Event(topic, data={"n": n}))
    handle_until(listener, lambda: len(seen) == 20)
    assert seen == list(range(20))


def test_subscription_expression_filters_on_the_server(make_hub: MakeHub) -> None:
    topic = unique_topic()
    listener = make_hub()
    seen: list[Any] = []
    listener.subscribe(f'topic={topic} and data.kind="wanted"', lambda e: seen.append(e["data"]))
    settle(listener)
    publisher = make_hub()
    publisher.publish(Event(topic, data={"kind": "unwanted"}))
    publisher.publish(Event(topic, data={"kind": "wanted"}))
    handle_until(listener, lambda: seen)
    listener.wait(0.2)
    assert seen == [{"kind": "wanted"}]


def test_callbacks_run_only_inside_wait_in_the_calling_thread(make_hub: MakeHub) -> None:
    topic = unique_topic()
    hub = make_hub()
    threads: list[threading.Thread] = []
    hub.subscribe(f"topic={topic}", lambda event: threads.append(threading.current_thread()))
    settle(hub)
    hub.publish(Event(topic))
    time.sleep(0.3)  # delivered by now, but not handled
    assert threads == []
    assert not hub._event_queue.empty()

    started = time.monotonic()
    hub.wait(0.3)
    assert time.monotonic() - started >= 0.3
    assert threads == [threading.current_thread()]


def test_unsubscribe_while_connected(make_hub: MakeHub) -> None:
    topic = unique_topic()
    listener = make_hub()
    seen: list[Event] = []
    with listener.subscription(f"topic={topic}", seen.append):
        settle(listener)
    settle(listener)
    assert_nothing_reaches(listener, make_hub(), topic, seen)


def test_queued_publishes_are_sent_after_connect(make_hub: MakeHub) -> None:
    topic = unique_topic()
    listener = make_hub()
    seen: list[int] = []
    listener.subscribe(f"topic={topic}", lambda event: seen.append(event["data"]["n"]))
    settle(listener)

    publisher = make_hub(connect=False)
    with pytest.raises(EventHubConnectionError):
        publisher.publish(Event(topic, data={"n": 0}))
    publisher.init_connection()
    assert publisher.publish(Event(topic, data={"n": 1})) is True
    assert publisher.publish(Event(topic, data={"n": 2})) is True
    listener.wait(0.2)
    assert seen == []

    publisher.connect()
    handle_until(listener, lambda: len(seen) == 2)
    assert seen == [1, 2]
    assert publisher._event_send_queue.empty()


# Replies and targets (real server) --------------------------------------------------


def test_handler_result_comes_back_to_on_reply(make_hub: MakeHub) -> None:
    topic = unique_topic()
    asker = make_hub()
    answerer = make_hub()
    answerer.subscribe(f"topic={topic}", lambda event: {"answer": event["data"]["q"] * 2},
                       subscriber={"id": f"answerer-{uuid.uuid4().hex}", "role": "doubler"})
    settle(answerer)

    replies: list[Event] = []
    question = Event(topic, data={"q": 21})
    asker.publish(question, on_reply=replies.append)

    # The answerer handles the question in wait() and sends the reply.
    answerer.wait(0.5)
    handle_until(asker, lambda: replies)
    reply = replies[0]
    assert reply["topic"] == "ftrack.meta.reply"
    assert reply["data"] == {"answer": 42}
    assert reply["in_reply_to_event"] == question["id"]
    assert reply["target"] == f"id={asker.id}"
    assert reply["source"]["role"] == "doubler"


def test_publish_reply_reaches_only_the_asking_hub(make_hub: MakeHub) -> None:
    topic = unique_topic()
    asker = make_hub()
    bystander = make_hub()
    answerer = make_hub()
    questions: list[Event] = []
    answerer.subscribe(f"topic={topic}", questions.append)
    bystander_replies: list[Event] = []
    bystander.subscribe("topic=ftrack.meta.reply", bystander_replies.append,
                        subscriber={"id": f"bystander-{uuid.uuid4().hex}"})
    settle(answerer)
    settle(bystander)

    replies: list[Any] = []
    asker.publish(Event(topic), on_reply=lambda event: replies.append(event["data"]))
    handle_until(answerer, lambda: questions)
    answerer.publish_reply(questions[0], data="first")
    answerer.publish_reply(questions[0], data="second")

    handle_until(asker, lambda: len(replies) == 2)
    assert replies == ["first", "second"]
    settle(bystander)
    bystander.wait(0.2)
    assert bystander_replies == []


def test_targeted_event_reaches_only_the_matching_subscriber(make_hub: MakeHub) -> None:
    topic = unique_topic()
    wanted_id = f"wanted-{uuid.uuid4().hex}"
    first = make_hub()
    second = make_hub()
    seen: list[str] = []
    first.subscribe(f"topic={topic}", lambda event: seen.append("first-wanted"),
                    subscriber={"id": wanted_id})
    first.subscribe(f"topic={topic}", lambda event: seen.append("first-other"))
    second.subscribe(f"topic={topic}", lambda event: seen.append("second"))
    settle(first)
    settle(second)

    publisher = make_hub()
    publisher.publish(Event(topic, target=f"id={wanted_id}"))
    handle_until(first, lambda: seen)
    second.wait(0.3)
    first.wait(0.1)
    assert seen == ["first-wanted"]


# Session integration (real server) --------------------------------------------------


def _session(server: ServerProcess, tmp_path: Path, **kw: Any) -> ftrack_api.Session:
    return ftrack_api.Session(
        server_url=server.url, api_user=server.api_user, api_key=server.api_key,
        schema_cache_path=str(tmp_path / "schemas"), plugin_paths=[], **kw)


def test_session_auto_connects_and_close_disconnects(server: ServerProcess,
                                                    tmp_path: Path) -> None:
    session = _session(server, tmp_path, auto_connect_event_hub=True)
    hub = session.event_hub
    try:
        wait_until(lambda: hub.connected)
        topic = unique_topic()
        seen: list[Event] = []
        hub.subscribe(f"topic={topic}", seen.append)
        hub.publish(Event(topic))
        handle_until(hub, lambda: seen)
        receiver = hub._receiver
        thread = session._auto_connect_event_hub_thread
    finally:
        session.close()
    assert hub.connected is False
    assert thread is not None and not thread.is_alive()
    assert receiver is not None and not receiver.is_alive()
    assert hub._subscribers == []
    with pytest.raises(EventHubConnectionError):
        hub.publish(Event("test"))


def test_session_publishes_queue_until_auto_connect_is_up(server: ServerProcess,
                                                         tmp_path: Path,
                                                         make_hub: MakeHub) -> None:
    topic = unique_topic()
    listener = make_hub()
    seen: list[Event] = []
    listener.subscribe(f"topic={topic}", seen.append)
    settle(listener)

    session = _session(server, tmp_path, auto_connect_event_hub=True)
    try:
        # Right after construction the connection may still be on its way:
        # either way the publish is not lost.
        session.event_hub.publish(Event(topic, data={"from": "session"}))
        handle_until(listener, lambda: seen)
        assert seen[0]["data"] == {"from": "session"}
        assert seen[0]["source"]["id"] == session.event_hub.id
    finally:
        session.close()


def test_session_hub_gets_the_session_headers_and_cookies(server: ServerProcess,
                                                         tmp_path: Path) -> None:
    session = _session(server, tmp_path, strict_api=True,
                       headers={"x-studio": "north"}, cookies={"region": "eu"})
    try:
        hub = session.event_hub
        assert hub._headers == {"x-studio": "north", "ftrack-strict-api": "true"}
        assert hub._cookies["region"] == "eu"
        hub.connect()
        assert hub.connected
    finally:
        session.close()


def test_handshake_sends_credentials_headers_and_cookies(peer: SocketIoTestServer,
                                                         make_peer_hub: MakeHub) -> None:
    make_peer_hub(headers={"x-studio": "north", "ftrack-strict-api": "true"},
                  cookies={"region": "eu", "team": "fx"})
    headers = peer.handshakes[-1]["headers"]
    assert headers["ftrack-user"] == peer.api_user
    assert headers["ftrack-api-key"] == peer.api_key
    assert headers["x-studio"] == "north"
    assert headers["ftrack-strict-api"] == "true"
    assert "region=eu" in headers["cookie"] and "team=fx" in headers["cookie"]
    # The websocket request carries the custom headers and cookies too, but
    # not the credentials: the session id in its URL is enough.
    upgrade = peer.upgrades[-1]
    assert upgrade["x-studio"] == "north"
    assert "region=eu" in upgrade["cookie"]
    assert "ftrack-api-key" not in upgrade and "ftrack-user" not in upgrade


def test_commit_publishes_ftrack_update(server: ServerProcess, tmp_path: Path) -> None:
    session = _session(server, tmp_path, auto_connect_event_hub=True)
    try:
        hub = session.event_hub
        wait_until(lambda: hub.connected)
        updates: list[Event] = []
        hub.subscribe("topic=ftrack.update", updates.append)
        settle(hub)
        schema = session.query("ProjectSchema").first()
        project = session.create("Project", {
            "name": f"events_{uuid.uuid4().hex[:10]}", "full_name": "Events",
            "project_schema": schema})
        session.commit()

        def mentions_project() -> bool:
            return any(entity.get("entityId") == project["id"]
                       for update in updates
                       for entity in update["data"].get("entities", []))

        handle_until(hub, mentions_project)
    finally:
        session.close()


def test_print_updates_example_plugin(server: ServerProcess, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    # docs/examples/print_updates_plugin.py, loaded as a plugin, as docs/events.md shows.
    examples = Path(__file__).resolve().parents[2] / "docs" / "examples"
    listener = ftrack_api.Session(
        server_url=server.url, api_user=server.api_user, api_key=server.api_key,
        schema_cache_path=str(tmp_path / "schemas"), plugin_paths=[str(examples)],
        auto_connect_event_hub=True)
    writer = _session(server, tmp_path)
    try:
        wait_until(lambda: listener.event_hub.connected)
        settle(listener.event_hub)
        schema = writer.query("ProjectSchema").first()
        project = writer.create("Project", {
            "name": f"plugin_{uuid.uuid4().hex[:10]}", "full_name": "Plugin",
            "project_schema": schema})
        writer.commit()
        printed: list[str] = []

        def printed_project() -> bool:
            printed.append(capsys.readouterr().out)
            return project["id"] in "".join(printed)

        handle_until(listener.event_hub, printed_project)
        line = next(line for line in "".join(printed).splitlines() if project["id"] in line)
        assert line.split()[:2] == ["add", "Project"]
    finally:
        writer.close()
        listener.close()


# Reconnecting (real server, restarted) -----------------------------------------------


def test_reconnects_after_server_restart_and_restores_subscriptions(
        own_server: ServerProcess) -> None:
    make, made = _hub_factory(own_server.url, own_server.api_user, own_server.api_key)
    try:
        topic = unique_topic()
        listener = make(connect=False)
        seen: list[Event] = []
        connected: list[Event] = []
        listener.subscribe(f"topic={topic}", seen.append, subscriber={"id": "kept"})
        listener.subscribe("topic=ftrack.meta.connected", connected.append)
        listener.connect()
        settle(listener)
        first_receiver = listener._receiver

        own_server.restart()

        # Noticed the lost connection and came back on its own.
        handle_until(listener, lambda: len(connected) >= 2, timeout=30)
        assert listener.connected
        assert listener._receiver is not first_receiver
        assert first_receiver is not None and not first_receiver.is_alive()
        settle(listener)

        publisher = make()
        publisher.publish(Event(topic, data={"after": "restart"}))
        handle_until(listener, lambda: seen)
        assert seen[0]["data"] == {"after": "restart"}
    finally:
        _disconnect_all(made)


def test_heartbeats_keep_the_connection_alive(tmp_path: Path) -> None:
    # The server drops connections silent for a second, and sends heartbeats
    # five times a second: only the hub's answers keep it connected.
    with ServerProcess(tmp_path / "data",
                       extra_args=["--event-heartbeat", "0.2", "--event-timeout", "1"]) as server:
        make, made = _hub_factory(server.url, server.api_user, server.api_key)
        try:
            hub = make()
            receiver = hub._receiver
            time.sleep(2.5)
            assert hub.connected
            assert hub._receiver is receiver  # the same connection throughout
        finally:
            _disconnect_all(made)


# Faults, against the socket.io test peer ------------------------------------------------


def test_heartbeats_are_answered(peer: SocketIoTestServer, make_peer_hub: MakeHub) -> None:
    make_peer_hub()
    wait_until(lambda: peer.heartbeat_replies >= 3)
    assert "2:::" in peer.received


def test_server_without_websocket_transport_is_refused(make_peer_hub: MakeHub,
                                                       peer: SocketIoTestServer) -> None:
    peer.transports = "xhr-polling,jsonp-polling"
    hub = make_peer_hub(connect=False)
    with pytest.raises(EventHubConnectionError, match="does not support websocket"):
        hub.connect()


def test_unreachable_server_fails_to_connect(peer: SocketIoTestServer,
                                             make_peer_hub: MakeHub) -> None:
    peer.stop()
    hub = make_peer_hub(connect=False)
    with pytest.raises(EventHubConnectionError, match="Failed to connect to server"):
        hub.connect()


@pytest.mark.parametrize("send_disconnect", [True, False], ids=["0-packet", "socket-closed"])
def test_reconnects_when_server_drops_the_connection(
        peer: SocketIoTestServer, make_peer_hub: MakeHub, send_disconnect: bool) -> None:
    topic = unique_topic()
    hub = make_peer_hub(connect=False)
    seen: list[Event] = []
    hub.subscribe(f"topic={topic}", seen.append, subscriber={"id": "kept"})
    hub.connect()
    settle(hub)
    assert peer.connection_count == 1

    peer.drop_connections(send_disconnect=send_disconnect)

    wait_until(lambda: peer.connection_count == 2 and hub.connected)
    wait_until(lambda: "kept" in peer.subscriber_ids())
    hub.publish(Event(topic))
    handle_until(hub, lambda: seen)


def test_publishes_queue_while_reconnecting(peer: SocketIoTestServer,
                                            make_peer_hub: MakeHub) -> None:
    topic = unique_topic()
    hub = make_peer_hub(connect=False)
    hub._auto_reconnect_delay = 0.5
    seen: list[Event] = []
    hub.subscribe(f"topic={topic}", seen.append)
    hub.connect()
    settle(hub)

    peer.refuse_handshakes = True
    peer.drop_connections()
    wait_until(lambda: not hub.connected)
    assert hub.publish(Event(topic, data={"queued": True})) is True
    peer.refuse_handshakes = False

    handle_until(hub, lambda: seen)
    assert seen[0]["data"] == {"queued": True}


def test_gives_up_after_the_reconnect_attempts(peer: SocketIoTestServer,
                                               make_peer_hub: MakeHub) -> None:
    hub = make_peer_hub()
    hub._auto_reconnect_attempts = 3
    disconnected: list[Event] = []
    hub.subscribe("topic=ftrack.meta.disconnected", disconnected.append)
    handshakes_before = len(peer.handshakes)

    peer.refuse_handshakes = True
    peer.drop_connections()

    started = time.monotonic()
    hub.wait(10)  # returns once ftrack.meta.disconnected was handled
    assert time.monotonic() - started < 8
    assert len(disconnected) == 1
    assert len(peer.handshakes) - handshakes_before == 3
    assert hub.connected is False


def test_silent_server_counts_as_lost(peer: SocketIoTestServer,
                                      make_peer_hub: MakeHub) -> None:
    peer.silent = True
    hub = make_peer_hub(connect=False)
    hub._receive_timeout = 0.5
    hub.connect()
    wait_until(lambda: peer.connection_count == 1)
    # No frame within the receive timeout: the hub reconnects.
    wait_until(lambda: peer.connection_count >= 2)


def test_disconnect_stops_automatic_reconnection(peer: SocketIoTestServer,
                                                 make_peer_hub: MakeHub) -> None:
    hub = make_peer_hub()
    hub._auto_reconnect_delay = 0.2
    peer.refuse_handshakes = True
    peer.drop_connections()
    wait_until(lambda: len(peer.handshakes) >= 3)  # retrying

    with pytest.raises(EventHubConnectionError, match="Not currently connected"):
        hub.disconnect()
    peer.refuse_handshakes = False
    count = len(peer.handshakes)
    time.sleep(0.6)
    assert len(peer.handshakes) <= count + 1  # at most the attempt under way
    assert hub.connected is False
    with pytest.raises(EventHubConnectionError):
        hub.publish(Event("test"))


def test_receiver_survives_odd_packets(peer: SocketIoTestServer,
                                       make_peer_hub: MakeHub) -> None:
    topic = unique_topic()
    hub = make_peer_hub()
    seen: list[Event] = []
    hub.subscribe(f"topic={topic}", seen.append)
    settle(hub)
    # Unknown codes, errors, malformed acks and events, a binary frame.
    for packet in ("8::", "7:::oops", "6:::999+[]", "6:::1+not json", "5:::{}", "3:::hi"):
        peer.send_to_all(packet)
    for client in peer.clients():
        client.connection.send(b"\x00\x01")
    hub.publish(Event(topic))
    handle_until(hub, lambda: seen)
    assert hub.connected
