"""Collections (append, duplicates, remove, assignment) and attribute rules (immutable, unknown)."""

import sys
from pathlib import Path

import ftrack_api
import ftrack_api.collection
import ftrack_api.exception

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _compat import Report, new_project, raised  # noqa: E402

report = Report()

session = ftrack_api.Session()
project, _schema, task_type, task_status = new_project(session, report, "coll")
sequence = session.create("Sequence", {"name": "sq010", "parent": project})
session.commit()

# --- appending to a loaded collection ------------------------------------------------------------
children = sequence["children"]  # loaded (empty) before the shots exist
report["collection_type"] = type(children).__name__
report["is_collection"] = isinstance(children, ftrack_api.collection.Collection)
report["initial_len"] = len(children)
shot_a = session.create("Shot", {"name": "sh010", "parent": sequence})
report["created_child_in_loaded_collection"] = shot_a in children
children.append(shot_a)
report["append_len"] = len(children)
report["append_contains"] = shot_a in children
report["append_sets_parent"] = shot_a["parent"] is sequence
report["append_index"] = children.index(shot_a)
report["append_duplicate"] = raised(lambda: children.append(shot_a))
report["len_after_duplicate"] = len(children)
shot_b = session.create("Shot", {"name": "sh020", "parent": sequence})
report["created_with_parent_in_collection"] = shot_b in sequence["children"]
children.insert(0, session.create("Shot", {"name": "sh005", "parent": sequence}))
report["names_after_insert"] = [child["name"] for child in children]
report["setitem_duplicate"] = raised(lambda: children.__setitem__(0, shot_a))
session.commit()

reader = ftrack_api.Session()
read_children = reader.get("Sequence", sequence["id"])["children"]
report["persisted_children"] = sorted(child["name"] for child in read_children)
report["read_collection_mutable"] = read_children.mutable

# --- removing from a collection ---------------------------------------------------------------------
report["remove_missing"] = raised(lambda: children.remove(project))
removed = children[0]
del children[0]
report["names_after_del"] = [child["name"] for child in children]
report["pending_after_del"] = [
    type(operation).__name__ for operation in session.recorded_operations]
session.rollback()

# --- assigning a whole collection -------------------------------------------------------------------
other_sequence = session.create("Sequence", {"name": "sq020", "parent": project})
session.commit()
other_sequence["children"] = [shot_b]
report["assigned_names"] = [child["name"] for child in other_sequence["children"]]
report["assigned_type"] = type(other_sequence["children"]).__name__
report["assign_duplicates"] = raised(
    lambda: other_sequence.__setitem__("children", [shot_a, shot_a]))
session.rollback()

# --- many-to-many style collection: task assignments through Appointment ------------------------------
user = session.query('User where username is "%s"' % session.api_user).one()
task = session.create("Task", {"name": "comp", "parent": shot_b, "status": task_status,
                               "type": task_type})
session.commit()
session.create("Appointment", {"context": task, "resource": user, "type": "assignment"})
session.commit()
report["assignment_count"] = len(ftrack_api.Session().get("Task", task["id"])["assignments"])

# --- attribute rules ------------------------------------------------------------------------------
report["change_id"] = raised(lambda: task.__setitem__("id", "11111111-2222-3333-4444-555555555555"))
report["change_id_is_attribute_error"] = issubclass(
    ftrack_api.exception.ImmutableAttributeError, ftrack_api.exception.AttributeError)
report["id_unchanged"] = task["id"] == session.get("Task", task["id"])["id"]
report["read_unknown"] = raised(lambda: task["no_such_attribute"])
report["write_unknown"] = raised(lambda: task.__setitem__("no_such_attribute", 1))
report["delete_attribute"] = raised(lambda: task.__delitem__("name"))
report["create_with_unknown"] = raised(
    lambda: session.create("Shot", {"name": "x", "parent": sequence, "no_such": 1}))
session.rollback()
report["keys_sample"] = sorted(key for key in task.keys()
                               if key in ("id", "name", "parent", "children", "metadata"))
report["len_is_attribute_count"] = len(task) == len(session.types["Task"].attributes.keys())
report["contains_name"] = "name" in task.keys()
report["values_count"] = len(list(task.values())) == len(task)
report["items_name"] = dict(task.items())["name"]
report["entity_get_default"] = task.get("no_such_attribute", "fallback")

report.emit()
