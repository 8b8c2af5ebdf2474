"""Run a throw-away server inside your own tests.

Installed with openftrack, this pytest plugin gives your pipeline tests a real
server on 127.0.0.1 with a temporary SQLite database, started once per test
session::

    def test_publish(ftrack_server, monkeypatch):
        monkeypatch.setenv("FTRACK_SERVER", ftrack_server.url)
        monkeypatch.setenv("FTRACK_API_USER", ftrack_server.api_user)
        monkeypatch.setenv("FTRACK_API_KEY", ftrack_server.api_key)
        ...  # code that builds an ftrack_api.Session()

Outside pytest, `running_server()` does the same as a context manager.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .background import RunningServer, running_server

__all__ = ["RunningServer", "running_server", "ftrack_server"]


@pytest.fixture(scope="session")
def ftrack_server() -> Iterator[RunningServer]:
    """An openftrack server for the whole test session."""
    with running_server() as server:
        yield server
