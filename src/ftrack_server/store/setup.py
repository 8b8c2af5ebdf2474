"""A fresh server: tables, default data, the admin user and its API key."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import func, insert, select

from ..model import Entity
from ..model.dsl import MISSING, UID
from . import accounts, schema, seed
from .database import Database
from .values import now, to_storage

log = logging.getLogger("ftrack_server")


@dataclass(frozen=True)
class Credentials:
    username: str
    api_key: str
    created: bool


def create_database(db: Database, admin_user: str = "admin") -> bool:
    """Create or upgrade the schema; fill an empty database with default data. True when it was empty."""
    previous = schema.prepare(db)
    if previous not in (None, schema.head()):
        log.warning("Upgraded the database schema from revision %s to %s.", previous, schema.head())
    with db.transaction() as conn:
        if conn.execute(select(func.count()).select_from(db.tables["Location"])).scalar():
            return False
        insert_default_data(db, conn, admin_user)
    return True


def insert_default_data(db: Database, conn, admin_user: str = "admin") -> None:
    """The data of a fresh server (statuses, types, schemas, locations, the admin user)."""
    for type_name, data in seed.default_rows(admin_user):
        entity = db.model.entities[type_name]
        conn.execute(insert(db.tables[entity.table]), [_row(entity, data)])


def initialise(db: Database, admin_user: str = "admin", admin_api_key: str | None = None) -> Credentials:
    """A ready database and the admin user's credentials.

    An `admin_api_key` given for an existing database is added to that user if missing,
    so test suites and pipelines can rely on fixed credentials.
    """
    created = create_database(db, admin_user)
    with db.transaction() as conn:
        user = accounts.find_user(conn, db.tables, admin_user)
        if user is None:
            raise SystemExit(f'No user "{admin_user}" in this database; create it with "ftrack-server user create".')
        keys = accounts.keys_of(conn, db.tables, user["id"])
        if admin_api_key:
            if admin_api_key not in keys:
                accounts.add_key(conn, db.tables, user["id"], admin_api_key)
            return Credentials(admin_user, admin_api_key, created)
        key = keys[0] if keys else accounts.add_key(conn, db.tables, user["id"])
        return Credentials(admin_user, key, created)


def _row(entity: Entity, data: dict) -> dict:
    row = {}
    for field in entity.fields:
        if field.name in data:
            row[field.column_name] = to_storage(entity.name, field, data[field.name])
        elif field.default is not MISSING and field.default != UID:
            row[field.column_name] = field.default
    row.update({name: value for name, value in entity.classifier})
    if "created_at" in row or any(f.name == "created_at" for f in entity.fields):
        row.setdefault("created_at", now())
    return row
