"""Schema revisions: new databases, databases of older openftrack versions, and what cannot be upgraded."""

from __future__ import annotations

import datetime
import subprocess
import sys

import pytest
from sqlalchemy import JSON, Boolean, DateTime, Float, Integer, MetaData, insert, inspect, select, text

from ftrack_server.store import schema
from ftrack_server.store.database import Database
from ftrack_server.store.setup import create_database, insert_default_data
from support import databases
from support.server import ServerProcess

# SQLite cannot reflect expression indexes; the tests compare those through the database's own catalogue.
pytestmark = pytest.mark.filterwarnings("ignore:Skipped unsupported reflection")


@pytest.fixture
def new_db(tmp_path):
    made = []

    def make() -> Database:
        made.append(Database(databases.new_database_url(tmp_path / "databases")))
        return made[-1]

    yield make
    for db in made:
        db.dispose()


def cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ftrack_server", *args], capture_output=True, text=True, timeout=120)


def shape(db: Database) -> dict:
    """Tables, columns, keys and index definitions, as the database reports them."""
    with db.engine.connect() as conn:
        found = inspect(conn)
        tables = {
            name: ([(c["name"], str(c["type"]), c["nullable"]) for c in found.get_columns(name)],
                   found.get_pk_constraint(name)["constrained_columns"],
                   sorted((u["name"], tuple(u["column_names"])) for u in found.get_unique_constraints(name)))
            for name in found.get_table_names() if name != "alembic_version"
        }
        if db.dialect == "postgresql":
            rows = conn.execute(text("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'"))
        else:
            rows = conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"))
        indexes = {name: " ".join(definition.replace('"', "").split()) for name, definition in rows}
    return {"tables": tables, "indexes": indexes}


def test_migrations_build_exactly_the_tables_a_new_database_gets(new_db):
    created, migrated = new_db(), new_db()
    assert schema.prepare(created) is None
    schema.upgrade_to(migrated, "head")
    built, upgraded = shape(created), shape(migrated)
    assert len(built["tables"]) == 61 and "uq_context_sibling_name" in built["indexes"]
    assert built == upgraded
    with created.engine.connect() as conn:
        assert schema.current(conn) == schema.head() == schema.revisions()[-1]


def _value(column, row: int, table: str):
    kind = column.type
    if isinstance(kind, Boolean):
        return row % 2 == 0
    if isinstance(kind, Integer):
        return 1000 + row
    if isinstance(kind, Float):
        return row + 0.25
    if isinstance(kind, DateTime):
        return datetime.datetime(2021, 3, 4, 5, 6, 7, 890000) + datetime.timedelta(days=row)
    if isinstance(kind, JSON):
        return {"row": row, "list": [1, "two", None]} if row % 3 else None
    return None if row % 4 == 3 else f"{table}.{column.name}.{row}"


def _fill_every_table(db: Database, rows: int = 6) -> dict:
    """Rows of every kind of value in every table of the database as it is; returns them as read back."""
    metadata = MetaData()
    with db.transaction() as conn:
        metadata.reflect(conn)
        for table in metadata.sorted_tables:
            if table.name == "alembic_version":
                continue
            values = [{c.name: _value(c, n, table.name) for c in table.columns if c.name != "_rowid"} for n in range(rows)]
            key = "key" if table.name == "_api_key" else "id" if "id" in table.c else None
            for n, row in enumerate(values):
                if key:
                    row[key] = f"{table.name}-key-{n}"
                for required in ("user_id", "created_at"):
                    if table.name == "_api_key" and row[required] is None:
                        row[required] = _value(table.c[required], n + 1, table.name)
            conn.execute(insert(table), values)
    return _rows(db, metadata)


def _rows(db: Database, metadata: MetaData) -> dict:
    with db.transaction(write=False) as conn:
        return {
            table.name: [tuple(row) for row in conn.execute(select(table).order_by(*table.primary_key.columns))]
            for table in metadata.sorted_tables if table.name != "alembic_version"
        }


