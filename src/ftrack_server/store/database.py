"""The database: engine, schema creation, one transaction per batch."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Connection, create_engine, event, func, insert, select
from sqlalchemy.engine import Engine

from ..model import MODEL, Model
from .tables import build_metadata


class Database:
    """Tables of one model on one engine (SQLite by default)."""

    def __init__(self, url: str, model: Model = MODEL):
        self.url = url
        self.model = model
        self.metadata = build_metadata(model)
        self.tables = self.metadata.tables
        self.engine: Engine = create_engine(url, future=True)
        self._write_lock = threading.Lock()
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _configure_sqlite)
            event.listen(self.engine, "begin", _begin_sqlite)

    @classmethod
    def in_directory(cls, data_dir: Path) -> "Database":
        data_dir.mkdir(parents=True, exist_ok=True)
        return cls(f"sqlite:///{data_dir / 'ftrack.sqlite'}")

    def create(self) -> bool:
        """Create missing tables; return True when the database was empty."""
        self.metadata.create_all(self.engine)
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(self.tables["Location"])).scalar() == 0

    @contextlib.contextmanager
    def transaction(self, write: bool = True) -> Iterator[Connection]:
        """One transaction; writers take turns so a batch never waits on a lock mid-way."""
        lock = self._write_lock if write else contextlib.nullcontext()
        with lock, self.engine.begin() as conn:
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
    conn.exec_driver_sql("BEGIN")


def chunks(items: list, size: int = 5000):
    """`items` in slices small enough for one IN (...) list on every database."""
    for start in range(0, len(items), size):
        yield items[start:start + size]
