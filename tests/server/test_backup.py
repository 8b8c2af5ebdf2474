"""`ftrack-server db dump/restore`: consistent snapshots of a running server, restored whole or not at all."""

from __future__ import annotations

import gzip
import subprocess
import sys
import threading
import uuid

import orjson
import pytest
from sqlalchemy import inspect

from ftrack_server.store.database import Database
from support import databases
from support.server import ServerProcess

pytestmark = pytest.mark.filterwarnings("ignore:Skipped unsupported reflection")


def cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ftrack_server", *args], capture_output=True, text=True, timeout=300)


def _lines(path) -> list[bytes]:
    """The dump's lines without the header (when and where it was taken)."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rb") as handle:
        header, *rest = handle.read().splitlines()
    assert orjson.loads(header)["format"] == "openftrack-dump"
    return rest


def _shot(server) -> str:
    schema_id = server.call([{"action": "query", "expression": "select id from ProjectSchema"}])[0]["data"][0]["id"]
    project = server.call([{"action": "create", "entity_type": "Project", "entity_data": {
        "name": f"p{uuid.uuid4().hex[:8]}", "full_name": "Backup", "project_schema_id": schema_id}}])[0]["data"]
    return server.call([{"action": "create", "entity_type": "Shot", "entity_data": {
        "name": "sh010", "parent_id": project["id"], "project_id": project["id"]}}])[0]["data"]["id"]


def _task_batch(shot_id: str, number: int) -> list[dict]:
    return [{"action": "create", "entity_type": "Task",
             "entity_data": {"name": f"t{number}-{n}", "parent_id": shot_id, "metadata": [{"key": "n", "value": str(n)}]}}
            for n in range(10)]


def test_a_dump_taken_while_the_server_writes_restores_to_the_same_snapshot(fresh_server, tmp_path):
    shot_id = _shot(fresh_server)
    stop, committed = threading.Event(), []

    def write() -> None:
        with httpx_client(fresh_server) as client:
            while not stop.is_set():
                reply = client.post(fresh_server.api_url, json=_task_batch(shot_id, len(committed))).json()
                assert isinstance(reply, list), reply
                committed.append(len(reply))

    writer = threading.Thread(target=write)
    writer.start()
    try:
        while len(committed) < 3:
            stop.wait(0.05)
        dump = tmp_path / "snapshot.jsonl.gz"
        done = cli("db", "dump", str(dump), *databases.store_args(fresh_server.data_dir))
        assert done.returncode == 0, done.stderr
        assert "dumped" in done.stderr and "rows in 61 tables" in done.stderr
        while len(committed) < 3 + 3:  # writes went on after the snapshot
            stop.wait(0.05)
    finally:
        stop.set()
        writer.join()

    restored_url = databases.new_database_url(tmp_path / "restored")
    done = cli("db", "restore", str(dump), "--database", restored_url)
    assert done.returncode == 0, done.stderr
    with ServerProcess(tmp_path / "restored-server", extra_args=["--database", restored_url],
                       api_key=fresh_server.api_key) as copy:
        tasks = copy.call([{"action": "query", "expression": f'select name from Task where parent_id is "{shot_id}"'}])
        names = {task["name"] for task in tasks[0]["data"]}
        assert names and len(names) % 10 == 0 and len(names) < 10 * len(committed)  # whole batches, from before
        made = copy.call(_task_batch(shot_id, 999))  # new rows are numbered after the restored ones
        assert isinstance(made, list) and len(made) == 10
    again = tmp_path / "again.jsonl"
    assert cli("db", "dump", str(again), "--database", restored_url).returncode == 0
    rows = [line for line in _lines(dump) if not line.startswith(b'{"table"')]
    later = set(_lines(again))
    assert len(later) > len(rows) and all(row in later for row in rows)


def httpx_client(server):
    import httpx

    return httpx.Client(headers=server.headers, timeout=60)


@pytest.mark.backends(databases.POSTGRESQL)
def test_a_sqlite_dump_restores_into_postgresql_and_back_unchanged(tmp_path):
    sqlite_url = f"sqlite:///{tmp_path / 'source.sqlite'}"
    with ServerProcess(tmp_path / "source", extra_args=["--database", sqlite_url]) as server:
        shot_id = _shot(server)
        assert isinstance(server.call(_task_batch(shot_id, 1)), list)
    first, second, third = (tmp_path / name for name in ("a.jsonl", "b.jsonl.gz", "c.jsonl"))
    postgres_url = databases.new_database_url(tmp_path)
    back_url = f"sqlite:///{tmp_path / 'back.sqlite'}"
    for command in (("dump", first, sqlite_url), ("restore", first, postgres_url), ("dump", second, postgres_url),
                    ("restore", second, back_url), ("dump", third, back_url)):
        done = cli("db", command[0], str(command[1]), "--database", command[2])
        assert done.returncode == 0, done.stderr
    assert _lines(first) == _lines(second) == _lines(third)
    assert any(b'"t1-9"' in line for line in _lines(first))


def test_bad_dumps_are_refused_and_leave_the_database_empty(tmp_path):
    target = databases.new_database_url(tmp_path / "target")
    not_a_dump = tmp_path / "notes.txt"
    not_a_dump.write_text("hello\n")
    done = cli("db", "restore", str(not_a_dump), "--database", target)
    assert done.returncode == 1 and "not an openftrack dump" in done.stderr

    source = databases.new_database_url(tmp_path / "source")
    assert cli("db", "upgrade", "--database", source).returncode == 0
    full = tmp_path / "full.jsonl"
    assert cli("db", "dump", str(full), "--database", source).returncode == 0
    lines = full.read_bytes().splitlines(keepends=True)
    truncated = tmp_path / "truncated.jsonl"
    truncated.write_bytes(b"".join(lines[: len(lines) - 5]))
    done = cli("db", "restore", str(truncated), "--database", target)
    assert done.returncode == 1 and "truncated" in done.stderr
    db = Database(target)
    try:
        with db.engine.connect() as conn:
            assert inspect(conn).get_table_names() == []
    finally:
        db.dispose()

    assert cli("db", "restore", str(full), "--database", target).returncode == 0
    done = cli("db", "restore", str(full), "--database", target)
    assert done.returncode == 1 and "restore into a new, empty database" in done.stderr
