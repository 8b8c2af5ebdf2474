"""A server of two worker processes: events, files, concurrent writers and a worker killed mid-commit.

Every request, handshake and websocket may land on either worker, so these
tests open many connections and expect the same answers from all of them.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
import uuid
from pathlib import Path

import httpx
import pytest

from support import components
from support.server import ServerProcess
from support.socketio import EventClient


@pytest.fixture
def workers(tmp_path: Path, redis_url: str):
    with ServerProcess(tmp_path / "data", extra_args=["--workers", "2", "--redis-url", redis_url]) as server:
        wait_for_workers(server, 2)
        yield server


def worker_pids(server: ServerProcess) -> list[int]:
    """The uvicorn workers: the server's child processes started by multiprocessing."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue
        if parent == server.process.pid and b"spawn_main" in command:
            found.append(int(entry.name))
    return found


def wait_for_workers(server: ServerProcess, count: int, timeout: float = 30) -> list[int]:
    deadline = time.monotonic() + timeout
    while len(pids := worker_pids(server)) != count:
        assert time.monotonic() < deadline, f"expected {count} workers, found {pids}"
        time.sleep(0.1)
    while True:  # each must answer: a fresh connection per probe reaches either
        try:
            replies = [httpx.post(server.api_url, headers=server.headers, timeout=10,
                                  json=[{"action": "query_server_information"}]) for _ in range(6)]
            if all(r.status_code == 200 for r in replies):
                return pids
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, "the workers did not answer"
        time.sleep(0.2)


def new_project(server: ServerProcess) -> dict:
    schema_id = server.call([{"action": "query", "expression": "select id from ProjectSchema"}])[0]["data"][0]["id"]
    return server.call([{"action": "create", "entity_type": "Project", "entity_data": {
        "name": f"p{uuid.uuid4().hex[:10]}", "full_name": "Workers", "project_schema_id": schema_id}}])[0]["data"]


def fresh_post(server: ServerProcess, operations: list) -> object:
    """POST on a new connection, so that consecutive requests spread over the workers."""
    with httpx.Client(headers=server.headers, timeout=60) as client:
        return client.post(server.api_url, json=operations).json()


def test_events_reach_subscribers_on_every_worker(workers: ServerProcess) -> None:
    topic = f"test.workers.{uuid.uuid4().hex[:8]}"
    subscribers = [EventClient.of(workers) for _ in range(6)]
    publishers = [EventClient.of(workers) for _ in range(3)]
    try:
        for subscriber in subscribers:
            subscriber.subscribe(f"topic={topic}")
        deadline = time.monotonic() + 15
        pending = set(range(len(subscribers)))
        while pending:  # until every worker listens on Redis
            assert time.monotonic() < deadline, "events did not reach every subscriber"
            publishers[0].publish(topic, {"probe": True})
            pending = {i for i in pending if not subscribers[i].events(0.2)}
        for subscriber in subscribers:
            subscriber.events(0.3)
        sent = {(n, p) for n in range(5) for p in range(len(publishers))}
        for n, p in sorted(sent):
            publishers[p].publish(topic, {"n": n, "p": p})
        for subscriber in subscribers:
            received = set()
            deadline = time.monotonic() + 10
            while received != sent and time.monotonic() < deadline:
                received |= {(e["data"]["n"], e["data"]["p"]) for e in subscriber.events(0.2) if "n" in e["data"]}
            assert received == sent
    finally:
        for client in subscribers + publishers:
            client.close()


def test_uploads_and_downloads_work_on_any_worker(workers: ServerProcess) -> None:
    for n in range(6):
        data = os.urandom(200_000 + n)
        component_id = components.upload(workers, data)  # the PUT goes out on a connection of its own
        assert isinstance(components.register(workers, component_id, size=len(data)), list)
        for _ in range(3):
            got = httpx.get(f"{workers.url}/component/get", params={"id": component_id},
                            headers=components.auth(workers), timeout=60)
            assert got.status_code == 200 and got.content == data


