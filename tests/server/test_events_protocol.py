"""The event hub's socket.io 0.9 protocol, packet by packet, against a real server process.

Uses the raw client of ``support.socketio``. Most tests share the session's
server (default heartbeat and timeout); the heartbeat and dead-connection
tests use a server of their own with short intervals.
"""

from __future__ import annotations

import threading
import time
import uuid

import httpx
import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from support.server import ServerProcess
from support.socketio import EVENT_KEYS, EventClient, StalledClient, handshake, websocket_url

HEARTBEAT = 0.3
TIMEOUT = 1.5


@pytest.fixture(scope="module")
def quick_server(tmp_path_factory: pytest.TempPathFactory):
    """A server sending heartbeats every 0.3 s and dropping clients silent for 1.5 s."""
    process = ServerProcess(tmp_path_factory.mktemp("quick-events") / "data",
                            extra_args=["--event-heartbeat", str(HEARTBEAT), "--event-timeout", str(TIMEOUT)])
    with process:
        yield process


@pytest.fixture(scope="module")
def small_queue_server(tmp_path_factory: pytest.TempPathFactory):
    """A server dropping clients once 2 MB wait for them to read."""
    process = ServerProcess(tmp_path_factory.mktemp("small-queue") / "data", extra_args=["--event-queue-mb", "2"])
    with process:
        yield process


def unique(label: str) -> str:
    return f"test.{label}.{uuid.uuid4().hex[:8]}"


# Handshake ---------------------------------------------------------------------------------


def test_handshake_with_headers_and_with_query(server: ServerProcess) -> None:
    for via in ("headers", "query"):
        response = handshake(server.url, server.api_user, server.api_key, via=via)
        assert response.status_code == 200, response.text
        sid, heartbeat, close, transports = response.text.split(":")
        assert len(sid) >= 16 and sid.isalnum()
        assert heartbeat == close == "60"
        assert "websocket" in transports.split(",")


@pytest.mark.parametrize("user, key", [("admin", "wrong"), ("nobody", "SERVER_KEY"), (None, None), ("", "")])
def test_handshake_refuses_bad_credentials(server: ServerProcess, user, key) -> None:
    key = server.api_key if key == "SERVER_KEY" else key
    for via in ("headers", "query"):
        response = handshake(server.url, user, key, via=via)
        assert response.status_code in (401, 403)
        assert "API key or user not accepted" in response.text or "needs credentials" in response.text


def test_websocket_needs_a_fresh_session_id(server: ServerProcess) -> None:
    with pytest.raises(InvalidStatus) as refused:
        connect(websocket_url(server.url, "0" * 32), proxy=None, open_timeout=5)
    assert refused.value.response.status_code == 403
    sid = handshake(server.url, server.api_user, server.api_key).text.split(":")[0]
    with connect(websocket_url(server.url, sid), proxy=None, open_timeout=5) as first:
        assert first.recv(timeout=5) == "1::"
        with pytest.raises(InvalidStatus):  # single use
            connect(websocket_url(server.url, sid), proxy=None, open_timeout=5)


def test_connect_packet_comes_first_and_the_query_string_is_ignored(server: ServerProcess) -> None:
    sid = handshake(server.url, server.api_user, server.api_key, via="query").text.split(":")[0]
    url = websocket_url(server.url, sid) + f"?api_user={server.api_user}&api_key=whatever"
    with connect(url, proxy=None, open_timeout=5) as ws:
        assert ws.recv(timeout=5) == "1::"


# Heartbeats and dead connections ----------------------------------------------------------


def test_heartbeats_keep_an_answering_client(quick_server: ServerProcess) -> None:
    with EventClient.of(quick_server) as client:
        assert client.recv(1) == "1::"
        topic = unique("alive")
        client.subscribe(f"topic={topic}")
        assert client.recv(TIMEOUT * 1.6) is None  # only heartbeats meanwhile, each answered
        assert client.heartbeats >= 3
        client.publish(topic, {"still": "here"})
        assert client.next_event(topic=topic)["data"] == {"still": "here"}


def test_silent_client_is_disconnected_and_forgotten(quick_server: ServerProcess) -> None:
    topic = unique("dead")
    with EventClient.of(quick_server, answer_heartbeats=False) as silent:
        silent.subscribe(f"topic={topic}")
        started = time.monotonic()
        frames = silent.wait_closed(TIMEOUT * 4)
        assert time.monotonic() - started >= TIMEOUT * 0.8
        assert "2::" in frames and frames[-1] == "0::"
    # A client that reads only now (so it answers heartbeats in time) finds the server well.
    with EventClient.of(quick_server) as other:
        other.subscribe(f"topic={topic}")
        other.publish(topic)
        assert other.next_event(topic=topic)
    assert "nothing received for" in quick_server.stderr_tail(200)


# Subscriptions and routing ----------------------------------------------------------------


