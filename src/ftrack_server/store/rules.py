"""What the server does beyond storing values: defaults, derived data, cascades."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, insert, select, update

from ..errors import DuplicateEntryError, ValidationError
from ..model import Collection, Entity, Model, Reference
from . import seed
from .custom_attributes import FAMILY_BY_ENTITY_TYPE, applicable_configurations, owner_facts, search_columns, validate_value
from .values import now
from .database import chunks

if TYPE_CHECKING:
    from .writer import Writer

# Collections whose items cannot outlive their owner.
OWNED = frozenset({
    "children", "notes", "metadata", "custom_attributes", "assets", "versions", "components",
    "component_locations", "recipients", "replies", "note_components", "note_label_links",
    "job_components", "appointments", "managers", "timelogs", "status_changes", "incoming_links",
    "outgoing_links", "user_security_roles", "user_security_role_projects", "memberships", "values",
    "statuses", "types", "items", "_schemas", "_overrides", "task_templates",
})
# Configuration types that may not be deleted while something uses them.
PROTECTED = frozenset({
    "Status", "Type", "Priority", "ObjectType", "ProjectSchema", "WorkflowSchema", "State",
    "TaskTypeSchema", "Location", "AssetType", "NoteCategory", "NoteLabel", "ListCategory",
    "CustomAttributeType", "SecurityRole", "UserType", "ManagerType",
})


# Create ----------------------------------------------------------------------------------

def before_create(writer: Writer, entity: Entity, values: dict) -> None:
    columns = writer.model.columns(entity.table)
    if "created_at" in columns and values.get("created_at") is None:
        values["created_at"] = now()
    if "created_by_id" in columns and values.get("created_by_id") is None:
        values["created_by_id"] = writer.user_id
    hook = _BEFORE_CREATE.get(entity.table)
    if hook:
        hook(writer, entity, values)


def _context_defaults(writer: Writer, entity: Entity, values: dict) -> None:
    if entity.name == "TypedContext":
        raise ValidationError('Cannot create "TypedContext": create a Task, Shot, Sequence or another subtype.')
    if entity.name == "Project":
        values["project_id"] = values["id"]
        values.setdefault("status", "active")
        values.setdefault("root", "")
        if values.get("parent_id") is not None:
            raise ValidationError("A project cannot have a parent.")
        return
    parent = _context_row(writer, values.get("parent_id"))
    if parent is None:
        raise ValidationError(f'"{entity.name}" needs a parent: a project or another context.')
    values["project_id"] = parent["project_id"]
    values.setdefault("bid", 0)
    values.setdefault("sort", 0)
    values.setdefault("description", "")
    schema = (values["project_id"], values.get("object_type_id"))
    if values.get("type_id") is None:
        values["type_id"] = _remembered(writer, ("type",) + schema, lambda: _default_type(writer, entity, values))
    if values.get("status_id") is None:
        key = ("status",) + schema + (values["type_id"],)
        values["status_id"] = _remembered(writer, key, lambda: _default_status(writer, entity, values))


def _context_row(writer: Writer, context_id: Any) -> Mapping | None:
    return None if context_id is None else writer.row("context", context_id)


def _project_schema_id(writer: Writer, project_id: str | None) -> str | None:
    project = _context_row(writer, project_id)
    return project["project_schema_id"] if project else None


def _remembered(writer: Writer, key: tuple, compute):
    """`compute()`, once per batch for each `key`."""
    if key not in writer.memo:
        writer.memo[key] = compute()
    return writer.memo[key]


def _object_schema_ids(writer: Writer, project_id, object_type_id, link: str, column: str) -> list[str]:
    """Statuses or types the project schema's per-object-type Schema allows, in order."""
    schema, rows = writer.tables["Schema"], writer.tables[link]
    statement = (
        select(rows.c[column])
        .join(schema, schema.c.id == rows.c.schema_id)
        .where(schema.c.project_schema_id == _project_schema_id(writer, project_id), schema.c.object_type_id == object_type_id)
        .order_by(rows.c.sort, rows.c._rowid)
    )
    return list(writer.conn.execute(statement).scalars())