def test_one_project_name_from_concurrent_clients_is_created_once(workers: ServerProcess) -> None:
    schema_id = workers.call([{"action": "query", "expression": "select id from ProjectSchema"}])[0]["data"][0]["id"]
    name = f"race{uuid.uuid4().hex[:8]}"
    start = threading.Barrier(8)
    replies: list = []

    def create(n: int) -> None:
        start.wait()
        replies.append(fresh_post(workers, [{"action": "create", "entity_type": "Project", "entity_data": {
            "name": name if n % 2 else name.upper(), "full_name": f"Race {n}", "project_schema_id": schema_id}}]))

    threads = [threading.Thread(target=create, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    made = [r for r in replies if isinstance(r, list)]
    refused = [r for r in replies if isinstance(r, dict)]
    assert len(made) == 1 and len(refused) == 7
    assert all(r["exception"] == "DuplicateEntryError" and "already exists" in r["content"] for r in refused)
    found = workers.call([{"action": "query", "expression": f'select id from Project where name is "{name}"'}])
    assert [p["id"] for p in found[0]["data"]] == [made[0][0]["data"]["id"]]


def test_concurrent_updates_of_one_entity_keep_every_attribute(workers: ServerProcess) -> None:
    project = new_project(workers)
    task = workers.call([{"action": "create", "entity_type": "Task", "entity_data": {
        "name": "shared", "parent_id": project["id"]}}])[0]["data"]
    attributes = {"description": lambda n: f"description {n}", "bid": float, "name": lambda n: f"shared {n}",
                  "sort": int}
    errors: list = []

    def update(attribute: str, value) -> None:
        for n in range(15):
            reply = fresh_post(workers, [{"action": "update", "entity_type": "Task", "entity_key": [task["id"]],
                                          "entity_data": {attribute: value(n)}}])
            if not isinstance(reply, list):
                errors.append(reply)

    threads = [threading.Thread(target=update, args=item) for item in attributes.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    final = workers.call([{"action": "query", "expression": f'select {", ".join(attributes)} from Task where id is "{task["id"]}"'}])
    assert {k: final[0]["data"][0][k] for k in attributes} == {k: value(14) for k, value in attributes.items()}


def test_crossing_writers_and_long_readers_never_stall_or_see_half_a_batch(workers: ServerProcess) -> None:
    project = new_project(workers)
    a, b = (workers.call([{"action": "create", "entity_type": "Task", "entity_data": {
        "name": name, "parent_id": project["id"]}}])[0]["data"]["id"] for name in ("a", "b"))
    shot = workers.call([{"action": "create", "entity_type": "Shot", "entity_data": {
        "name": "sh", "parent_id": project["id"]}}])[0]["data"]["id"]
    problems: list = []
    done = threading.Event()

    def crossing(first: str, second: str, label: str) -> None:
        for n in range(20):  # the same two rows, in opposite orders
            reply = fresh_post(workers, [
                {"action": "update", "entity_type": "Task", "entity_key": [key], "entity_data": {"description": f"{label}{n}"}}
                for key in (first, second)])
            if not isinstance(reply, list):
                problems.append(reply)

    def batches_of_ten() -> None:
        for n in range(15):
            reply = fresh_post(workers, [{"action": "create", "entity_type": "Task", "entity_data": {
                "name": f"t{n}-{m}", "parent_id": shot}} for m in range(10)])
            if not isinstance(reply, list):
                problems.append(reply)

    def reader() -> None:
        query = {"action": "query", "expression": f'select name, parent.name, status.name from Task where parent_id is "{shot}"'}
        while not done.is_set():
            reply = fresh_post(workers, [query, query])
            if not isinstance(reply, list):
                problems.append(reply)
                continue
            first, second = (len(result["data"]) for result in reply)
            if first != second or first % 10:
                problems.append(f"a read saw {first} then {second} tasks in one batch")

    writers = [threading.Thread(target=crossing, args=(a, b, "x")), threading.Thread(target=crossing, args=(b, a, "y")),
               threading.Thread(target=batches_of_ten)]
    readers = [threading.Thread(target=reader) for _ in range(2)]
    for thread in writers + readers:
        thread.start()
    for thread in writers:
        thread.join(timeout=300)
    done.set()
    for thread in readers:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in writers + readers), "a writer or reader stalled"
    assert problems == []
    descriptions = workers.call([{"action": "query", "expression": f'select description from Task where id in ("{a}", "{b}")'}])
    assert len({task["description"][0] for task in descriptions[0]["data"]}) == 1  # one batch was last, whole


def stuck(in_flight: dict[int, float]) -> bool:
    return any(time.monotonic() - started > 0.5 for started in list(in_flight.values()))


def freeze_then_kill(server: ServerProcess, in_flight: dict[int, float]) -> None:
    """Freeze a worker until a request is seen hanging (half done on it), then SIGKILL it.

    The supervisor kills a worker silent for 5 s by itself, so each freeze stays well below that
    and the worker gets time to answer its pings before the next; if the supervisor kills it
    anyway, that is a kill too, and the caller sees whether a request was lost with it.
    """
    with contextlib.suppress(ProcessLookupError):
        for _attempt in range(30):
            victim = worker_pids(server)[0]
            os.kill(victim, signal.SIGSTOP)
            until = time.monotonic() + 1.5
            while time.monotonic() < until and not stuck(in_flight):
                time.sleep(0.02)
            if stuck(in_flight):
                break
            os.kill(victim, signal.SIGCONT)  # it was idle: try again
            time.sleep(0.5)
        os.kill(victim, signal.SIGKILL)


def test_a_worker_killed_mid_commit_loses_nothing_acknowledged(workers: ServerProcess) -> None:
    project = new_project(workers)
    batch_size = 20
    acknowledged: set[int] = set()
    failed: set[int] = set()
    in_flight: dict[int, float] = {}
    counter = iter(range(10**6))
    lock = threading.Lock()
    stop = threading.Event()

    def commits() -> None:
        while not stop.is_set():
            with lock:
                number = next(counter)
                in_flight[number] = time.monotonic()
            operations = [{"action": "create", "entity_type": "Task", "entity_data": {
                "name": f"b{number}-{m}", "parent_id": project["id"]}} for m in range(batch_size)]
            try:
                reply = fresh_post(workers, operations)
                ok = isinstance(reply, list) and len(reply) == batch_size
            except (httpx.TransportError, ValueError):
                ok = False
            with lock:
                del in_flight[number]
                (acknowledged if ok else failed).add(number)

    threads = [threading.Thread(target=commits) for _ in range(4)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 180
    try:
        for kills in range(6):  # until a worker dies with a request in flight (a slow machine can fool `stuck`)
            enough = len(acknowledged) + 10
            while len(acknowledged) < enough:  # the other worker (and a replacement) serve on
                assert time.monotonic() < deadline, "the server stopped acknowledging commits after a worker died"
                time.sleep(0.05)
            assert kills or not failed, "commits failed before any worker was killed"
            if failed:
                break
            wait_for_workers(workers, 2)
            freeze_then_kill(workers, in_flight)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=120)
    assert failed, "the killed worker had a request in flight"
    wait_for_workers(workers, 2)

    tasks = workers.call([{"action": "query", "expression": f'select name from Task where project_id is "{project["id"]}"'}])
    per_batch: dict[int, int] = {}
    for task in tasks[0]["data"]:
        number = int(task["name"][1:].split("-")[0])
        per_batch[number] = per_batch.get(number, 0) + 1
    assert all(per_batch.get(number) == batch_size for number in acknowledged), "an acknowledged commit was lost"
    assert all(per_batch.get(number, 0) in (0, batch_size) for number in failed), "a failed commit was half applied"
    assert set(per_batch) <= acknowledged | failed


def test_worker_connections_send_replies_without_waiting_for_acks() -> None:
    import asyncio
    import socket

    from ftrack_server.serving import NoDelay

    class Cycle:  # what uvicorn binds `send` to: the request's cycle, holding the connection's transport
        def __init__(self, transport) -> None:
            self.transport = transport

        async def send(self, message) -> None:
            pass

    async def serve_one(listener: socket.socket) -> int:
        loop = asyncio.get_running_loop()
        connection, _ = await loop.sock_accept(listener)
        transport, _ = await loop.connect_accepted_socket(asyncio.Protocol, connection)
        seen = []

        async def app(scope, receive, send) -> None:
            seen.append(scope["type"])

        await NoDelay(app)({"type": "http"}, None, Cycle(transport).send)
        flag = transport.get_extra_info("socket").getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
        transport.close()
        assert seen == ["http"]
        return flag

    # Made as uvicorn makes its workers' listening socket: protocol number 0, so asyncio leaves Nagle on.
    with socket.socket(socket.AF_INET) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.setblocking(False)
        with socket.create_connection(listener.getsockname()):
            assert asyncio.run(serve_one(listener)) == 1
