"""Conformance: the unchanged official JavaScript client (@ftrack/api) against our server.

Each test runs one ES module from ``js/`` with node, staged next to the
private ``node_modules`` (see ``support.official``).  The scripts assert with
``node:assert`` and print a JSON summary that the tests check as well.
"""

from __future__ import annotations

import types
from pathlib import Path

import pytest

from support.official import OFFICIAL_JS_VERSION, js_env_or_skip, run_js_scenario
from support.server import ServerProcess

pytestmark = pytest.mark.conformance

SCRIPTS = Path(__file__).resolve().parent / "js"


@pytest.fixture(scope="session")
def official_js() -> Path:
    """Directory with node_modules/@ftrack/api (built on first use; skip if impossible)."""
    return js_env_or_skip()


def run(script: str, server: ServerProcess, *args: object, timeout: float = 120):
    return run_js_scenario(SCRIPTS / script, server, *args, timeout=timeout)


def test_environment_is_the_official_client(official_js: Path) -> None:
    """No server needed: the staged script imports the pinned @ftrack/api."""
    nowhere = types.SimpleNamespace(url="http://127.0.0.1:9", api_user="nobody", api_key="none")
    summary = run("env_check.mjs", nowhere)
    assert summary["version"] == OFFICIAL_JS_VERSION
    assert summary["sessionIsClass"] is True
    assert summary["hasOperationHelpers"] is True
    assert summary["globalFetch"] is True


def test_session_query_create_update_delete(official_js: Path, server: ServerProcess) -> None:
    summary = run("crud.mjs", server)
    assert summary["taskPrimaryKey"] == ["id"]
    assert summary["createdName"].startswith("conf_js_")
    assert summary["deleted"] is True
    for label, error in summary["errors"].items():
        assert error["name"] in ("ServerError", "ServerValidationError"), (label, error)
        assert error["message"], label


def test_bad_credentials_reject_initializing(official_js: Path, server: ServerProcess) -> None:
    summary = run("bad_credentials.mjs", server)
    assert summary["wrongKeyError"]["name"] == "ServerError"
    assert summary["unknownUserError"]["name"] == "ServerError"
    assert summary["laterCallError"]["name"] == "ServerError"