def _default_status(writer: Writer, entity: Entity, values: dict) -> str:
    if values.get("object_type_id") == seed.OBJECT_TYPE_IDS.get("Task"):
        workflow = _task_workflow(writer, values["project_id"], values.get("type_id"))
        statuses = _workflow_statuses(writer, workflow)
    else:
        statuses = _object_schema_ids(writer, values["project_id"], values.get("object_type_id"), "SchemaStatus", "status_id")
    return statuses[0] if statuses else seed.STATUS_NOT_STARTED_ID


def _default_type(writer: Writer, entity: Entity, values: dict) -> str:
    if values.get("object_type_id") == seed.OBJECT_TYPE_IDS.get("Task"):
        schema = writer.tables["ProjectSchema"]
        link, types = writer.tables["TaskTypeSchemaType"], writer.tables["Type"]
        statement = (
            select(types.c.id)
            .join(link, link.c.type_id == types.c.id)
            .join(schema, schema.c.task_type_schema_id == link.c.task_type_schema_id)
            .where(schema.c.id == _project_schema_id(writer, values["project_id"]))
            .order_by(types.c.sort, types.c._rowid)
        )
        found = list(writer.conn.execute(statement).scalars())
    else:
        found = _object_schema_ids(writer, values["project_id"], values.get("object_type_id"), "SchemaType", "type_id")
    return found[0] if found else seed.stable_id("Type", "Generic")


def _task_workflow(writer: Writer, project_id: str, type_id: str | None) -> str | None:
    schema_id = _project_schema_id(writer, project_id)
    overrides = writer.tables["ProjectSchemaOverride"]
    override = writer.conn.execute(
        select(overrides.c.workflow_schema_id).where(overrides.c.project_schema_id == schema_id, overrides.c.type_id == type_id)
    ).scalar()
    if override:
        return override
    schema = writer.tables["ProjectSchema"]
    return writer.conn.execute(select(schema.c.task_workflow_schema_id).where(schema.c.id == schema_id)).scalar()


def _workflow_statuses(writer: Writer, workflow_id: str | None) -> list[str]:
    link, statuses = writer.tables["WorkflowSchemaStatus"], writer.tables["Status"]
    statement = (
        select(statuses.c.id)
        .join(link, link.c.status_id == statuses.c.id)
        .where(link.c.workflow_schema_id == workflow_id)
        .order_by(statuses.c.sort, statuses.c._rowid)
    )
    return list(writer.conn.execute(statement).scalars())


def _version_defaults(writer: Writer, entity: Entity, values: dict) -> None:
    versions = writer.tables["AssetVersion"]
    if values.get("version") is None:
        highest = writer.conn.execute(select(func.max(versions.c.version)).where(versions.c.asset_id == values.get("asset_id"))).scalar()
        values["version"] = (highest or 0) + 1
    values.setdefault("comment", "")
    values.setdefault("is_published", True)
    if values.get("date") is None:
        values["date"] = now()
    if values.get("user_id") is None:
        values["user_id"] = writer.user_id
    if values.get("status_id") is None:
        asset, context, schema = writer.tables["Asset"], writer.tables["context"], writer.tables["ProjectSchema"]
        project_id = writer.conn.execute(
            select(context.c.project_id).join(asset, asset.c.context_id == context.c.id).where(asset.c.id == values.get("asset_id"))
        ).scalar()
        schema_id = _project_schema_id(writer, project_id) or seed.PROJECT_SCHEMA_ID
        workflow = writer.conn.execute(select(schema.c.asset_version_workflow_schema_id).where(schema.c.id == schema_id)).scalar()
        statuses = _workflow_statuses(writer, workflow)
        values["status_id"] = statuses[0] if statuses else seed.STATUS_NOT_STARTED_ID


