"""Which database the servers started by tests use: SQLite in their data dir, or PostgreSQL.

The server tests run once per backend (``tests/server/conftest.py``); every server process and
command-line call made meanwhile goes through `store_args`, so one data dir always maps to the
same database, across restarts and admin commands.
"""

from __future__ import annotations

import os
from pathlib import Path

SQLITE = "sqlite"
POSTGRESQL = "postgresql"

backend = SQLITE
postgres = None  # the PostgresServer, started on first use
_databases: dict[str, str] = {}


def use(name: str, work_dir: Path) -> None:
    """Start servers on `name` from now on (starting PostgreSQL when needed)."""
    global backend, postgres
    if name == POSTGRESQL and postgres is None:
        from support.postgres import PostgresServer

        postgres = PostgresServer(work_dir).start()
    backend = name


def stop() -> None:
    global postgres
    if postgres is not None:
        postgres.stop()
        postgres = None


def database_url(data_dir: os.PathLike[str] | str) -> str | None:
    """The database serving `data_dir` under the current backend (None: SQLite in the data dir)."""
    if backend == SQLITE:
        return None
    key = str(Path(data_dir).resolve())
    if key not in _databases:
        _databases[key] = postgres.url(postgres.create_database())
    return _databases[key]


def new_database_url(folder: Path) -> str:
    """A new, empty database under the current backend (SQLite: a file in `folder`)."""
    if backend == SQLITE:
        folder.mkdir(parents=True, exist_ok=True)
        number = len(list(folder.glob("db-*.sqlite")))
        return f"sqlite:///{folder / f'db-{number}.sqlite'}"
    return postgres.url(postgres.create_database())


def store_args(data_dir: os.PathLike[str] | str) -> list[str]:
    """``ftrack-server`` options naming where `data_dir`'s data lives."""
    url = database_url(data_dir)
    return ["--data-dir", str(data_dir), *(["--database", url] if url else [])]
