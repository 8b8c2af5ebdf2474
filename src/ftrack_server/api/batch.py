"""Running one `/api` request: a list of operations in one transaction."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import InvalidCredentialsError, ValidationError
from ..query.compiler import Compiler
from ..query.loader import Loader
from ..store import accounts
from ..store.database import Database
from ..store.writer import Writer
from . import actions


class Batch:
    """What the actions of one request share: connection, writer, loader."""

    def __init__(self, db: Database, conn, user: Mapping, base_url: str, denormalize: bool = False):
        self.db = db
        self.denormalize = denormalize
        """Write every occurrence of an entity in full (the `ftrack-api-options: denormalize:1` header)."""
        self.model = db.model
        self.conn = conn
        self.user_id = user["id"]
        self.compiler = Compiler(db.model, db.tables)
        self.loader = Loader(db.model, db.tables, conn, self.compiler, base_url)
        self._writer: Writer | None = None

    @property
    def writer(self) -> Writer:
        if self._writer is None:
            self._writer = Writer(self.model, self.db.tables, self.conn, self.user_id)
        return self._writer

    def primary_key(self, name: str) -> tuple[str, ...]:
        return self.model.entities[name].primary_key

    def finish(self) -> None:
        if self._writer is not None:
            self._writer.finish()


def execute(
    db: Database, operations: Any, username: str | None, api_key: str | None, base_url: str, denormalize: bool = False
) -> list:
    """Run a batch; raise a ServerError subclass (and store nothing) if any operation fails."""
    if not isinstance(operations, list):
        raise ValidationError("The request body must be a JSON list of operations.")
    for position, operation in enumerate(operations):
        if not isinstance(operation, dict):
            raise ValidationError(f"Operation {position} must be a JSON object.")
        actions.action(operation.get("action"))
    write = any(operation.get("action") in actions.WRITES for operation in operations)
    with db.transaction(write=write) as conn:
        user = accounts.authenticate(conn, db.tables, username, api_key)
        if user is None:
            raise InvalidCredentialsError("API key or user not accepted.")
        batch = Batch(db, conn, user, base_url, denormalize)
        results = [actions.action(operation["action"])(batch, operation) for operation in operations]
        batch.finish()
    return results