def _resource_defaults(writer: Writer, entity: Entity, values: dict) -> None:
    if entity.name != "User":
        return
    if not values.get("username"):
        values["username"] = values["id"]
    for flag in ("is_active", "is_otp_enabled", "is_totp_enabled", "require_details_update"):
        values.setdefault(flag, False)
    values.setdefault("user_type_id", seed.USER_TYPE_ID)


def _note_defaults(writer: Writer, entity: Entity, values: dict) -> None:
    if values.get("user_id") is None:
        values["user_id"] = writer.user_id
    if values.get("date") is None:
        values["date"] = now()
    values.setdefault("is_todo", False)
    if values.get("in_reply_to_id") and values.get("parent_id") is None:
        notes = writer.tables["Note"]
        original = writer.conn.execute(select(notes.c.parent_id, notes.c.parent_type).where(notes.c.id == values["in_reply_to_id"])).first()
        if original:
            values["parent_id"], values["parent_type"] = original


def _started_by_caller(time_field: str):
    """Defaults for timers, lists, time logs: now, and the calling user."""
    def hook(writer: Writer, entity: Entity, values: dict) -> None:
        if values.get(time_field) is None:
            values[time_field] = now()
        if values.get("user_id") is None:
            values["user_id"] = writer.user_id
    return hook


def _value_defaults(writer: Writer, entity: Entity, values: dict) -> None:
    configuration = _configuration(writer, values.get("configuration_id"))
    values["value_family"] = FAMILY_BY_ENTITY_TYPE.get(configuration["entity_type"], "context")
    if configuration["is_hierarchical"]:
        values["value_family"] = _family_of(writer, values.get("entity_id")) or values["value_family"]
    values["key"] = configuration["key"]
    values["value"] = validate_value(_configuration_type(writer, configuration), configuration["key"], values.get("value"))
    values["_text"], values["_number"] = search_columns(values["value"])


def _configuration_defaults(writer: Writer, entity: Entity, values: dict) -> None:
    writer.forget()
    values.setdefault("config", "{}")
    values.setdefault("core", False)
    values.setdefault("is_hierarchical", False)
    values.setdefault("sort", 0)
    if not values.get("key"):
        raise ValidationError('"CustomAttributeConfiguration.key" is required.')
    values["_default_text"], values["_default_number"] = search_columns(values.get("default"))


_BEFORE_CREATE = {
    "context": _context_defaults,
    "AssetVersion": _version_defaults,
    "Resource": _resource_defaults,
    "Note": _note_defaults,
    "Timer": _started_by_caller("start"),
    "List": _started_by_caller("date"),
    "Timelog": _started_by_caller("start"),
    "CustomAttributeValue": _value_defaults,
    "CustomAttributeConfiguration": _configuration_defaults,
}


def after_create(writer: Writer, entity: Entity, values: dict) -> None:
    if entity.table == "context":
        _link_into_tree(writer, values["id"], values.get("parent_id"))
    if entity.table == "AssetVersion":
        _mark_latest(writer, values.get("asset_id"))
    if entity.table == "Note":
        writer.created_notes.append(values["id"])
    if entity.table in ("context", "Asset", "AssetVersion", "List", "Resource"):
        _materialise_defaults(writer, entity, values)


def _link_into_tree(writer: Writer, context_id: str, parent_id: str | None) -> None:
    if parent_id is None:
        return
    closure = writer.tables["ContextAncestor"]
    above = _remembered(writer, ("ancestors", parent_id), lambda: list(writer.conn.execute(
        select(closure.c.ancestor_id, closure.c.depth).where(closure.c.descendant_id == parent_id)
    )))
    rows = [{"ancestor_id": parent_id, "descendant_id": context_id, "depth": 1}]
    rows += [{"ancestor_id": ancestor_id, "descendant_id": context_id, "depth": depth + 1} for ancestor_id, depth in above]
    writer.conn.execute(insert(closure), rows)


