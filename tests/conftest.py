"""Shared pytest fixtures: running ``ftrack_server`` processes for tests.

* ``server``        one server for the whole test session (its own tmp data dir).
                    Tests sharing it must not depend on a pristine database:
                    they create uniquely named data and filter by its ids.
* ``fresh_server``  a server of its own for one test (own data dir).
* ``api``           ``server.call``: POST a list of operations to ``/api`` as
                    the admin user and get the parsed JSON back.

A server that cannot start (for example while ``ftrack_server`` is still
missing its ``serve`` command) makes the tests that use these fixtures *error*
with the server's stderr in the message; tests that do not need a server are
unaffected.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

# Make ``tests/support`` importable as ``support`` however pytest was invoked.
_TESTS_DIR = str(Path(__file__).resolve().parent)
if _TESTS_DIR not in sys.path:
    sys.path.insert(0, _TESTS_DIR)

from support import databases  # noqa: E402
from support.server import ServerProcess, running_server  # noqa: E402


def pytest_sessionfinish(session: pytest.Session) -> None:
    databases.stop()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "conformance: drives our server with the unchanged official ftrack clients "
        "(ftrack-python-api, @ftrack/api); needs their environments, built on first use",
    )


@pytest.fixture(scope="session")
def database_backend() -> str:
    """Where servers store their data; the server tests override this to run on each backend."""
    return databases.SQLITE


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory, database_backend: str) -> Iterator[ServerProcess]:
    """One ``ftrack_server`` process shared by the whole test session."""
    with running_server(tmp_path_factory.mktemp("session-server")) as process:
        yield process


@pytest.fixture
def fresh_server(tmp_path: Path, database_backend: str) -> Iterator[ServerProcess]:
    """An ``ftrack_server`` process with its own empty data dir, for one test."""
    with running_server(tmp_path / "fresh-server") as process:
        yield process


@pytest.fixture
def api(server: ServerProcess) -> Callable[..., Any]:
    """``server.call``: send operations to the shared server's ``/api``."""
    return server.call
