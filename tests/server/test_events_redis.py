"""Events between server processes through Redis, and a server carrying on when Redis is away.

Two server processes, each with its own data directory, share one private
``redis-server``: what is published on one reaches subscribers of the other.
"""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import pytest

from ftrack_server.store import seed
from support.server import ServerProcess, free_port
from support.services import RedisServer, ServiceUnavailable, skip_or_fail
from support.socketio import EventClient


@pytest.fixture(scope="module")
def twin_servers(redis_url: str, tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("twins")
    first = ServerProcess(root / "one", extra_args=["--redis-url", redis_url])
    # The second takes the URL from the environment, as a deployment would.
    second = ServerProcess(root / "two", env={"FTRACK_SERVER_REDIS_URL": redis_url})
    with first, second:
        yield first, second


def await_link(subscriber: EventClient, publisher: EventClient, topic: str, timeout: float = 15.0) -> None:
    """Publish probes until one crosses over: both processes are then subscribed to Redis."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        publisher.publish(topic, {"probe": True})
        if any(e["topic"] == topic for e in subscriber.events(0.2)):
            return
    raise AssertionError(f"no event crossed between the servers within {timeout} s")


def test_events_cross_between_processes(twin_servers) -> None:
    one, two = twin_servers
    topic = f"test.redis.{uuid.uuid4().hex[:8]}"
    with EventClient.of(one) as subscriber, EventClient.of(two) as publisher, EventClient.of(two) as local:
        subscriber.subscribe(f"topic={topic}*")
        subscriber.subscribe_replies()
        local.subscribe(f"topic={topic}*")
        await_link(subscriber, publisher, f"{topic}.probe")
        local.events(0.3)

        sent = [publisher.publish(f"{topic}.data", {"n": n}) for n in range(5)]
        got = [e for e in subscriber.events(0.5) if e["topic"] == f"{topic}.data"]
        assert got == sent  # unchanged, in order, exactly once
        assert [e["id"] for e in local.events(0.3) if e["topic"] == f"{topic}.data"] == [e["id"] for e in sent]

        # A reply published on the other process reaches the asking hub.
        publisher.publish("ftrack.meta.reply", {"answer": 1}, target=f"id={subscriber.hub_id}", inReplyToEvent=sent[0]["id"])
        assert subscriber.next_event(topic="ftrack.meta.reply")["data"] == {"answer": 1}


def test_updates_cross_between_processes(twin_servers) -> None:
    one, two = twin_servers
    with EventClient.of(one) as subscriber, EventClient.of(two) as publisher:
        subscriber.subscribe("topic=ftrack.update or topic=test.redis.link")
        await_link(subscriber, publisher, "test.redis.link")
        project = str(uuid.uuid4())
        reply = two.call([{"action": "create", "entity_type": "Project", "entity_data": {
            "id": project, "name": f"redis_{project[:8]}", "full_name": "r", "project_schema_id": seed.PROJECT_SCHEMA_ID}}],
            headers={"ftrack-Clienttoken": "from-two"})
        assert not isinstance(reply, dict), reply
        while True:
            event = subscriber.next_event(topic="ftrack.update")
            if any(e["entityId"] == project for e in event["data"]["entities"]):
                break
        assert event["data"]["clientToken"] == "from-two"


def test_server_without_redis_keeps_working(tmp_path: Path) -> None:
    nowhere = f"redis://127.0.0.1:{free_port()}/0"
    with ServerProcess(tmp_path / "data", extra_args=["--redis-url", nowhere]) as server:
        assert server.call([{"action": "query", "expression": "select id from Project"}])[0]["action"] == "query"
        topic = f"test.noredis.{uuid.uuid4().hex[:8]}"
        with EventClient.of(server) as client:
            client.subscribe(f"topic={topic}")
            client.publish(topic, {"local": True})
            assert client.next_event(topic=topic)["data"] == {"local": True}
        deadline = time.monotonic() + 10
        while "is unreachable" not in server.stderr_tail(100) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert "is unreachable" in server.stderr_tail(100)


def test_servers_carry_on_through_a_redis_outage(tmp_path: Path) -> None:
    redis = RedisServer(tmp_path / "redis")
    try:
        redis.start()
    except ServiceUnavailable as error:
        skip_or_fail(f"Redis is not available: {error}")
    topic = f"test.outage.{uuid.uuid4().hex[:8]}"
    try:
        with ServerProcess(tmp_path / "one", extra_args=["--redis-url", redis.url]) as one, \
                ServerProcess(tmp_path / "two", extra_args=["--redis-url", redis.url]) as two, \
                EventClient.of(one) as subscriber, EventClient.of(two) as publisher:
            subscriber.subscribe(f"topic={topic}")
            publisher.subscribe(f"topic={topic}")
            await_link(subscriber, publisher, topic)
            redis.stop()
            # Alone, each process still routes its own clients' events and answers the API.
            sent = publisher.publish(topic, {"during": "outage"})
            assert any(e["id"] == sent["id"] for e in publisher.events(0.5))
            assert not isinstance(two.call([{"action": "query", "expression": "select id from Project"}]), dict)
            redis.start()  # back on the same port
            publisher.events(0.1)
            await_link(subscriber, publisher, topic, timeout=20)
            assert "is reachable again" in one.stderr_tail(100)
    finally:
        redis.stop()