def _mark_latest(writer: Writer, asset_id: str | None) -> None:
    if asset_id is None:
        return
    writer.forget()
    versions = writer.tables["AssetVersion"]
    writer.conn.execute(update(versions).where(versions.c.asset_id == asset_id).values(is_latest_version=False))
    latest = (
        select(versions.c._rowid)
        .where(versions.c.asset_id == asset_id)
        .order_by(versions.c.version.desc(), versions.c._rowid.desc())
        .limit(1)
        .scalar_subquery()
    )
    writer.conn.execute(update(versions).where(versions.c._rowid == latest).values(is_latest_version=True))


def _materialise_defaults(writer: Writer, entity: Entity, values: dict) -> None:
    """Store configuration defaults on new entities, so later default changes leave them be."""
    configurations = [c for c in _configurations(writer) if c["default"] is not None]
    if not configurations:
        return
    facts = owner_facts(writer.conn, writer.tables, [(entity, values)])[0]
    rows = []
    for configuration in applicable_configurations(configurations, facts):
        text, number = search_columns(configuration["default"])
        rows.append({
            "configuration_id": configuration["id"], "entity_id": values["id"], "key": configuration["key"],
            "value": configuration["default"], "value_family": _value_family(entity), "_text": text, "_number": number,
        })
    if rows:
        writer.conn.execute(insert(writer.tables["CustomAttributeValue"]), rows)


def _value_family(entity: Entity) -> str:
    return {"context": "context", "Asset": "asset", "AssetVersion": "assetversion", "List": "list", "Resource": "user"}[entity.table]


def _family_of(writer: Writer, entity_id: Any) -> str | None:
    for table, family in (("context", "context"), ("AssetVersion", "assetversion"), ("Asset", "asset")):
        t = writer.tables[table]
        if writer.conn.execute(select(t.c._rowid).where(t.c.id == entity_id)).first():
            return family
    return None


def _configurations(writer: Writer) -> list[dict]:
    def load() -> list[dict]:
        table = writer.tables["CustomAttributeConfiguration"]
        statement = select(table).order_by(table.c.sort, table.c._rowid)
        return [dict(r) for r in writer.conn.execute(statement).mappings()]

    return _remembered(writer, ("configurations",), load)


def _configuration(writer: Writer, configuration_id: Any) -> Mapping:
    table = writer.tables["CustomAttributeConfiguration"]
    row = writer.conn.execute(select(table).where(table.c.id == configuration_id)).mappings().first()
    if row is None:
        raise ValidationError(f'No CustomAttributeConfiguration with id "{configuration_id}".')
    return row


def _configuration_type(writer: Writer, configuration: Mapping) -> str | None:
    table = writer.tables["CustomAttributeType"]
    return writer.conn.execute(select(table.c.name).where(table.c.id == configuration["type_id"])).scalar()


def upsert_custom_attribute(writer: Writer, entity: Entity, key: tuple, data: dict) -> dict:
    """Set a custom attribute value, creating the row when the entity has none yet."""
    unknown = set(data) - {"value", "configuration_id", "entity_id", "key"}
    if unknown:
        raise ValidationError(f'"{entity.name}" has no writable attribute "{sorted(unknown)[0]}".')
    configuration_id, entity_id = key
    configuration = _configuration(writer, configuration_id)
    value = validate_value(_configuration_type(writer, configuration), configuration["key"], data.get("value"))
    text, number = search_columns(value)
    table = writer.tables["CustomAttributeValue"]
    where = (table.c.configuration_id == configuration_id, table.c.entity_id == entity_id)
    existing = writer.conn.execute(select(table.c._rowid, table.c.value).where(*where)).first()
    if writer.changes is not None:
        old = existing.value if existing else configuration["default"]
        writer.changes.attribute_set(entity_id, configuration["key"], old, value)
    if existing:
        writer.conn.execute(update(table).where(*where).values(value=value, _text=text, _number=number))
    else:
        family = FAMILY_BY_ENTITY_TYPE.get(configuration["entity_type"], "context")
        if configuration["is_hierarchical"]:
            family = _family_of(writer, entity_id) or family
        writer.conn.execute(insert(table), [{
            "configuration_id": configuration_id, "entity_id": entity_id, "key": configuration["key"],
            "value": value, "value_family": family, "_text": text, "_number": number,
        }])
    return {
        "__entity_type__": entity.name, "configuration_id": configuration_id, "entity_id": entity_id,
        "key": configuration["key"], "value": value,
    }