def test_events_reach_exactly_the_matching_subscribers(server: ServerProcess) -> None:
    base = unique("route")
    with EventClient.of(server) as wild, EventClient.of(server) as exact, \
            EventClient.of(server) as other, EventClient.of(server) as publisher:
        wild.subscribe(f"topic={base}.*")
        wild.subscribe(f"topic={base}.a and data.kind=shot")  # a second match on one connection
        exact.subscribe(f"topic={base}.a and data.kind=shot")
        other.subscribe(f"topic={base}.b")
        sent = publisher.publish(f"{base}.a", {"kind": "shot"})
        publisher.publish(f"{base}.a", {"kind": "asset"})

        got = wild.events(0.5)
        assert [e["id"] for e in got][:1] == [sent["id"]] and len(got) == 2  # once per event, not per subscriber
        assert [e["data"]["kind"] for e in exact.events(0.3)] == ["shot"]
        assert other.events(0.2) == []
        assert publisher.events(0.2) == []  # not subscribed: nothing comes back


def test_publisher_receives_its_own_event_unchanged(server: ServerProcess) -> None:
    topic = unique("self")
    with EventClient.of(server) as client:
        client.subscribe(f"topic={topic}")
        sent = client.publish(topic, {"text": "héllo wörld ✓", "n": [1, 2.5, None, True]},
                              inReplyToEvent="abc", sent="2024-01-01T00:00:00")
        received = client.next_event(topic=topic)
        assert received == sent
        frame = next(f for f in client.frames if f.startswith("5:::"))
        assert "héllo wörld ✓" in frame  # non-ASCII is not escaped


def test_envelopes_are_cleaned_to_the_keys_clients_accept(server: ServerProcess) -> None:
    topic = unique("clean")
    with EventClient.of(server) as client:
        client.subscribe(f"topic={topic}")
        # What the JavaScript client may send: extra keys, no target, no inReplyToEvent.
        client.emit({"id": "js-1", "topic": topic, "data": {"a": 1}, "source": {"id": "x"}, "extra": 1,
                     "options": {"b": 2}}, ack=False)
        received = client.next_event(topic=topic)
        assert set(received) == EVENT_KEYS
        assert received["id"] == "js-1" and received["target"] == "" and received["inReplyToEvent"] is None


def test_unsubscribe_stops_delivery(server: ServerProcess) -> None:
    topic = unique("unsub")
    with EventClient.of(server) as client:
        client.subscribe(f"topic={topic}", "sub-1")
        client.subscribe(f"topic={topic}", "sub-1")  # the same subscriber again: tolerated
        assert client.unsubscribe("sub-1") == {"success": True}
        client.publish(topic)
        assert client.events(0.3) == []
        refused = client.unsubscribe("sub-1")
        assert refused["success"] is False and "sub-1" in refused["message"]


@pytest.mark.parametrize("expression", ["", "   ", "topic==x", "topic=", "topic=a and", "topic x", "a nor b=1"])
def test_invalid_subscription_is_refused_and_the_connection_kept(server: ServerProcess, expression: str) -> None:
    topic = unique("invalid")
    with EventClient.of(server) as client:
        result = client.subscribe(expression, check=False)
        assert result["success"] is False
        assert "subscription" in result["message"]
        client.subscribe(f"topic={topic}")
        client.publish(topic)
        assert client.next_event(topic=topic)


def test_wildcards_use_substring_matching(server: ServerProcess) -> None:
    base = unique("wild")
    with EventClient.of(server) as client:
        client.subscribe(f"topic={base.split('.', 1)[1]}*")  # no leading "test.": still contained
        client.publish(base)
        assert client.next_event(topic=base)


# Targets, replies and acks ----------------------------------------------------------------


def test_targeted_events_reach_only_the_target_subscriber(server: ServerProcess) -> None:
    topic = unique("target")
    with EventClient.of(server) as a, EventClient.of(server) as b, EventClient.of(server) as publisher:
        a.subscribe(f"topic={topic}", "subscriber-a", applicationId="app.one")
        b.subscribe(f"topic={topic}", "subscriber-b", applicationId="app.two")
        publisher.publish(topic, {"to": "a"}, target="id=subscriber-a")
        publisher.publish(topic, {"to": "two"}, target="applicationId=app.two")
        publisher.publish(topic, {"to": "nobody"}, target="id=subscriber-c")
        assert [e["data"] for e in a.events(0.4)] == [{"to": "a"}]
        assert [e["data"] for e in b.events(0.2)] == [{"to": "two"}]


def test_replies_are_routed_to_the_publishing_hub(server: ServerProcess) -> None:
    topic = unique("reply")
    with EventClient.of(server) as asker, EventClient.of(server) as responder:
        asker.subscribe_replies()
        responder.subscribe_replies()
        responder.subscribe(f"topic={topic}")
        question = asker.publish(topic, {"q": 1})
        received = responder.next_event(topic=topic)
        assert received["source"]["id"] == asker.hub_id
        reply = responder.publish("ftrack.meta.reply", {"answer": 42}, target=f"id={received['source']['id']}",
                                  inReplyToEvent=received["id"])
        got = asker.next_event(topic="ftrack.meta.reply")
        assert got == reply and got["inReplyToEvent"] == question["id"]
        assert responder.events(0.3) == []  # the reply went to its target only


