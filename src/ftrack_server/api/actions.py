"""One function per action of the `/api` batch endpoint."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any


from .. import __version__
from ..errors import ParseError, UnknownActionError, ValidationError
from ..files import actions as file_actions
from ..files import encoding
from ..model import Field
from ..model.dsl import MISSING, UID
from ..query import parser
from ..query.ast import Aggregate, Query
from ..query.loader import projection_tree
from ..query.unify import shorten, unify
from ..store import accounts, seed
from ..store.tables import API_KEY_TABLE

if TYPE_CHECKING:
    from .batch import Batch

SERVER_VERSION = "4.13.0"


@lru_cache(maxsize=2048)
def parse(expression: str) -> Query:
    try:
        return parser.parse(expression)
    except parser.ParseError as error:
        raise ParseError(str(error)) from None


def query_server_information(batch: Batch, operation: dict) -> dict:
    return {
        "version": SERVER_VERSION,
        "openftrack_version": __version__,
        "schema_hash": batch.model.schema_hash,
        "storage_scenario": seed.STORAGE_SCENARIO,
        "is_timezone_support_enabled": True,
    }


def query_schemas(batch: Batch, operation: dict) -> list:
    return batch.model.schemas


def query(batch: Batch, operation: dict) -> dict:
    expression = operation.get("expression")
    if not isinstance(expression, str) or not expression.strip():
        raise ValidationError('The query action needs an "expression" string.')
    parsed = parse(expression)
    if parsed.group_by or any(isinstance(p, Aggregate) for p in parsed.projections or ()):
        statement, names = batch.compiler.aggregate(parsed)
        rows = [dict(zip(names, r)) for r in batch.conn.execute(statement)]
        data, next_offset = _page(parsed, rows)
        return {"action": "query", "data": data, "metadata": {"next": {"offset": next_offset}}}
    if parsed.projections is None:
        entity = batch.writer.entity(parsed.entity_type)
        tree = projection_tree((name,) for name in entity.default_projections)
    else:
        tree = projection_tree(p.names for p in parsed.projections)
    entity, statement, _ = batch.compiler.rows(parsed, lambda e: batch.loader.columns(e, tree))
    rows = list(batch.conn.execute(statement).mappings())
    rows, next_offset = _page(parsed, rows)
    data = batch.loader.entities(entity, rows, tree)
    if batch.loader.repeats:
        data = unify(data, batch.primary_key)
    if not batch.denormalize:
        data = shorten(data, batch.primary_key)
    return {"action": "query", "data": data, "metadata": {"next": {"offset": next_offset}}}


def _page(parsed: Query, rows: list) -> tuple[list, int | None]:
    if parsed.limit is not None and len(rows) > parsed.limit:
        return rows[: parsed.limit], (parsed.offset or 0) + parsed.limit
    return rows, None


def create(batch: Batch, operation: dict) -> dict:
    data = batch.writer.create(operation.get("entity_type"), operation.get("entity_data"))
    return {"action": "create", "data": data}


def update(batch: Batch, operation: dict) -> dict:
    if "entity_key" not in operation:
        raise ValidationError('The update action needs an "entity_key".')
    data = batch.writer.update(operation.get("entity_type"), operation["entity_key"], operation.get("entity_data"))
    return {"action": "update", "data": data}


def delete(batch: Batch, operation: dict) -> dict:
    if "entity_key" not in operation:
        raise ValidationError('The delete action needs an "entity_key".')
    return {"action": "delete", "data": batch.writer.delete(operation.get("entity_type"), operation["entity_key"])}


def reset_remote(batch: Batch, operation: dict) -> dict:
    """Reset an attribute to its default; for a user's `api_key`, issue a new key."""
    reset_type = operation.get("reset_type")
    if not isinstance(reset_type, str):
        raise ValidationError('reset_type must be an attribute name given as a string.')
    entity = batch.writer.entity(operation.get("entity_type", "User"))
    key = operation.get("entity_key", batch.user_id)
    row = batch.writer.require(entity, batch.writer.key_values(entity, key))
    if reset_type == "api_key" and entity.table == "Resource":
        tables = batch.db.tables
        batch.conn.execute(tables[API_KEY_TABLE].delete().where(tables[API_KEY_TABLE].c.user_id == row["id"]))
        return {"action": "reset_remote", "data": {"api_key": accounts.add_key(batch.conn, tables, row["id"])}}
    field = entity.by_name.get(reset_type)
    default = field.default if isinstance(field, Field) else MISSING
    if reset_type in entity.primary_key or default is MISSING or default is None or default == UID:
        raise ValidationError(f'"{entity.name}.{reset_type}" has no default to reset to.')
    batch.writer.update(entity.name, key, {reset_type: default})
    return {"action": "reset_remote", "data": {reset_type: default}}


ACTIONS: dict[str, Callable[[Any, dict], Any]] = {
    "query_server_information": query_server_information,
    "query_schemas": query_schemas,
    "query": query,
    "create": create,
    "update": update,
    "delete": delete,
    "reset_remote": reset_remote,
    "get_upload_metadata": file_actions.get_upload_metadata,
    "complete_multipart_upload": file_actions.complete_multipart_upload,
    "encode_media": encoding.encode_media,
}
WRITES = frozenset({"create", "update", "delete", "reset_remote", "encode_media"})


def action(name: Any) -> Callable[[Any, dict], Any]:
    found = ACTIONS.get(name) if isinstance(name, str) else None
    if found is None:
        raise UnknownActionError(name)
    return found