def test_a_first_release_database_is_upgraded_with_every_row_intact(new_db):
    db = new_db()
    schema.upgrade_to(db, schema.FIRST_REVISION)
    before = _fill_every_table(db)
    assert sum(len(rows) for rows in before.values()) == 6 * 61

    assert create_database(db) is False  # upgrades; the database is not empty, so no default data
    with db.engine.connect() as conn:
        assert schema.current(conn) == schema.head()
    reflected = MetaData()
    with db.engine.connect() as conn:
        reflected.reflect(conn, only=list(before))
    assert _rows(db, reflected) == before


def _first_release_server_database(db: Database) -> None:
    """What openftrack 0.1.0 left behind: the first revision's tables, default data, no revision table."""
    schema.upgrade_to(db, schema.FIRST_REVISION)
    with db.transaction() as conn:
        insert_default_data(db, conn)
        conn.execute(text("DROP TABLE alembic_version"))


def test_a_server_upgrades_a_database_from_before_revisions_on_start(tmp_path, new_db):
    db = new_db()
    _first_release_server_database(db)
    with db.engine.connect() as conn:
        assert schema.current(conn) is None and schema.has_tables(conn)
    assert "revision 0001 (newest:" in cli("db", "current", "--database", db.url).stdout
    with ServerProcess(tmp_path / "data", extra_args=["--database", db.url]) as server:
        made = server.call([{"action": "create", "entity_type": "Project", "entity_data": {
            "name": "upgraded", "full_name": "Upgraded", "project_schema_id": _schema_id(server)}}])
        assert made[0]["data"]["name"] == "upgraded"
        again = server.call([{"action": "create", "entity_type": "Project", "entity_data": {
            "name": "UPGRADED", "full_name": "Twice", "project_schema_id": _schema_id(server)}}])
        assert again["exception"] == "DuplicateEntryError"
    assert f"revision {schema.head()} (newest)" in cli("db", "current", "--database", db.url).stdout


def _schema_id(server) -> str:
    return server.call([{"action": "query", "expression": "select id from ProjectSchema"}])[0]["data"][0]["id"]


def test_db_upgrade_reports_the_revisions(new_db):
    db = new_db()
    assert "no openftrack schema yet" in cli("db", "current", "--database", db.url).stdout
    schema.upgrade_to(db, schema.FIRST_REVISION)
    assert f"(newest: {schema.head()}; run 'ftrack-server db upgrade')" in cli("db", "current", "--database", db.url).stdout
    done = cli("db", "upgrade", "--database", db.url)
    assert done.returncode == 0 and done.stdout.strip() == f"database at revision {schema.head()} (was 0001)"
    assert cli("db", "upgrade", "--database", db.url).stdout.strip() == f"database at revision {schema.head()}"


def test_duplicates_stop_the_upgrade_with_the_names_and_change_nothing(new_db):
    db = new_db()
    _first_release_server_database(db)
    with db.transaction() as conn:
        for n, name in enumerate(["Dup", "dup"]):
            conn.execute(insert(db.tables["context"]), {"id": f"p{n}", "name": name, "context_type": "show"})
    done = cli("db", "upgrade", "--database", db.url)
    assert done.returncode == 1
    assert "duplicate lower(name)" in done.stderr and "dup" in done.stderr
    assert "Traceback" not in done.stderr and done.stderr.startswith("ftrack-server: Cannot upgrade")
    with db.engine.connect() as conn:
        assert schema.current(conn) is None
        assert "uq_context_project_name" not in shape(db)["indexes"]


def test_a_database_from_a_newer_openftrack_is_refused(tmp_path, new_db):
    db = new_db()
    create_database(db)
    with db.transaction() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    server = ServerProcess(tmp_path / "data", extra_args=["--database", db.url])
    done = subprocess.run(server.command(), capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "revision 9999" in done.stderr and "newer version" in done.stderr
