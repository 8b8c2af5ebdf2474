"""Users' API keys: creating, checking, revoking."""

from __future__ import annotations

import secrets
from collections.abc import Mapping

from sqlalchemy import Connection, delete, insert, select

from .tables import API_KEY_TABLE
from .values import now


def new_key() -> str:
    return secrets.token_urlsafe(32)


def add_key(conn: Connection, tables, user_id: str, key: str | None = None) -> str:
    key = key or new_key()
    conn.execute(insert(tables[API_KEY_TABLE]), [{"key": key, "user_id": user_id, "created_at": now()}])
    return key


def revoke_key(conn: Connection, tables, key: str) -> bool:
    return conn.execute(delete(tables[API_KEY_TABLE]).where(tables[API_KEY_TABLE].c.key == key)).rowcount > 0


def authenticate(conn: Connection, tables, username: str | None, key: str | None) -> Mapping | None:
    """The active user owning `key` whose username (or email) is `username`, else None."""
    if not username or not key:
        return None
    users, keys = tables["Resource"], tables[API_KEY_TABLE]
    statement = (
        select(users.c.id, users.c.username, users.c.first_name, users.c.last_name)
        .join(keys, keys.c.user_id == users.c.id)
        .where(keys.c.key == key, users.c.resource_type == "user")
        .where((users.c.username == username) | (users.c.email == username))
    )
    return conn.execute(statement).mappings().first()


def find_user(conn: Connection, tables, username: str) -> Mapping | None:
    users = tables["Resource"]
    return conn.execute(
        select(users).where(users.c.username == username, users.c.resource_type == "user")
    ).mappings().first()


def keys_of(conn: Connection, tables, user_id: str) -> list[str]:
    keys = tables[API_KEY_TABLE]
    return list(conn.execute(select(keys.c.key).where(keys.c.user_id == user_id).order_by(keys.c.created_at)).scalars())
