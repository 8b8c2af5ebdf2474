"""User and API key administration: the CLI, and `reset_remote` from clients."""

from __future__ import annotations

import subprocess
import sys

from support import databases
from support.server import running_server


def cli(data_dir, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ftrack_server", *args, *databases.store_args(data_dir)],
        capture_output=True, text=True, timeout=120,
    )


def test_users_and_keys_from_the_command_line(tmp_path):
    data = tmp_path / "data"
    created = cli(data, "user", "create", "ann", "--first-name", "Ann", "--email", "ann@example.com", "--api-key", "ann-key")
    assert created.returncode == 0, created.stderr
    assert created.stdout.split() == ["ann", "ann-key"]
    assert cli(data, "user", "create", "ann").returncode != 0  # usernames are unique
    listing = cli(data, "user", "list").stdout
    assert "admin" in listing and "ann\tann@example.com\tactive" in listing
    extra = cli(data, "apikey", "create", "ann").stdout.strip()
    assert extra and extra != "ann-key"
    assert cli(data, "apikey", "create", "nobody").returncode == 1

    with running_server(tmp_path, api_key="admin-key") as server:
        who = [{"action": "query", "expression": 'select username from User where username is "ann"'}]
        assert server.call(who, api_user="ann", api_key="ann-key")[0]["data"][0]["username"] == "ann"
        assert server.call(who, api_user="ann@example.com", api_key=extra)[0]["data"]
        assert cli(data, "apikey", "revoke", "ann-key").stdout.strip() == "revoked"
        assert server.call(who, api_user="ann", api_key="ann-key")["exception"] == "InvalidCredentialsError"
        assert server.call(who, api_user="ann", api_key=extra)[0]["data"]
        assert server.call(who, api_user="admin", api_key="ann-key")["exception"] == "InvalidCredentialsError"
    assert cli(data, "apikey", "revoke", "ann-key").returncode == 1


def test_admin_commands_work_on_a_database_with_another_admin(tmp_path):
    with running_server(tmp_path, api_user="boss", api_key="boss-key") as server:
        assert server.call([{"action": "query_server_information"}], api_user="boss")[0]["version"]
    data = tmp_path / "data"
    assert cli(data, "user", "create", "ann").returncode == 0
    assert "boss" in cli(data, "user", "list").stdout


def test_reset_remote_issues_a_new_api_key(fresh_server):
    user = fresh_server.call([{"action": "query", "expression": 'select id from User where username is "admin"'}])[0]["data"][0]
    reset = [{"action": "reset_remote", "reset_type": "api_key", "entity_type": "User", "entity_key": user["id"]}]
    first = fresh_server.call(reset)[0]
    assert first["action"] == "reset_remote"
    new_key = first["data"]["api_key"]
    assert fresh_server.call([{"action": "query_server_information"}])["exception"] == "InvalidCredentialsError"
    second = fresh_server.call(reset, api_key=new_key)[0]["data"]["api_key"]
    assert second != new_key
    bad = fresh_server.call([{**reset[0], "reset_type": ["api_key"]}], api_key=second)
    assert bad["exception"] == "ValidationError"
    bad = fresh_server.call([{**reset[0], "reset_type": "email"}], api_key=second)
    assert bad["exception"] == "ValidationError" and "email" in bad["content"]
