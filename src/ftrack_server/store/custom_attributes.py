"""Custom attributes: which configurations apply to an entity, and typed values."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from ..errors import ValidationError
from ..model import Entity
from .values import encode_datetime, parse_datetime

HIERARCHICAL_OWNERS = ("task", "show", "asset", "assetversion")

FAMILY_BY_ENTITY_TYPE = {
    "task": "context",
    "show": "context",
    "asset": "asset",
    "assetversion": "assetversion",
    "list": "list",
    "user": "user",
}


@dataclass(frozen=True)
class OwnerFacts:
    """What decides which configurations apply to one entity."""

    entity_type: str | None
    object_type_id: str | None
    project_id: str | None


def owner_facts(conn, tables, owners: list[tuple[Entity, Any]]) -> list[OwnerFacts]:
    """Facts for each (entity type, row); project ids of assets and versions are looked up."""
    asset_ids = {row["asset_id"] for entity, row in owners if entity.name == "AssetVersion"}
    asset_ids |= {row["id"] for entity, row in owners if entity.name == "Asset"}
    asset_projects: dict[str, str] = {}
    if asset_ids:
        asset, context = tables["Asset"], tables["context"]
        statement = select(asset.c.id, context.c.project_id).join(context, context.c.id == asset.c.context_id).where(asset.c.id.in_(asset_ids))
        asset_projects = dict(conn.execute(statement).all())
    facts = []
    for entity, row in owners:
        if entity.table == "context":
            if row["context_type"] == "show":
                facts.append(OwnerFacts("show", None, row["id"]))
            else:
                facts.append(OwnerFacts("task", row["object_type_id"], row["project_id"]))
        elif entity.name == "Asset":
            facts.append(OwnerFacts("asset", None, asset_projects.get(row["id"])))
        elif entity.name == "AssetVersion":
            facts.append(OwnerFacts("assetversion", None, asset_projects.get(row["asset_id"])))
        elif entity.table == "List":
            facts.append(OwnerFacts("list", None, row["project_id"]))
        elif entity.name == "User":
            facts.append(OwnerFacts("user", None, None))
        else:
            facts.append(OwnerFacts(None, None, None))
    return facts


def applicable_configurations(configurations: list[dict], facts: OwnerFacts) -> list[dict]:
    """Configurations that apply to an owner; a project's own wins over a global one with its key."""
    chosen: dict[str, dict] = {}
    for configuration in configurations:
        if configuration["project_id"] not in (None, facts.project_id):
            continue
        if configuration["is_hierarchical"]:
            applies = facts.entity_type in HIERARCHICAL_OWNERS
        else:
            applies = configuration["entity_type"] == facts.entity_type and (
                facts.entity_type != "task" or configuration["object_type_id"] == facts.object_type_id
            )
        if not applies:
            continue
        current = chosen.get(configuration["key"])
        if current is None or (current["project_id"] is None and configuration["project_id"] is not None):
            chosen[configuration["key"]] = configuration
    return list(chosen.values())


def validate_value(type_name: str | None, key: str, value: Any) -> Any:
    """Check a value against its configuration's type; datetimes are stored in wire form."""
    if value is None:
        return None
    ok = True
    if type_name == "number":
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    elif type_name in ("text", "url", "expression"):
        ok = isinstance(value, str)
    elif type_name == "boolean":
        ok = isinstance(value, bool)
    elif type_name == "enumerator":
        if isinstance(value, str):
            value = [value]
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
    elif type_name == "date":
        try:
            if isinstance(value, dict):
                value = value.get("value")
            value = encode_datetime(parse_datetime(value) if isinstance(value, str) else value)
        except (TypeError, ValueError, AttributeError):
            ok = False
        ok = ok and isinstance(value, dict)
    if not ok:
        raise ValidationError(f'Custom attribute value for "{key}" must be of type {type_name}.')
    return value


def search_columns(value: Any) -> tuple[str | None, float | None]:
    """Text and number forms of a value, for filtering in SQL."""
    if value is None:
        return None, None
    if isinstance(value, bool):
        return ("true" if value else "false"), float(value)
    if isinstance(value, (int, float)):
        return (str(int(value)) if float(value).is_integer() else str(value)), float(value)
    if isinstance(value, dict) and "value" in value:
        return str(value["value"]), None
    if isinstance(value, list):
        return ",".join(str(v) for v in value), None
    text = str(value)
    try:
        return text, float(text)
    except ValueError:
        return text, None
