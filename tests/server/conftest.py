"""The server tests run twice: on SQLite in the data dir, and on PostgreSQL."""

from __future__ import annotations

import pytest

from support import databases
from support.services import ServiceUnavailable, skip_or_fail


@pytest.fixture(scope="session", params=[databases.SQLITE, databases.POSTGRESQL], autouse=True)
def database_backend(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """Every server started during the test stores its data in this backend."""
    try:
        databases.use(request.param, tmp_path_factory.mktemp("postgres"))
    except ServiceUnavailable as error:
        skip_or_fail(str(error))
    yield request.param
    databases.use(databases.SQLITE, tmp_path_factory.getbasetemp())