def test_invalid_target_is_refused(server: ServerProcess) -> None:
    topic = unique("badtarget")
    with EventClient.of(server) as client:
        client.subscribe(f"topic={topic}")
        message_id = client.emit(client.event(topic, target="id=="))
        result = client.ack(message_id)
        assert result["success"] is False and "target" in result["message"]
        assert client.events(0.3) == []


def test_acks_carry_exactly_one_object(server: ServerProcess) -> None:
    with EventClient.of(server) as client:
        client.recv(2)
        client.send('5:41+::{"name": "ftrack.event", "args": [{"topic": "test.ack", "data": {}}]}')
        assert client.expect(lambda f: f.startswith("6:::")) == '6:::41+[{"success":true}]'
        client.send('5:::{"name": "ftrack.event", "args": [{"topic": "test.ack"}]}')  # no ack asked
        client.send('5:42::{"name": "ftrack.event", "args": [{"topic": "test.ack"}]}')  # id without "+"
        assert client.recv(0.3) is None


def test_malformed_packets_are_logged_and_the_connection_kept(server: ServerProcess) -> None:
    topic = unique("malformed")
    with EventClient.of(server) as client:
        client.subscribe(f"topic={topic}")
        for frame in ["hello", "9::", "5:x+::{}", "5:::not json", '5:::{"name": "other", "args": [{}]}',
                      '5:::{"name": "ftrack.event", "args": []}', '5:::{"name": "ftrack.event", "args": [{}]}',
                      '5:::{"name": "ftrack.event", "args": [{"topic": 1}]}', "5:::[1,2]", "", "2:", "8::"]:
            client.send(frame)
        client.send(b"\x00\x01binary")
        message_id = client.emit({"topic": topic, "target": 5})
        assert client.ack(message_id)["success"] is False
        client.send("5:900+::{broken")
        result = client.ack(900)
        assert result["success"] is False and "JSON" in result["message"]
        client.send("2:::")
        client.send("2::")
        client.publish(topic, {"after": "garbage"})
        assert client.next_event(topic=topic)["data"] == {"after": "garbage"}
    log = server.stderr_tail(400)
    assert "malformed packet" in log
    assert httpx.post(server.api_url, headers=server.headers,
                      json=[{"action": "query_server_information"}]).status_code == 200


def test_client_disconnect_packet_ends_the_connection(server: ServerProcess) -> None:
    with EventClient.of(server) as client:
        client.send("0::")
        client.wait_closed(5)


# Slow consumers ---------------------------------------------------------------------------


def test_client_that_stops_reading_is_dropped(small_queue_server: ServerProcess) -> None:
    topic = unique("stalled")
    other_topic = unique("healthy")
    stalled = StalledClient(small_queue_server.url, small_queue_server.api_user, small_queue_server.api_key)
    try:
        stalled.subscribe(f"topic={topic}")
        with EventClient.of(small_queue_server) as publisher, EventClient.of(small_queue_server) as healthy:
            # The healthy client listens elsewhere: on a busy machine a reader of the
            # flood itself could fall 2 MB behind too, which is not what this tests.
            healthy.subscribe(f"topic={other_topic}")
            blob = uuid.uuid4().hex * (256 * 1024 // 32)  # 256 KiB that does not compress
            total = 0
            for number in range(200):
                publisher.publish(topic, {"n": number, "blob": blob}, ack=False)
                total += len(blob)
                if number % 20 == 19 and "Dropping event connection" in small_queue_server.stderr_tail(200):
                    break
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and "Dropping event connection" not in small_queue_server.stderr_tail(200):
                time.sleep(0.2)
            assert "Dropping event connection" in small_queue_server.stderr_tail(200)
            # Other clients and the server are unaffected.
            publisher.publish(other_topic, {"after": True})
            assert healthy.next_event(topic=other_topic, timeout=10)["data"] == {"after": True}
        received = stalled.drain(15)  # the server closes the socket once what was written has gone
        assert received < total
    finally:
        stalled.close()


def test_many_clients_at_once(server: ServerProcess) -> None:
    topic = unique("many")
    clients = [EventClient.of(server) for _ in range(20)]
    try:
        for client in clients:
            client.subscribe(f"topic={topic}")
        errors: list[BaseException] = []

        def publish(client: EventClient, number: int) -> None:
            try:
                for i in range(5):
                    client.emit(client.event(topic, {"from": number, "i": i}), ack=False)
            except BaseException as error:  # noqa: BLE001
                errors.append(error)

        threads = [threading.Thread(target=publish, args=(c, n)) for n, c in enumerate(clients[:5])]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors
        for client in clients:
            got = [client.next_event(timeout=10, topic=topic) for _ in range(25)]
            assert client.events(0.01) == []
            for sender in range(5):  # each publisher's order is kept
                assert [e["data"]["i"] for e in got if e["data"]["from"] == sender] == list(range(5))
    finally:
        for client in clients:
            client.close()
