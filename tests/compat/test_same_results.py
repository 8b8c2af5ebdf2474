"""Compatibility: the same scenario script, run with the official client and with ours.

Each script in ``scenarios/`` uses only the public ``ftrack_api`` API, as users
write it, and prints one normalised JSON document of what it observed (see
``scenarios/_compat.py``).  The test runs it once with the official
``ftrack-python-api`` (its own venv) and once with our client, both against
the session's shared server and at the same time, and requires the two
documents to be equal.

A difference that is a known bug of ours is listed in ``KNOWN_DIFFERENCES``
with the exact keys that differ.  That test is a strict xfail which only
tolerates precisely those keys: a fix makes it XPASS (remove the entry), and
any other difference still fails the test.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from support.clients import OFFICIAL, OUR_SRC, OURS, client_python_or_skip, run_client_scenario
from support.official import PYTHON_ENV_DIR
from support.server import ServerProcess

pytestmark = pytest.mark.conformance

SCENARIOS = Path(__file__).resolve().parent / "scenarios"
PROBE = Path(__file__).resolve().parent / "probe_client.py"

#: Scenario -> the keys whose values differ because of a known bug in our
#: client, and what the difference is.  See the report in each reason.
KNOWN_DIFFERENCES: dict[str, tuple[set[str], str]] = {}


class KnownDifference(AssertionError):
    """The two clients differ in exactly the keys listed in KNOWN_DIFFERENCES."""


def _scenarios() -> list[Any]:
    params = []
    for script in sorted(SCENARIOS.glob("*.py")):
        if script.name.startswith("_"):
            continue
        marks = []
        if script.stem in KNOWN_DIFFERENCES:
            marks.append(pytest.mark.xfail(
                strict=True, raises=KnownDifference,
                reason=KNOWN_DIFFERENCES[script.stem][1]))
        params.append(pytest.param(script, id=script.stem, marks=marks))
    return params


@pytest.fixture(scope="module")
def official_python() -> Path:
    """The official client's interpreter (built on first use; skip if impossible)."""
    return client_python_or_skip(OFFICIAL)


def _run_both(script: Path, server: ServerProcess) -> dict[str, Any]:
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {client: pool.submit(run_client_scenario, client, script, server, timeout=180)
                   for client in (OFFICIAL, OURS)}
        return {client: future.result() for client, future in futures.items()}


def _differences(official: dict[str, Any], ours: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    missing = object()
    found = {}
    for key in sorted(set(official) | set(ours)):
        theirs, mine = official.get(key, missing), ours.get(key, missing)
        if theirs != mine:
            found[key] = ("<missing>" if theirs is missing else theirs,
                          "<missing>" if mine is missing else mine)
    return found


def _describe(differences: dict[str, tuple[Any, Any]]) -> str:
    lines = []
    for key, (theirs, mine) in differences.items():
        lines.append(f"{key}:\n  official: {json.dumps(theirs, sort_keys=True)}\n"
                     f"  ours:     {json.dumps(mine, sort_keys=True)}")
    return "\n".join(lines)


def test_clients_are_the_intended_packages(official_python: Path, server: ServerProcess) -> None:
    """The runner really uses two different ftrack_api packages."""
    results = _run_both(PROBE, server)
    official, ours = results[OFFICIAL], results[OURS]
    assert Path(official["file"]).resolve().is_relative_to(PYTHON_ENV_DIR.resolve())
    assert Path(ours["file"]).resolve().is_relative_to(OUR_SRC.resolve())
    assert official["version"] != ours["version"]
    assert official["isolated"] and ours["isolated"]
    assert official["ftrack_server_importable"] is False


@pytest.mark.parametrize("script", _scenarios())
def test_same_results(script: Path, official_python: Path, server: ServerProcess) -> None:
    results = _run_both(script, server)
    official, ours = results[OFFICIAL], results[OURS]
    for client, document in results.items():
        assert isinstance(document, dict) and len(document) >= 5, (
            f"{client}: the scenario reported too little to compare: {document!r}")
    differences = _differences(official, ours)
    known_keys = KNOWN_DIFFERENCES.get(script.stem, (set(), ""))[0]
    if differences and set(differences) == known_keys:
        raise KnownDifference(f"{script.name}: the known difference is still there:\n"
                              + _describe(differences))
    assert not differences, (
        f"{script.name}: our client and the official one observed different results"
        + (f" (expected differences only in {sorted(known_keys)})" if known_keys else "")
        + ":\n" + _describe(differences))
