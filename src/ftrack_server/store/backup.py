"""`ftrack-server db dump/restore`: every table's rows as JSON lines, portable between databases.

A dump is read in one snapshot (a read transaction: SQLite's WAL snapshot,
PostgreSQL's repeatable read), so it is consistent while the server keeps
writing. It names the schema revision it was taken at; a restore builds that
revision in an empty database, loads the rows (keeping their order) and
upgrades to the newest revision, all in one transaction: a restore that fails
leaves the database empty. A dump of SQLite restores into PostgreSQL and back.

Layout: a header line ``{"format": "openftrack-dump", "version": 1, "revision": ...}``,
then per table a line ``{"table": name, "columns": [...], "rows": n}`` followed by
its `n` rows as JSON arrays. Files ending in ``.gz`` are gzip-compressed.
"""

from __future__ import annotations

import contextlib
import datetime
import gzip
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import orjson
from sqlalchemy.exc import SAWarning
from sqlalchemy import JSON, Connection, DateTime, MetaData, Text, cast, func, insert, null, select, text

from . import schema
from .database import Database

FORMAT = "openftrack-dump"
VERSION = 1
_BATCH = 2000


class BackupError(RuntimeError):
    """A dump that cannot be read or restored here."""


@contextlib.contextmanager
def _open(path: str, mode: str) -> Iterator[IO[bytes]]:
    if path == "-":
        yield sys.stdout.buffer if mode == "wb" else sys.stdin.buffer
    elif path.endswith(".gz"):
        with gzip.open(path, mode, compresslevel=6) as handle:
            yield handle
    else:
        with open(path, mode) as handle:
            yield handle


def _reflect(conn: Connection) -> MetaData:
    """The tables as the database has them (their revision may be older than this openftrack's)."""
    metadata = MetaData()
    with warnings.catch_warnings():
        # Expression indexes are not reflected on every database; only columns matter here.
        warnings.filterwarnings("ignore", "Skipped unsupported reflection", SAWarning)
        metadata.reflect(conn)
    metadata.remove(metadata.tables["alembic_version"])
    return metadata


def dump(db: Database, path: str) -> dict[str, int]:
    """Write a snapshot of every table to `path` ('-': stdout); rows per table."""
    counts: dict[str, int] = {}
    with db.transaction(write=False) as conn, _open(path, "wb") as out:
        revision = schema.current(conn)
        if revision is None:
            raise BackupError("The database has no openftrack schema to dump.")
        tables = _reflect(conn).sorted_tables
        # The first statement fixes the snapshot; count every table in it before reading rows.
        for table in tables:
            counts[table.name] = conn.execute(select(func.count()).select_from(table)).scalar()
        out.write(orjson.dumps({"format": FORMAT, "version": VERSION, "revision": revision,
                                "created_at": datetime.datetime.now(datetime.timezone.utc).isoformat(),
                                "database": db.dialect}) + b"\n")
        for table in tables:
            columns = [column.name for column in table.columns]
            out.write(orjson.dumps({"table": table.name, "columns": columns, "rows": counts[table.name]}) + b"\n")
            order = table.c._rowid if "_rowid" in table.c else list(table.primary_key.columns)[0]
            # JSON as its text, so a JSON null and a missing value (SQL NULL) stay apart.
            selected = [cast(c, Text) if isinstance(c.type, JSON) else c for c in table.columns]
            rows = conn.execution_options(yield_per=_BATCH).execute(select(*selected).order_by(order))
            written = 0
            for row in rows:
                out.write(orjson.dumps(list(row), default=str) + b"\n")
                written += 1
            if written != counts[table.name]:
                raise BackupError(f"{table.name} changed while it was dumped; the snapshot did not hold.")
    return counts


def restore(db: Database, path: str) -> dict[str, int]:
    """Load a dump into `db`, which must have no openftrack tables yet; rows per table."""
    counts: dict[str, int] = {}
    with _open(path, "rb") as source, db.transaction() as conn:
        if schema.has_tables(conn):
            raise BackupError("The database already has openftrack tables: restore into a new, empty database.")
        lines = iter(source)
        header = _header(next(lines, b""))
        if header["revision"] not in schema.revisions():
            raise BackupError(f"The dump is at schema revision {header['revision']}, which this openftrack "
                              f"({schema.head()}) does not know: restore it with a newer openftrack.")
        schema.migrate(conn, header["revision"])
        tables = _reflect(conn).tables
        for line in lines:
            section = orjson.loads(line)
            table = tables.get(section.get("table")) if isinstance(section, dict) else None
            if table is None:
                raise BackupError(f"Unexpected line in the dump, where a table should start: {line[:200]!r}")
            counts[table.name] = _load(conn, table, section["columns"], section["rows"], lines)
        _continue_sequences(conn, tables.values())
        schema.migrate(conn, "head")
    return counts


def _header(line: bytes) -> dict:
    try:
        header = orjson.loads(line)
    except orjson.JSONDecodeError:
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BackupError("This is not an openftrack dump (made by 'ftrack-server db dump').")
    if header.get("version") != VERSION:
        raise BackupError(f"Dump format version {header.get('version')} is not supported (expected {VERSION}).")
    return header


def _load(conn: Connection, table, columns: list[str], count: int, lines) -> int:
    unknown = [name for name in columns if name not in table.c]
    if unknown:
        raise BackupError(f"The dump's {table.name} has columns this schema lacks: {', '.join(unknown)}.")
    dates = [i for i, name in enumerate(columns) if isinstance(table.c[name].type, DateTime)]
    documents = [i for i, name in enumerate(columns) if isinstance(table.c[name].type, JSON)]
    batch: list[dict] = []
    for done in range(count):
        line = next(lines, None)
        if line is None:
            raise BackupError(f"The dump ends inside {table.name} after {done} of {count} rows: it is truncated.")
        values = orjson.loads(line)
        for i in dates:
            if values[i] is not None:
                values[i] = datetime.datetime.fromisoformat(values[i])
        for i in documents:
            values[i] = null() if values[i] is None else _document(orjson.loads(values[i]))
        batch.append(dict(zip(columns, values)))
        if len(batch) == _BATCH:
            conn.execute(insert(table), batch)
            batch = []
    if batch:
        conn.execute(insert(table), batch)
    return count


def _document(value):
    return JSON.NULL if value is None else value


def _continue_sequences(conn: Connection, tables) -> None:
    """PostgreSQL: number new rows after the restored ones (SQLite does so by itself)."""
    if conn.dialect.name != "postgresql":
        return
    for table in tables:
        if "_rowid" in table.c:
            conn.execute(text(
                f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', '_rowid'), "
                f"coalesce((SELECT max(_rowid) FROM \"{table.name}\"), 0) + 1, false)"
            ))


def describe(counts: dict[str, int], path: str) -> str:
    return f"{sum(counts.values())} rows in {len(counts)} tables ({Path(path).name if path != '-' else 'stdout'})"
