"""What one batch changed, recorded by the writer and described the way ``ftrack.update`` reports it.

The writer records only when asked (a `ChangeLog` is given to it): when
nobody listens for events, a batch pays nothing for this.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select

from ..model import Entity, Model
from .database import chunks

#: The column naming each table's parent, for the ``parentId`` of a change.
_PARENT_COLUMN = {"context": "parent_id", "Asset": "context_id", "AssetVersion": "asset_id"}
#: Custom attribute values are reported as changes of the entity they belong to.
_VALUES_TABLE = "CustomAttributeValue"
#: Tables searched for the owner of a custom attribute value.
_OWNER_TABLES = ("context", "AssetVersion", "Asset", "List", "Resource")


@dataclass
class _Change:
    action: str
    entity: Entity
    entity_id: str
    row: dict
    old: dict = field(default_factory=dict)
    new: dict = field(default_factory=dict)
    collections: list[str] = field(default_factory=list)


@dataclass
class _AttributeChange:
    entity_id: str
    key: str
    old: Any
    new: Any


class ChangeLog:
    """The entities a batch added, updated and removed, with old and new values."""

    def __init__(self) -> None:
        self._changes: dict[tuple[str, str], _Change] = {}
        self._attributes: dict[tuple[str, str], _AttributeChange] = {}

    def __bool__(self) -> bool:
        return bool(self._changes or self._attributes)

    # Recording ------------------------------------------------------------------------

    def created(self, entity: Entity, values: Mapping, collections: Iterable[str] = ()) -> None:
        if entity.table == _VALUES_TABLE:
            self.attribute_set(str(values.get("entity_id")), str(values.get("key")), None, values.get("value"))
            return
        entity_id = _entity_id(entity, values)
        values = dict(values)  # for an add, the row and the new values are one and the same
        self._changes[(entity.table, entity_id)] = _Change("add", entity, entity_id, values, {}, values, list(collections))

    def updated(self, entity: Entity, row: Mapping, values: Mapping, collections: Iterable[str] = ()) -> None:
        entity_id = _entity_id(entity, row)
        change = self._changes.get((entity.table, entity_id))
        if change is None:
            change = _Change("update", entity, entity_id, dict(row))
            self._changes[(entity.table, entity_id)] = change
        for column, value in values.items():
            if change.action == "update" and column not in change.old:
                change.old[column] = row.get(column)
            change.new[column] = value
        change.row.update(values)
        change.collections.extend(c for c in collections if c not in change.collections)

    def removed(self, entity: Entity, row: Mapping) -> None:
        if entity.table == _VALUES_TABLE:
            return  # custom attribute values go with their entity, whose removal is reported
        entity_id = _entity_id(entity, row)
        existing = self._changes.pop((entity.table, entity_id), None)
        if existing is not None and existing.action == "add":
            return  # added and removed in one batch: nothing happened, as far as anyone outside knows
        original = dict(row)
        if existing is not None:
            original.update(existing.old)
        self._changes[(entity.table, entity_id)] = _Change("remove", entity, entity_id, dict(row), original, {})

    def attribute_set(self, entity_id: str, key: str, old: Any, new: Any) -> None:
        """A custom attribute value of the entity `entity_id` changed."""
        found = self._attributes.get((entity_id, key))
        if found is None:
            self._attributes[(entity_id, key)] = _AttributeChange(entity_id, key, old, new)
        else:
            found.new = new

    # Describing -----------------------------------------------------------------------

    def describe(self, conn: Connection, model: Model, tables) -> list[dict]:
        """One change object per entity (``action``, ``entityId``, ``keys``, ``changes``, ``parents``, ...).

        Runs inside the batch's transaction: parents are looked up as the batch leaves them.
        """
        described: dict[tuple[str, str], dict] = {}
        rows: dict[str, tuple[Entity, Mapping]] = {}
        columns: dict[str, dict[str, str]] = {}
        for (table, entity_id), change in self._changes.items():
            name = change.entity.name
            if name not in columns:
                columns[name] = {f.column_name: f.name for f in change.entity.fields if f.served}
            out = _describe(change, columns[name])
            if out is not None:
                described[(table, entity_id)] = out
                rows[entity_id] = (change.entity, change.row)
        for attribute in self._attributes.values():
            owner = _owner(conn, model, tables, attribute.entity_id)
            if owner is None or attribute.old == attribute.new:
                continue
            entity, row = owner
            slot = (entity.table, attribute.entity_id)
            out = described.get(slot)
            if out is None:
                out = _header("update", entity, attribute.entity_id, row)
                out["keys"], out["changes"] = [], {}
                described[slot] = out
                rows[attribute.entity_id] = owner
            if attribute.key not in out["keys"]:
                out["keys"].append(attribute.key)
            previous = out["changes"].get(attribute.key, {"old": _plain(attribute.old)})
            out["changes"][attribute.key] = {"old": previous["old"], "new": _plain(attribute.new)}
        if not described:
            return []
        nodes = _lineage(conn, model, tables, rows)
        for out in described.values():
            out["parents"] = _chain(out["entityId"], nodes)
        return list(described.values())


def parent_ids(entities: Iterable[Mapping]) -> list[str]:
    """Every entity id and ancestor id in `entities`' parent chains, once each."""
    seen: dict[str, None] = {}
    for entity in entities:
        for parent in entity.get("parents", ()):
            seen.setdefault(parent["entityId"], None)
    return list(seen)


