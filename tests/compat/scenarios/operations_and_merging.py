"""Recorded operations, defaults of new entities, merging server data with local changes, reset."""

import sys
from pathlib import Path

import ftrack_api
import ftrack_api.operation
import ftrack_api.symbol

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _compat import Report, new_project  # noqa: E402

report = Report()
NOT_SET = ftrack_api.symbol.NOT_SET


def plain(value):
    """A JSON-friendly picture of an operation value."""
    if value is NOT_SET or type(value).__name__ == "Symbol":
        return str(value)
    if hasattr(value, "entity_type") and hasattr(value, "keys"):
        return "<%s>" % value.entity_type
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if type(value).__name__ in ("Collection", "KeyValueMappedCollectionProxy"):
        return "<%s>" % type(value).__name__
    return value


def describe(operation):
    entry = {"kind": type(operation).__name__, "entity_type": operation.entity_type,
             "entity_key": sorted(operation.entity_key)}
    if isinstance(operation, ftrack_api.operation.CreateEntityOperation):
        entry["data"] = sorted(operation.entity_data)
    elif isinstance(operation, ftrack_api.operation.UpdateEntityOperation):
        entry["attribute"] = operation.attribute_name
        entry["old"] = plain(operation.old_value)
        entry["new"] = plain(operation.new_value)
    return entry


session = ftrack_api.Session()
project, schema, task_type, task_status = new_project(session, report, "ops")
report["create_project_ops"] = [describe(op) for op in session.recorded_operations]
session.commit()

# --- defaults of a new entity (nothing set but what is passed) ------------------------------------
shot = session.create("Shot", {"name": "sh010", "parent": project})
with session.auto_populating(False):
    report["new_shot_values"] = {
        name: plain(shot[name]) for name in sorted(session.types["Shot"].attributes.keys())
        if shot[name] is not NOT_SET and name not in ("id",)}
report["new_shot_ops"] = [describe(op) for op in session.recorded_operations]
session.commit()

# --- updates are recorded one per change, old and new values --------------------------------------
shot["name"] = "sh020"
shot["name"] = "sh030"
shot["description"] = "d"
shot["metadata"]["key"] = "value"
report["update_ops"] = [describe(op) for op in session.recorded_operations]
report["operations_len"] = len(session.recorded_operations)
report["operations_iterable"] = len(list(session.recorded_operations))
session.commit()

sequence = session.create("Sequence", {"name": "sq010", "parent": project})
shot["parent"] = sequence
report["reparent_ops"] = [describe(op) for op in session.recorded_operations][-1:]
session.delete(shot)
report["delete_op"] = describe(session.recorded_operations[-1]) if hasattr(
    session.recorded_operations, "__getitem__") else describe(
    list(session.recorded_operations)[-1])
session.rollback()

# --- merging: a query does not overwrite local changes; it refreshes the rest ------------------------
other = ftrack_api.Session()
other_shot = other.get("Shot", shot["id"])
other_shot["description"] = "from other"
other_shot["name"] = "from_other"
other.commit()

shot["name"] = "local"
session.query('select name, description from Shot where id is "%s"' % shot["id"]).one()
report["merge_local_kept"] = shot["name"]
report["merge_remote_refreshed"] = shot["description"]
report["merge_pending"] = len(session.recorded_operations)
session.rollback()
report["after_rollback_name"] = shot["name"]

# --- reset: drops pending changes and the in-memory identity map ---------------------------------
shot["name"] = "pending"
before = session.get("Shot", shot["id"])
session.reset()
report["reset_pending"] = len(session.recorded_operations)
after = session.get("Shot", shot["id"])
report["reset_new_object"] = after is not before
report["reset_name"] = after["name"]

# --- reconstructing: an entity rebuilt from known values records nothing ---------------------------
rebuilt = session.create("Shot", {"id": shot["id"], "name": "rebuilt"}, reconstructing=True)
report["reconstruct_ops"] = len(session.recorded_operations)
report["reconstruct_is_merged"] = [rebuilt is session.get("Shot", shot["id"]), rebuilt["name"]]

report.emit()
