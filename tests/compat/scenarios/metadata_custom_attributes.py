"""The metadata mapping (set/update/delete/assign a dict) and custom attributes.

The custom attribute configuration gets a key unique to this run: the server
is shared, and dense custom attributes put every configuration's key on every
task, so only this run's key is looked at.
"""

import json
import sys
from pathlib import Path

import ftrack_api
import ftrack_api.collection

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _compat import Report, new_tree, raised  # noqa: E402

report = Report()

session = ftrack_api.Session()
project, sequence, shot, task = new_tree(session, report, "meta")
session.commit()
task_id, shot_id = task["id"], shot["id"]


def metadata_of(entity_type, entity_id):
    return dict(ftrack_api.Session().get(entity_type, entity_id)["metadata"])


# --- metadata ---------------------------------------------------------------------------------------
metadata = task["metadata"]
report["metadata_type"] = type(metadata).__name__
report["metadata_is_mapping_proxy"] = isinstance(
    metadata, ftrack_api.collection.KeyValueMappedCollectionProxy)
report["metadata_empty"] = [len(metadata), dict(metadata)]
metadata["camera"] = "A"
metadata["lens"] = "35"
report["metadata_local"] = sorted(metadata.items())
report["metadata_pending"] = sorted(type(op).__name__ for op in session.recorded_operations)
session.commit()
report["metadata_after_set"] = metadata_of("Task", task_id)

metadata["camera"] = "B"
del metadata["lens"]
report["metadata_delete_missing"] = raised(lambda: metadata.__delitem__("nope"))
report["metadata_read_missing"] = raised(lambda: metadata["nope"])
report["metadata_get_default"] = metadata.get("nope", "fallback")
session.commit()
report["metadata_after_update_delete"] = metadata_of("Task", task_id)

task["metadata"] = {"assigned": "1", "other": "2"}
report["metadata_after_assign_local"] = sorted(task["metadata"].items())
session.commit()
report["metadata_after_assign"] = metadata_of("Task", task_id)
report["metadata_rows"] = sorted(
    (row["key"], row["value"]) for row in ftrack_api.Session().query(
        'select key, value from Metadata where parent_id is "%s"' % task_id).all())

reader = ftrack_api.Session()
read = reader.get("Task", task_id)["metadata"]
report["metadata_keys"] = sorted(read.keys())
report["metadata_contains"] = ["assigned" in read, "camera" in read]
report["metadata_len"] = len(read)

# Metadata set on a new entity is created with it.
fresh_shot = session.create("Shot", {"name": "sh020", "parent": sequence})
fresh_shot["metadata"]["frames"] = "1001-1100"
session.commit()
report["metadata_on_created"] = metadata_of("Shot", fresh_shot["id"])

# --- custom attributes --------------------------------------------------------------------------------
key = "ca_%s" % report.suffix
number_type = session.query('CustomAttributeType where name is "number"').one()
text_type = session.query('CustomAttributeType where name is "text"').one()
task_object_type = session.query('ObjectType where name is "Task"').one()
configuration = session.create("CustomAttributeConfiguration", {
    "entity_type": "task",
    "object_type_id": task_object_type["id"],
    "type": number_type,
    "label": "Compat number",
    "key": key,
    "default": 1001,
    "config": json.dumps({"isdecimal": False}),
})
text_key = "ct_%s" % report.suffix
session.create("CustomAttributeConfiguration", {
    "entity_type": "task",
    "object_type_id": task_object_type["id"],
    "type": text_type,
    "label": "Compat text",
    "key": text_key,
    "default": "",
    "config": json.dumps({"markdown": False}),
})
session.commit()
report["configuration_key"] = configuration["key"]

reader = ftrack_api.Session()
read_task = reader.get("Task", task_id)
custom = read_task["custom_attributes"]
report["custom_type"] = type(custom).__name__
report["custom_defaults"] = [custom[key], custom[text_key]]
report["custom_contains"] = [key in custom, "missing_%s" % report.suffix in custom]
report["custom_unknown_key"] = raised(lambda: custom["missing_%s" % report.suffix])
report["custom_set_unknown_key"] = raised(
    lambda: custom.__setitem__("missing_%s" % report.suffix, 1))
custom[key] = 1010
custom[text_key] = "hello"
reader.commit()
check = ftrack_api.Session().get("Task", task_id)["custom_attributes"]
report["custom_after_update"] = [check[key], check[text_key]]

# Set on creation, in the same commit as the entity.
new_task = reader.create("Task", {
    "name": "lighting", "parent": reader.get("Shot", shot_id),
    "status": read_task["status"], "type": read_task["type"],
})
new_task["custom_attributes"][key] = 1020
plain_task = reader.create("Task", {
    "name": "fx", "parent": reader.get("Shot", shot_id),
    "status": read_task["status"], "type": read_task["type"],
})
reader.commit()
check = ftrack_api.Session()
report["custom_set_on_create"] = check.get("Task", new_task["id"])["custom_attributes"][key]
report["custom_default_on_create"] = check.get("Task", plain_task["id"])["custom_attributes"][key]
report["custom_not_on_shot"] = key in check.get("Shot", shot_id)["custom_attributes"]
report["custom_query_filter"] = sorted(
    item["name"] for item in check.query(
        'select name from Task where parent_id is "%s" and custom_attributes any '
        '(key is "%s" and value > 1005)' % (shot_id, key)).all())

report.emit()
