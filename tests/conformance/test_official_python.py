"""Conformance: the unchanged official Python client (ftrack-python-api) against our server.

Each test runs one scenario script from ``python/`` with the official client's
own interpreter (see ``support.official``).  The scripts assert what they can
themselves and print a JSON summary; the tests check the summary as well, so
a failure shows both the script's traceback and what was observed.

Scenarios that create the global ``fstart`` custom attribute configuration
use ``fresh_server``; the others share the session's ``server`` and keep to
uniquely named projects.
"""

from __future__ import annotations

import json
import types
from pathlib import Path

import pytest

from support.official import (
    OFFICIAL_PYTHON_VERSION,
    PYTHON_ENV_DIR,
    python_env_or_skip,
    run_python_scenario,
)
from support.server import ServerProcess

pytestmark = pytest.mark.conformance

SCRIPTS = Path(__file__).resolve().parent / "python"
REPO_SRC = Path(__file__).resolve().parents[2] / "src"


@pytest.fixture(scope="session")
def official_python() -> Path:
    """The official client's interpreter (built on first use; skip if impossible)."""
    return python_env_or_skip()


def run(script: str, server: ServerProcess, *args: object, timeout: float = 300):
    return run_python_scenario(SCRIPTS / script, server, *args, timeout=timeout)


def test_environment_is_the_official_client(official_python: Path) -> None:
    """No server needed: the scenario interpreter imports PyPI's ftrack_api, not ours."""
    nowhere = types.SimpleNamespace(url="http://127.0.0.1:9", api_user="nobody", api_key="none")
    summary = run("env_check.py", nowhere)
    assert summary["version"] == OFFICIAL_PYTHON_VERSION
    assert summary["has_session"] is True
    assert Path(summary["file"]).resolve().is_relative_to(PYTHON_ENV_DIR.resolve())
    assert not Path(summary["file"]).resolve().is_relative_to(REPO_SRC)
    assert summary["ftrack_server_importable"] is False


def test_session_setup(official_python: Path, server: ServerProcess) -> None:
    summary = run("session_setup.py", server)
    assert summary["location_ids"] == {
        "ftrack.origin": "ce9b348f-8809-11e3-821c-20c9d081909b",
        "ftrack.unmanaged": "cb268ecc-8809-11e3-a7e2-20c9d081909b",
        "ftrack.review": "cd41be70-8809-11e3-b98a-20c9d081909b",
        "ftrack.connect": "07b82a97-8cf9-11e3-9383-20c9d081909b",
        "ftrack.server": "3a372bde-05bc-11e4-8908-20c9d081909b",
    }
    assert summary["picked_location"] == "ftrack.unmanaged"
    assert summary["username"] == server.api_user
    # Empty cache: server information, then the schemas. Warm cache: no schemas.
    assert summary["first_session_actions"] == ["query_server_information", "query_schemas"]
    assert summary["second_session_actions"] == ["query_server_information"]
    # One entity class per schema served.
    assert summary["schema_count"] == summary["type_count"]
    assert summary["timezone_support"] in (True, None)


def test_project_tree(official_python: Path, server: ServerProcess) -> None:
    summary = run("project_tree.py", server)
    ids = summary["ids"]
    assert summary["link_ids"] == [ids["project"], ids["sequence"], ids["shot"], ids["task"]]
    assert summary["link_names"][1:] == ["sq010", "sh010", "compositing"]
    assert summary["link_types"][0] == "Project"
    assert summary["ancestor_count"] == 2
    assert summary["project_descendant_count"] == 3


def test_appointments_notes_metadata_custom_attributes(
    official_python: Path, fresh_server: ServerProcess
) -> None:
    summary = run("task_extras.py", fresh_server)
    assert summary["assignment_count"] == 1
    assert summary["note_label_ids"] == [summary["category_id"]]
    assert summary["reply_count"] == 1
    assert summary["recipient_count"] == 2
    assert summary["metadata"] == {"key": "value2"}
    assert summary["custom_attribute"] == {
        "default": 1001, "updated": 1010, "set_on_create": 1020, "new_task_default": 1001,
    }


def test_publishing(official_python: Path, server: ServerProcess) -> None:
    summary = run("publishing.py", server)
    assert summary["assigned_numbers"] == [1, 2]
    assert [v["version"] for v in summary["versions"]] == [1, 2]
    assert [v["is_latest_version"] for v in summary["versions"]] == [False, True]
    assert summary["nested_versions"] == {"1": [1, 2], "2": [1, 2]}
    # The official client merges a response with one shared "seen" table: an
    # entity's FIRST occurrence (here version 2 nested in row 1's
    # asset.versions) must carry everything projected for it anywhere in the
    # response, or row 2's own "asset" projection is silently dropped.
    assert summary["rows_missing_projection"] == [], (
        "projected data lost in the client merge; first occurrence of an entity must "
        "carry the union of its projected attributes")


def test_query_operators(official_python: Path, fresh_server: ServerProcess) -> None:
    summary = run("query_operators.py", fresh_server)
    assert not summary["mismatches"], "queries that disagree with the expected tasks:\n" + (
        json.dumps(summary["mismatches"], indent=2, sort_keys=True))
    assert summary["query_count"] >= 40
    assert summary["start_date_utc"] == "2024-04-25T09:00:00+00:00"
    assert summary["context_types"] == ["Project", "Sequence", "Shot", "Task"]


def test_paging(official_python: Path, server: ServerProcess) -> None:
    summary = run("paging.py", server, timeout=900)
    assert summary["count"] == 1200
    assert summary["distinct"] == 1200
    # 12 full pages of 100; the 12th already reports next.offset = null.
    assert summary["page_requests"] == 12, summary["page_queries_tail"]
    assert summary["first"] == "task_0000"
    assert summary["one_multiple_raised"] is True
    assert summary["one_none_raised"] is True


def test_update_and_rollback(official_python: Path, server: ServerProcess) -> None:
    summary = run("update_rollback.py", server)
    assert summary["batches_after_rollback"] == 0
    assert summary["persisted_name"] == "renamed"
    assert summary["failure"] and "Server reported error" in summary["failure"]
    assert summary["name_after_failure"] == "renamed"
    assert summary["ghost_exists"] is False
    assert summary["final_name"] == "recovered"


def test_delete_project_cascades(official_python: Path, server: ServerProcess) -> None:
    summary = run("delete_cascade.py", server)
    assert summary["leftovers"] == {}
    assert summary["missing_survivors"] == {}
    assert summary["deleted"]["Task"] == 2
    assert summary["deleted"]["Note"] == 3


def test_bad_credentials(official_python: Path, server: ServerProcess) -> None:
    summary = run("bad_credentials.py", server)
    assert set(summary["errors"]) == {"wrong_key", "random_key", "unknown_user", "wrong_key_strict"}
    for label, message in summary["errors"].items():
        # The refusal is a JSON error object (also in strict mode, with an error status).
        assert message.startswith("Server reported error: "), (label, message)
