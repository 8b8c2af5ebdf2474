"""Running one `/api` request: a list of operations in one transaction."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import IntegrityError

from ..errors import DuplicateEntryError, InvalidCredentialsError, ValidationError, first_line
from ..files.release import release_removed
from ..query.compiler import Compiler
from ..query.loader import Loader
from ..store import accounts
from ..store.changes import ChangeLog
from ..store.database import Database
from ..store.writer import Writer
from . import actions
from .effects import SideEffects

if TYPE_CHECKING:
    from ..files.service import ComponentStorage


class Batch:
    """What the actions of one request share: connection, writer, loader."""

    def __init__(
        self, db: Database, conn, user: Mapping, base_url: str, denormalize: bool = False, record_changes: bool = False,
        files: ComponentStorage | None = None, effects: SideEffects | None = None,
    ):
        self.db = db
        self.files = files
        """Component storage (None: this server stores no component bytes)."""
        self.effects = effects if effects is not None else SideEffects()
        """What must happen outside the database once the batch commits (or rolls back)."""
        self.denormalize = denormalize
        """Write every occurrence of an entity in full (the `ftrack-api-options: denormalize:1` header)."""
        self.model = db.model
        self.conn = conn
        self.user_id = user["id"]
        self.compiler = Compiler(db.model, db.tables)
        self.loader = Loader(db.model, db.tables, conn, self.compiler, base_url)
        self._writer: Writer | None = None
        self.changes = ChangeLog() if record_changes else None

    @property
    def writer(self) -> Writer:
        if self._writer is None:
            self._writer = Writer(self.model, self.db.tables, self.conn, self.user_id, self.changes)
        return self._writer

    def primary_key(self, name: str) -> tuple[str, ...]:
        return self.model.entities[name].primary_key

    def finish(self) -> None:
        if self._writer is not None:
            self._writer.finish()
            release_removed(self, self._writer.released)


@dataclass
class Outcome:
    """A committed batch: its results, who ran it, and what it changed (when recorded)."""

    results: list
    user: dict
    changes: list[dict] = field(default_factory=list)


def execute(
    db: Database, operations: Any, username: str | None, api_key: str | None, base_url: str, denormalize: bool = False
) -> list:
    """Run a batch; raise a ServerError subclass (and store nothing) if any operation fails."""
    return run(db, operations, username, api_key, base_url, denormalize).results


def run(
    db: Database, operations: Any, username: str | None, api_key: str | None, base_url: str,
    denormalize: bool = False, record_changes: bool = False, files: ComponentStorage | None = None,
) -> Outcome:
    """Run a batch in one transaction, like `execute`.

    With `record_changes`, the outcome also describes the entities the batch
    added, updated and removed (see `store.changes`), for ``ftrack.update``.
    `files` is the component storage the file actions use; work on it
    outside the database happens after the commit (see `effects`).
    """
    if not isinstance(operations, list):
        raise ValidationError("The request body must be a JSON list of operations.")
    for position, operation in enumerate(operations):
        if not isinstance(operation, dict):
            raise ValidationError(f"Operation {position} must be a JSON object.")
        actions.action(operation.get("action"))
    write = any(operation.get("action") in actions.WRITES for operation in operations)
    effects = SideEffects()
    try:
        with effects, db.transaction(write=write) as conn:
            user = accounts.authenticate(conn, db.tables, username, api_key)
            if user is None:
                raise InvalidCredentialsError("API key or user not accepted.")
            batch = Batch(db, conn, user, base_url, denormalize, record_changes=write and record_changes,
                          files=files, effects=effects)
            results = [actions.action(operation["action"])(batch, operation) for operation in operations]
            batch.finish()
            changes = batch.changes.describe(conn, db.model, db.tables) if batch.changes else []
    except IntegrityError as error:
        # The writer checks names and keys first; the database's own constraints catch anything left.
        raise DuplicateEntryError(f"The request conflicts with stored data: {first_line(error.orig)}") from None
    return Outcome(results, dict(user), changes)
