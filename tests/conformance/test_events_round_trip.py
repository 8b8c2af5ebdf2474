"""Conformance: an event round trip official Python -> ours -> official JavaScript, with replies.

Three processes on the shared server, all started at once:

1. the official Python client publishes a question on topic A and waits for
   a reply (``python/events_round_trip_ask.py``);
2. our client, subscribed to A, forwards it on topic B with ``on_reply``
   (``python/events_round_trip_relay.py``);
3. the official JavaScript client, subscribed to B, replies with the data it
   got plus ``js: true`` (``js/events_round_trip_reply.mjs``);

then our client replies to the original question with the JavaScript answer,
and the official Python client prints what it received.
"""

from __future__ import annotations

import threading
import uuid
from pathlib import Path

import pytest
from support.clients import run_our_python_scenario
from support.official import (
    js_env_or_skip,
    python_env_or_skip,
    run_js_scenario,
    run_python_scenario,
)
from support.server import ServerProcess

pytestmark = pytest.mark.conformance

HERE = Path(__file__).resolve().parent
#: Seconds each process may take; each gives up on its own after 20 s.
TIMEOUT = 25


@pytest.fixture(scope="session")
def official_python() -> Path:
    return python_env_or_skip()


@pytest.fixture(scope="session")
def official_js() -> Path:
    return js_env_or_skip()


def test_official_python_to_ours_to_official_js_and_back(
    official_python: Path, official_js: Path, server: ServerProcess
) -> None:
    suffix = uuid.uuid4().hex[:8]
    ask_topic = f"conformance.round-trip.{suffix}.ask"
    relay_topic = f"conformance.round-trip.{suffix}.relay"
    outcome: dict = {}

    def run(name: str, scenario) -> None:
        try:
            outcome[name] = scenario()
        except BaseException as error:  # noqa: BLE001 - reported below
            outcome[f"{name} error"] = error

    helpers = [
        threading.Thread(target=run, args=("js", lambda: run_js_scenario(
            HERE / "js" / "events_round_trip_reply.mjs", server, relay_topic, timeout=TIMEOUT))),
        threading.Thread(target=run, args=("relay", lambda: run_our_python_scenario(
            HERE / "python" / "events_round_trip_relay.py", server, ask_topic, relay_topic, timeout=TIMEOUT))),
    ]
    for helper in helpers:
        helper.start()
    try:
        run("ask", lambda: run_python_scenario(
            HERE / "python" / "events_round_trip_ask.py", server, ask_topic, timeout=TIMEOUT))
    finally:
        for helper in helpers:
            helper.join(TIMEOUT + 2)
    errors = [f"{name}: {error}" for name, error in outcome.items() if name.endswith(" error")]
    assert not errors, "\n\n".join(errors)

    ask, relay, js = outcome["ask"], outcome["relay"], outcome["js"]
    question = ask["question"]
    assert "/src/ftrack_api/" in relay["client"]  # the middle hop really is our client

    # 1 -> 2: our client got the official Python client's question.
    assert relay["question"]["data"] == question
    assert relay["question"]["id"] in ask["asked"]
    assert relay["question"]["source"]["id"] == ask["hub_id"]
    assert relay["question"]["source"]["user"]["username"] == server.api_user

    # 2 -> 3: the official JavaScript client got our forwarded event.
    forwarded = {"relayed": question, "from": "openftrack"}
    assert js["got"][0]["data"] == forwarded
    assert js["got"][0]["id"] in relay["forwarded"]
    assert js["got"][0]["source"]["id"] == relay["hub_id"]
    assert js["got"][0]["source"]["user"]["username"] == server.api_user

    # 3 -> 2: its reply reached our on_reply.
    js_reply = relay["js_reply"]
    assert js_reply["topic"] == "ftrack.meta.reply"
    assert js_reply["data"] == {**forwarded, "js": True}
    assert js_reply["in_reply_to_event"] in relay["forwarded"]
    assert js_reply["source"]["applicationId"] == "ftrack.api.javascript"

    # 2 -> 1: our reply, carrying the whole chain, reached the official Python client's on_reply.
    reply = ask["reply"]
    assert reply["topic"] == "ftrack.meta.reply"
    assert reply["data"] == {"relay": "openftrack", "question": question, "js": {**forwarded, "js": True}}
    assert reply["in_reply_to_event"] == relay["question"]["id"]
    assert reply["target"] == f"id={ask['hub_id']}"
    assert reply["source"]["id"] == relay["hub_id"]
