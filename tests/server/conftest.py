"""The server tests run twice: on SQLite in the data dir, and on PostgreSQL.

A test marked ``@pytest.mark.backends("postgresql")`` runs on the backends it names only.
"""

from __future__ import annotations

import pytest

from support import databases
from support.services import ServiceUnavailable, redis_server, skip_or_fail


@pytest.fixture(scope="session", params=[databases.SQLITE, databases.POSTGRESQL], autouse=True)
def database_backend(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """Every server started during the test stores its data in this backend."""
    try:
        databases.use(request.param, tmp_path_factory.mktemp("postgres"))
    except ServiceUnavailable as error:
        skip_or_fail(str(error))
    yield request.param
    databases.use(databases.SQLITE, tmp_path_factory.getbasetemp())


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory):
    """A private ``redis-server`` for the module's tests."""
    try:
        with redis_server(tmp_path_factory.mktemp("redis")) as url:
            yield url
    except ServiceUnavailable as error:
        skip_or_fail(f"Redis is not available: {error}")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "backends(*names): run this server test on these database backends only")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    keep, drop = [], []
    for item in items:
        marker = item.get_closest_marker("backends")
        backend = getattr(item, "callspec", None) and item.callspec.params.get("database_backend")
        (drop if marker and backend and backend not in marker.args else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