# Update ----------------------------------------------------------------------------------

def before_update(writer: Writer, entity: Entity, row: Mapping, values: dict) -> None:
    if entity.table == "context" and "parent_id" in values and values["parent_id"] != row["parent_id"]:
        if entity.name == "Project":
            raise ValidationError("A project cannot have a parent.")
        parent = _context_row(writer, values["parent_id"])
        if parent is None:
            raise ValidationError(f'No context with id "{values["parent_id"]}".')
        closure = writer.tables["ContextAncestor"]
        below = writer.conn.execute(
            select(closure.c.descendant_id).where(closure.c.ancestor_id == row["id"], closure.c.descendant_id == parent["id"])
        ).first()
        if below or parent["id"] == row["id"]:
            raise ValidationError(f'Cannot move "{row["name"]}" below itself.')
        values["project_id"] = parent["project_id"]


def after_update(writer: Writer, entity: Entity, row: Mapping, values: dict) -> None:
    if entity.table == "CustomAttributeConfiguration":
        writer.forget()
    if entity.table == "CustomAttributeConfiguration" and "default" in values:
        text, number = search_columns(values["default"])
        table = writer.tables[entity.table]
        writer.conn.execute(update(table).where(table.c.id == row["id"]).values(_default_text=text, _default_number=number))
    if entity.table == "context" and "parent_id" in values and values["parent_id"] != row["parent_id"]:
        _move_subtree(writer, row["id"], values["parent_id"], values["project_id"])
    if entity.table == "AssetVersion" and ("version" in values or "asset_id" in values):
        _mark_latest(writer, row["asset_id"])
        _mark_latest(writer, values.get("asset_id", row["asset_id"]))
    if "status_id" in values and values["status_id"] != row.get("status_id") and entity.table in ("context", "AssetVersion"):
        change_type = "task" if entity.table == "context" else "assetversion"
        writer.conn.execute(insert(writer.tables["StatusChange"]), [{
            "id": str(uuid.uuid4()), "change_type": change_type, "parent_id": row["id"],
            "parent_type": entity.name, "status_id": values["status_id"], "from_status_id": row["status_id"],
            "user_id": writer.user_id, "date": now(),
        }])


def _move_subtree(writer: Writer, context_id: str, parent_id: str, project_id: str) -> None:
    writer.forget()
    closure, context = writer.tables["ContextAncestor"], writer.tables["context"]
    subtree = [context_id] + list(
        writer.conn.execute(select(closure.c.descendant_id).where(closure.c.ancestor_id == context_id)).scalars()
    )
    # Forget links from outside the subtree into it, then link again below the new parent.
    writer.conn.execute(delete(closure).where(closure.c.descendant_id.in_(subtree), closure.c.ancestor_id.not_in(subtree)))
    new_above = [(parent_id, 1)] + list(
        writer.conn.execute(select(closure.c.ancestor_id, closure.c.depth).where(closure.c.descendant_id == parent_id))
    )
    inner = {context_id: 0}
    inner.update(dict(writer.conn.execute(
        select(closure.c.descendant_id, closure.c.depth).where(closure.c.ancestor_id == context_id)
    ).all()))
    rows = [
        {"ancestor_id": ancestor, "descendant_id": node, "depth": depth + below}
        for node, below in inner.items()
        for ancestor, depth in new_above
    ]
    writer.conn.execute(insert(closure), rows)
    writer.conn.execute(update(context).where(context.c.id.in_(subtree)).values(project_id=project_id))


