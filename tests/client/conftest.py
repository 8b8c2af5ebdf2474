"""Fixtures for client tests: sessions of our ``ftrack_api`` on a real server."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

import ftrack_api


@pytest.fixture(scope="session")
def schema_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A schema cache folder shared by the tests' sessions."""
    return tmp_path_factory.mktemp("schema-cache")


@pytest.fixture
def make_session(server: Any, schema_cache: Path) -> Iterator[Callable[..., ftrack_api.Session]]:
    """Build sessions on the shared server (closed after the test)."""
    made: list[ftrack_api.Session] = []

    def make(**kw: Any) -> ftrack_api.Session:
        kw.setdefault("server_url", server.url)
        kw.setdefault("api_key", server.api_key)
        kw.setdefault("api_user", server.api_user)
        kw.setdefault("schema_cache_path", str(schema_cache))
        kw.setdefault("plugin_paths", [])
        session = ftrack_api.Session(**kw)
        made.append(session)
        return session

    yield make
    for session in made:
        session.close()


@pytest.fixture
def session(make_session: Callable[..., ftrack_api.Session]) -> ftrack_api.Session:
    return make_session()


@pytest.fixture
def project(session: ftrack_api.Session) -> Any:
    """A committed project with a unique name."""
    schema = session.query("ProjectSchema").first()
    created = session.create("Project", {
        "name": f"client_{uuid.uuid4().hex[:10]}", "full_name": "Client test",
        "project_schema": schema,
    })
    session.commit()
    return created