# Helpers --------------------------------------------------------------------------------

def _entity_id(entity: Entity, values: Mapping) -> str:
    columns = [entity.by_name[k].column_name for k in entity.primary_key]  # type: ignore[union-attr]
    return ",".join(str(values.get(c)) for c in columns)


def _legacy_type(entity: Entity, row: Mapping) -> str:
    if entity.table == "context":
        return str(row.get("context_type") or "task")
    return entity.name.lower()


def _header(action: str, entity: Entity, entity_id: str, row: Mapping) -> dict:
    out = {
        "action": action,
        "entityId": entity_id,
        "entityType": _legacy_type(entity, row),
        "entity_type": entity.name,
        "parentId": _parent_id(entity, row),
    }
    if entity.table == "context" and row.get("object_type_id") is not None:
        out["objectTypeId"] = row["object_type_id"]
    return out


def _parent_id(entity: Entity, row: Mapping) -> str | None:
    column = _PARENT_COLUMN.get(entity.table, "parent_id")
    value = row.get(column)
    return None if value is None else str(value)


def _describe(change: _Change, columns: dict[str, str]) -> dict | None:
    """The change object of one entity; `columns` maps its served columns to attribute names."""
    if not change.entity.served:
        return None  # bookkeeping rows (ancestor links and the like) are not entities clients know
    changes: dict[str, dict] = {}
    if change.action == "add":
        for column, value in change.new.items():
            if value is not None and column in columns:
                changes[columns[column]] = {"old": None, "new": value if type(value) in _PLAIN else _plain(value)}
    elif change.action == "update":
        for column, value in change.new.items():
            old = change.old.get(column)
            if column in columns and old != value:
                changes[columns[column]] = {"old": _plain(old), "new": _plain(value)}
        if not changes and not change.collections:
            return None  # written, but nothing changed
    else:
        for column, value in change.old.items():
            if column in columns and value is not None:
                changes[columns[column]] = {"old": _plain(value), "new": None}
    out = _header(change.action, change.entity, change.entity_id, change.row)
    out["keys"] = list(changes) + [c for c in change.collections if c not in changes]
    out["changes"] = changes
    return out


_PLAIN = frozenset({str, int, float, bool, type(None)})


def _plain(value: Any) -> Any:
    """A stored value as JSON can carry it."""
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value


def _owner(conn: Connection, model: Model, tables, entity_id: str) -> tuple[Entity, Mapping] | None:
    """The entity holding custom attribute values under `entity_id`."""
    for table_name in _OWNER_TABLES:
        table = tables[table_name]
        row = conn.execute(select(table).where(table.c.id == entity_id)).mappings().first()
        if row is not None:
            return _concrete(model, table_name, row), row
    return None


def _concrete(model: Model, table_name: str, row: Mapping) -> Entity:
    family = model.tables[table_name]
    root = min(family, key=lambda e: len(e.classifier))
    return model.concrete(root, row)


def _node(entity: Entity, entity_id: str, row: Mapping) -> dict:
    return {
        "entityId": entity_id,
        "entityType": _legacy_type(entity, row),
        "entity_type": entity.name,
        "parentId": _parent_id(entity, row),
    }


def _lineage(conn: Connection, model: Model, tables, rows: dict[str, tuple[Entity, Mapping]]) -> dict[str, dict]:
    """Parent-chain nodes by id: the changed entities, their assets and their contexts' ancestors."""
    nodes = {entity_id: _node(entity, entity_id, row) for entity_id, (entity, row) in rows.items()}
    wanted = {n["parentId"] for n in nodes.values() if n["parentId"] and n["parentId"] not in nodes}
    asset_ids = [
        str(row["asset_id"]) for entity, row in rows.values()
        if entity.table == "AssetVersion" and row.get("asset_id") and str(row["asset_id"]) not in nodes
    ]
    if asset_ids:
        assets = tables["Asset"]
        for chunk in chunks(sorted(set(asset_ids))):
            for row in conn.execute(select(assets).where(assets.c.id.in_(chunk))).mappings():
                node = _node(_concrete(model, "Asset", row), str(row["id"]), row)
                nodes[node["entityId"]] = node
                wanted.discard(node["entityId"])
                if node["parentId"] and node["parentId"] not in nodes:
                    wanted.add(node["parentId"])
    if wanted:
        context, closure = tables["context"], tables["ContextAncestor"]
        ancestors = select(closure.c.ancestor_id)
        for chunk in chunks(sorted(wanted)):
            statement = select(context).where(
                context.c.id.in_(chunk) | context.c.id.in_(ancestors.where(closure.c.descendant_id.in_(chunk)))
            )
            for row in conn.execute(statement).mappings():
                node = _node(_concrete(model, "context", row), str(row["id"]), row)
                nodes.setdefault(node["entityId"], node)
    return nodes


def _chain(entity_id: str, nodes: dict[str, dict]) -> list[dict]:
    """The entity and its ancestors, nearest first."""
    chain: list[dict] = []
    seen: set[str] = set()
    current: str | None = entity_id
    while current is not None and current in nodes and current not in seen:
        seen.add(current)
        node = nodes[current]
        chain.append(dict(node))
        current = node["parentId"]
    return chain
