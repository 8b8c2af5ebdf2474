"""The database schema's version: creating it, and upgrading older databases in place.

Revisions live in `migrations/versions` (Alembic). A new database gets the
current tables at once and is marked with the newest revision; one an older
openftrack made is upgraded revision by revision. A database made before
openftrack had revisions (0.1.0) holds exactly the first revision's tables and
is marked as such before it is upgraded. Everything happens in one transaction
holding the writers' lock, so servers starting together take turns and a
failed upgrade leaves the database as it was.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect

from .database import Database

MIGRATIONS = Path(__file__).with_name("migrations")
FIRST_REVISION = "0001"


def _config(conn: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = conn
    return config


def head() -> str:
    """The newest revision this openftrack knows."""
    return ScriptDirectory.from_config(_config()).get_current_head()


def revisions() -> list[str]:
    """Every revision, oldest first."""
    return [script.revision for script in reversed(list(ScriptDirectory.from_config(_config()).walk_revisions()))]


def current(conn: Connection) -> str | None:
    """The revision of the database on `conn` (None: no openftrack tables, or from before revisions)."""
    return MigrationContext.configure(conn).get_current_revision()


def stored(db: Database) -> str | None:
    """The revision `db` is at: None without tables, the first one for tables made before revisions."""
    with db.transaction(write=False) as conn:
        return (current(conn) or FIRST_REVISION) if has_tables(conn) else None


def _adopt_first_release(conn: Connection) -> None:
    """Mark tables made before openftrack had revisions (0.1.0) as the first revision."""
    if current(conn) is None:
        command.stamp(_config(conn), FIRST_REVISION)


def prepare(db: Database) -> str | None:
    """Create or upgrade the schema to the newest revision; the revision it had (None: no tables)."""
    with db.transaction() as conn:
        if not has_tables(conn):
            db.metadata.create_all(conn)
            command.stamp(_config(conn), "head")
            return None
        _adopt_first_release(conn)
        known = revisions()
        found = current(conn)
        if found not in known:
            raise SchemaError(f"The database is at revision {found}, which this openftrack ({head()}) does not "
                              "know: it was upgraded by a newer version. Run that version, or restore a backup.")
        if found != head():
            command.upgrade(_config(conn), "head")
    return found


def upgrade_to(db: Database, revision: str) -> None:
    """Create (or upgrade) the schema up to `revision` exactly, by running every migration up to it."""
    with db.transaction() as conn:
        migrate(conn, revision)


def migrate(conn: Connection, revision: str) -> None:
    """Run the migrations up to `revision` inside the transaction on `conn`."""
    if has_tables(conn):
        _adopt_first_release(conn)
    command.upgrade(_config(conn), revision)


def has_tables(conn: Connection) -> bool:
    """Whether openftrack's tables exist on `conn`."""
    return inspect(conn).has_table("Location")


class SchemaError(RuntimeError):
    """The database's schema cannot be used or upgraded by this openftrack."""