# Uniqueness --------------------------------------------------------------------------------

def ensure_unique(writer: Writer, entity: Entity, values: Mapping, exclude: int | None) -> None:
    table = writer.tables[entity.table]
    checks: list[tuple[list, str]] = []
    if entity.name == "Timer":
        checks.append(([table.c.user_id == values.get("user_id")], "The user already has a running timer."))
    elif entity.name == "User":
        checks.append(([table.c.username == values.get("username"), table.c.resource_type == "user"],
                       f'A user named "{values.get("username")}" already exists.'))
    elif entity.name == "Location":
        checks.append(([table.c.name == values.get("name")], f'A location named "{values.get("name")}" already exists.'))
    elif entity.name == "Project":
        checks.append(([func.lower(table.c.name) == str(values.get("name")).lower(), table.c.context_type == "show"],
                       f'A project named "{values.get("name")}" already exists.'))
    elif entity.table == "context":
        _ensure_unique_sibling(writer, values, exclude)
    for conditions, message in checks:
        statement = select(table.c._rowid).where(*conditions)
        if exclude is not None:
            statement = statement.where(table.c._rowid != exclude)
        if writer.conn.execute(statement.limit(1)).first():
            raise DuplicateEntryError(message)


def _ensure_unique_sibling(writer: Writer, values: Mapping, exclude: int | None) -> None:
    """Names are unique among a context's children (case-insensitively)."""
    table = writer.tables["context"]
    name, parent_id = str(values.get("name")).lower(), values.get("parent_id")
    if exclude is not None:
        statement = select(table.c._rowid).where(
            func.lower(table.c.name) == name, table.c.parent_id == parent_id, table.c._rowid != exclude
        )
        taken = writer.conn.execute(statement.limit(1)).first() is not None
    else:
        # Creating: remember the parent's child names for the rest of the batch.
        siblings = _remembered(writer, ("children", parent_id), lambda: set(writer.conn.execute(
            select(func.lower(table.c.name)).where(table.c.parent_id == parent_id)
        ).scalars()))
        taken = name in siblings
        siblings.add(name)
    if taken:
        raise DuplicateEntryError(f'"{values.get("name")}" already exists under the same parent.')


# Delete -------------------------------------------------------------------------------------

@lru_cache(maxsize=None)
def _dependents(model: Model, name: str) -> tuple[tuple[str, str, str, tuple], ...]:
    """(mode, dependent type, column, extra conditions) for everything that points at `name`."""
    entity = model.entities[name]
    modes: dict[tuple[str, str], tuple[str, str, tuple]] = {}

    def note(mode: str, dependent: Entity, column: str, where: tuple = ()) -> None:
        slot = (dependent.table, column)
        rank = {"cascade": 2, "restrict": 1, "nullify": 0}
        if slot not in modes or rank[mode] > rank[modes[slot][0]]:
            modes[slot] = (mode, _root(model, dependent).name, where)

    for other in model.entities.values():
        for attribute in other.attributes:
            if isinstance(attribute, Reference) and attribute.key:
                target = model.get(attribute.target)
                if target is None or target.table != entity.table or not set(target.classifier) <= set(entity.classifier):
                    continue
                column = other.by_name[attribute.key].column_name
                if not other.served or len(other.primary_key) > 1 and attribute.key in other.primary_key:
                    note("cascade", other, column)
                elif name in PROTECTED or _root(model, entity).name in PROTECTED:
                    note("restrict", other, column)
                elif attribute.key in other.required or column == "project_id" and entity.table == "context":
                    note("cascade", other, column)
                else:
                    note("nullify", other, column)
            if isinstance(attribute, Collection) and attribute.through:
                link = model.entities[attribute.through]
                if other.table == entity.table:
                    note("cascade", link, link.by_name[attribute.back].column_name)
                target = model.get(attribute.target)
                if target is not None and target.table == entity.table:
                    note("cascade", link, link.by_name[attribute.forward].column_name)
    for owner in model.tables[entity.table]:
        for attribute in owner.attributes:
            if isinstance(attribute, Collection) and not attribute.through and attribute.name in OWNED:
                target = model.get(attribute.target)
                if target is not None:
                    note("cascade", target, target.by_name[attribute.back].column_name)
    return tuple((mode, dep, column, where) for (table, column), (mode, dep, where) in modes.items())


