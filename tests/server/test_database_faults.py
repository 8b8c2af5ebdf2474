"""PostgreSQL going away: at start the server refuses to run; mid-way it fails requests and recovers.

Each test runs its own PostgreSQL cluster, so stopping it disturbs no other test.
"""

from __future__ import annotations

import subprocess
import uuid

import pytest

from support import databases
from support.postgres import PostgresServer
from support.server import ServerProcess, free_port

pytestmark = pytest.mark.backends(databases.POSTGRESQL)


def test_a_database_that_does_not_answer_stops_the_server_at_start(tmp_path):
    url = f"postgresql://openftrack:secret-password@127.0.0.1:{free_port()}/ftrack"
    server = ServerProcess(tmp_path / "data", extra_args=["--database", url])
    done = subprocess.run(server.command(), capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "the database at postgresql://openftrack:***@127.0.0.1" in done.stderr
    assert "cannot be used" in done.stderr and "secret-password" not in done.stderr


def test_requests_fail_while_the_database_is_away_and_succeed_once_it_is_back(tmp_path):
    postgres = PostgresServer(tmp_path / "postgres").start()
    try:
        url = postgres.url(postgres.create_database())
        with ServerProcess(tmp_path / "data", extra_args=["--database", url]) as server:
            query = [{"action": "query", "expression": "select name from Location"}]
            before = server.call(query)
            assert isinstance(before, list) and before[0]["data"]
            postgres.stop()

            failed = server.call(query)
            assert failed["exception"] == "ServerError"
            assert "database failed" in failed["content"] and "nothing of this request was stored" in failed["content"]
            strict = server.post(query, headers={"ftrack-strict-api": "true"})
            assert strict.status_code == 503
            write = [{"action": "create", "entity_type": "Location", "entity_data": {"name": f"l{uuid.uuid4().hex[:6]}"}}]
            assert server.call(write)["exception"] == "ServerError"

            postgres.start()
            after = server.call(query)
            assert after == before
            made = server.call(write)
            assert isinstance(made, list) and made[0]["data"]["name"] == write[0]["entity_data"]["name"]
    finally:
        postgres.stop()
