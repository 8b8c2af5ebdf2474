"""Conformance: the official clients' event hubs (Python and JavaScript) through our server.

Scenario scripts in ``python/`` and ``js/`` (see ``support.official``); the
last test runs one of each at once, the JavaScript client asking and the
Python client answering.
"""

from __future__ import annotations

import threading
import uuid
from pathlib import Path

import pytest

from support.official import js_env_or_skip, python_env_or_skip, run_js_scenario, run_python_scenario
from support.server import ServerProcess

pytestmark = pytest.mark.conformance

HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="session")
def official_python() -> Path:
    return python_env_or_skip()


@pytest.fixture(scope="session")
def official_js() -> Path:
    return js_env_or_skip()


def test_python_hub_subscribes_publishes_and_replies(official_python: Path, server: ServerProcess) -> None:
    summary = run_python_scenario(HERE / "python" / "events_hub.py", server, timeout=120)
    assert summary["plain"] == [1, 2, 5]  # once per event, though two subscribers matched event 2
    assert summary["filtered"] == [2]
    assert summary["targeted"] == [3]
    assert summary["other_target"] == []
    assert summary["replies"] == [{"echo": 1}]
    entity = summary["update_entity"]
    assert (entity["action"], entity["entity_type"], entity["entityType"]) == ("add", "Project", "show")
    assert summary["update_keys"] == ["data", "id", "in_reply_to_event", "sent", "source", "target", "topic"]
    assert summary["problems"] == []


def test_js_hub_round_trip_and_update_with_client_token(official_js: Path, server: ServerProcess) -> None:
    summary = run_js_scenario(HERE / "js" / "events_hub.mjs", server, timeout=120)
    assert summary["reply"] == {"echo": 7}
    assert summary["got"] == [{"n": 7}]
    assert summary["clientToken"].startswith("ftrack-javascript-api--")
    assert summary["updateClientToken"] == summary["clientToken"]
    assert summary["updateSourceToken"] == summary["clientToken"]
    assert summary["updateEntity"]["action"] == "add"
    assert summary["updateUser"] == server.api_user


def test_js_asks_and_python_answers(official_python: Path, official_js: Path, server: ServerProcess) -> None:
    topic = f"conformance.cross.{uuid.uuid4().hex[:8]}"
    outcome: dict = {}

    def respond() -> None:
        try:
            outcome["python"] = run_python_scenario(HERE / "python" / "events_responder.py", server, topic,
                                                    timeout=120)
        except BaseException as error:  # noqa: BLE001 - reported below
            outcome["error"] = error

    responder = threading.Thread(target=respond)
    responder.start()
    try:
        asked = run_js_scenario(HERE / "js" / "events_ask.mjs", server, topic, timeout=120)
    finally:
        responder.join(150)
    if "error" in outcome:
        raise outcome["error"]
    assert asked["reply"] == {"from": "python", "echo": {"question": "ping"}}
    question = outcome["python"]["asked"][0]
    assert question["data"] == {"question": "ping"}
    assert question["source"]["applicationId"] == "ftrack.api.javascript"
    assert question["source"]["user"]["username"] == server.api_user