def _root(model: Model, entity: Entity) -> Entity:
    """The least specific type stored in `entity`'s table."""
    return min(model.tables[entity.table], key=lambda e: (len(e.classifier), not e.abstract))


def delete_cascading(writer: Writer, entity: Entity, rows: list[Mapping]) -> None:
    """Delete rows and everything that cannot exist without them."""
    writer.forget()
    doomed: dict[str, set[int]] = {}
    pending: list[tuple[Entity, list[Mapping]]] = [(entity, rows)]
    while pending:
        current, batch = pending.pop()
        seen = doomed.setdefault(current.table, set())
        batch = [r for r in batch if r["_rowid"] not in seen]
        if not batch:
            continue
        seen.update(r["_rowid"] for r in batch)
        if writer.changes is not None:
            for row in batch:
                writer.changes.removed(writer.model.concrete(current, row), row)
        if current.table == "ComponentLocation":
            writer.released.update(
                r["resource_identifier"] for r in batch
                if r["location_id"] == seed.LOCATION_IDS["ftrack.server"] and r["resource_identifier"]
            )
        if "id" not in writer.model.columns(current.table):
            continue
        ids = [r["id"] for r in batch]
        for mode, dependent_name, column, _ in _dependents(writer.model, _root(writer.model, current).name):
            dependent = writer.model.entities[dependent_name]
            table = writer.tables[dependent.table]
            for chunk in chunks(ids):
                condition = table.c[column].in_(chunk)
                if mode == "cascade":
                    found = list(writer.conn.execute(select(table).where(condition)).mappings())
                    if found:
                        pending.append((dependent, found))
                elif mode == "nullify":
                    writer.conn.execute(update(table).where(condition).values({column: None}))
                else:
                    used = writer.conn.execute(select(table.c._rowid).where(condition).limit(1)).first()
                    if used:
                        raise ValidationError(
                            f'Cannot delete {current.name} "{batch[0].get("name") or ids[0]}": '
                            f"it is still used by {dependent.name}."
                        )
    for table_name, rowids in doomed.items():
        table = writer.tables[table_name]
        for chunk in chunks(list(rowids)):
            writer.conn.execute(delete(table).where(table.c._rowid.in_(chunk)))
    for key in [k for k in writer.touched if k[1] in doomed.get(k[0], ())]:
        del writer.touched[key]



# Batch end ------------------------------------------------------------------------------------

def finish(writer: Writer) -> None:
    """Note rules: the author's user is a recipient; a label link sets an empty category."""
    if not writer.created_notes or writer.user_id is None:
        return
    notes, recipients, labels = writer.tables["Note"], writer.tables["Recipient"], writer.tables["NoteLabelLink"]
    for note_id in writer.created_notes:
        note = writer.conn.execute(select(notes).where(notes.c.id == note_id)).mappings().first()
        if note is None:
            continue
        present = writer.conn.execute(
            select(recipients.c._rowid).where(recipients.c.note_id == note_id, recipients.c.resource_id == writer.user_id)
        ).first()
        if not present:
            writer.conn.execute(insert(recipients), [{"note_id": note_id, "resource_id": writer.user_id}])
        if note["category_id"] is None:
            label = writer.conn.execute(
                select(labels.c.label_id).where(labels.c.note_id == note_id).order_by(labels.c._rowid).limit(1)
            ).scalar()
            if label:
                writer.conn.execute(update(notes).where(notes.c.id == note_id).values(category_id=label))
