"""The database: engine, schema, one transaction per batch.

Writers take turns across every server process sharing the database (SQLite's
write lock, taken at ``BEGIN IMMEDIATE``; a PostgreSQL advisory lock), so the
rules a batch checks (unique names, version numbers) still hold when it
commits. Readers never wait: they see a consistent snapshot.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Connection, create_engine, event, insert
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError

from ..model import MODEL, Model
from .tables import build_metadata

WRITER_LOCK = 7_311_963_241
"""The PostgreSQL advisory lock a writing transaction holds until it ends."""

_WRITE = "openftrack_write"


class BadDatabaseURL(ValueError):
    """A database URL that cannot be understood."""


def normalise_url(url: str) -> str:
    """`url` with our PostgreSQL driver (psycopg 3) unless it names one; the password stays."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise BadDatabaseURL(f"{url!r} is not a database URL (e.g. postgresql://user:password@host/database)") from None
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def display_url(url: str) -> str:
    """`url` safe to print: the password masked."""
    return make_url(url).render_as_string(hide_password=True)


def sqlite_file(data_dir: Path) -> Path:
    """The SQLite database a data dir holds unless another database is named."""
    return data_dir / "ftrack.sqlite"


class Database:
    """Tables of one model on one engine (SQLite by default)."""

    def __init__(self, url: str, model: Model = MODEL):
        self.url = normalise_url(url)
        self.model = model
        self.metadata = build_metadata(model)
        self.tables = self.metadata.tables
        self._write_lock = threading.Lock()
        self.dialect = make_url(self.url).get_backend_name()
        if self.dialect == "sqlite":
            self.engine: Engine = create_engine(self.url)
            event.listen(self.engine, "connect", _configure_sqlite)
            event.listen(self.engine, "begin", _begin_sqlite)
        else:
            # Check a pooled connection before use, so a database that restarted costs no request.
            self.engine = create_engine(self.url, pool_pre_ping=True, pool_size=5, max_overflow=20)

    @classmethod
    def in_directory(cls, data_dir: Path) -> "Database":
        data_dir.mkdir(parents=True, exist_ok=True)
        return cls(f"sqlite:///{sqlite_file(data_dir)}")

    @contextlib.contextmanager
    def transaction(self, write: bool = True) -> Iterator[Connection]:
        """One transaction: a writer holds the database's write lock, a reader a snapshot."""
        lock = self._write_lock if write else contextlib.nullcontext()
        with lock, self.engine.connect() as conn:
            conn = conn.execution_options(**{_WRITE: write})
            with conn.begin():
                if self.dialect == "postgresql":
                    if write:
                        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITER_LOCK})")
                    else:
                        conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                yield conn

    def insert_rows(self, conn: Connection, table: str, rows: list[dict]) -> None:
        if rows:
            conn.execute(insert(self.tables[table]), rows)

    def dispose(self) -> None:
        self.engine.dispose()


def _configure_sqlite(dbapi_connection, _record) -> None:
    # Let SQLAlchemy issue BEGIN itself (see _begin_sqlite); WAL lets readers run beside a writer.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA cache_size=-16384")
    cursor.close()


def _begin_sqlite(conn) -> None:
    # A writer takes the write lock up front: one that only upgraded on its first write could find
    # its snapshot outdated by another process's commit and fail instead of waiting its turn.
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "BEGIN")


def chunks(items: list, size: int = 5000):
    """`items` in slices small enough for one IN (...) list on every database."""
    for start in range(0, len(items), size):
        yield items[start:start + size]
