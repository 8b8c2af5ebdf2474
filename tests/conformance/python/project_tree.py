"""Scenario 2: build a project tree with the official client and read it back.

What it proves:
* ``ProjectSchema`` ``.first()`` works, and the schema helpers the client uses
  to pick workflow values (``get_types('Task')``, ``get_statuses('Task',
  type_id)``) resolve through the server (``_task_type_schema.types``,
  ``_overrides`` and ``_task_workflow.statuses``).
* Project -> Sequence -> Shot -> Task created in ONE commit (parents referenced
  before they exist server-side, i.e. a batch is applied in order).
* A new session's projection query returns every projected value in the query
  response itself (checked with auto-population switched off).
* ``link`` lists project -> sequence -> shot -> task, and each entry's ``type``
  works with ``session.get``.
* ``ancestors``/``descendants``/``children``/``parent`` relations and the
  concrete ``__entity_type__`` of polymorphic relations.

Prints a JSON summary as its last stdout line.
"""

import json
import uuid

import ftrack_api

suffix = uuid.uuid4().hex[:10]
session = ftrack_api.Session()

# --- Workflow values from the project schema --------------------------------
project_schema = session.query("ProjectSchema").first()
assert project_schema is not None, "no ProjectSchema on the server"

task_types = project_schema.get_types("Task")
assert task_types, "project schema offers no task types"
task_type = task_types[0]
statuses = project_schema.get_statuses("Task", task_type["id"])
assert statuses, "project schema offers no task statuses"
status = statuses[0]
priority = session.query("Priority").first()
assert priority is not None, "no Priority on the server"

# --- The tree, in one commit -------------------------------------------------
project = session.create("Project", {
    "name": "conf_tree_%s" % suffix,
    "full_name": "Conformance tree %s" % suffix,
    "project_schema": project_schema,
})
sequence = session.create("Sequence", {"name": "sq010", "parent": project})
shot = session.create("Shot", {"name": "sh010", "parent": sequence})
task = session.create("Task", {
    "name": "compositing",
    "parent": shot,
    "status": status,
    "type": task_type,
    "priority": priority,
})
session.commit()

ids = {
    "project": project["id"],
    "sequence": sequence["id"],
    "shot": shot["id"],
    "task": task["id"],
}
expected = {
    "status": status["name"],
    "type": task_type["name"],
    "priority": priority["name"],
    "full_name": "Conformance tree %s" % suffix,
}

# --- Read back with projections in a NEW session ----------------------------
reader = ftrack_api.Session()
tasks = reader.query(
    'select name, parent.name, status.name, type.name, project.full_name '
    'from Task where project.id is "%s"' % ids["project"]
).all()
assert len(tasks) == 1, "expected one task, got %d" % len(tasks)
read_task = tasks[0]
# Everything projected must have arrived with the query response: no lazy loads.
with reader.auto_populating(False):
    assert read_task.entity_type == "Task"
    assert read_task["id"] == ids["task"]
    assert read_task["name"] == "compositing"
    assert read_task["parent"]["name"] == "sh010", read_task["parent"]["name"]
    assert read_task["parent"].entity_type == "Shot", read_task["parent"].entity_type
    assert read_task["status"]["name"] == expected["status"]
    assert read_task["type"]["name"] == expected["type"]
    assert read_task["project"]["full_name"] == expected["full_name"]

# Plain attribute access (auto-population) for everything else.
assert read_task["project_id"] == ids["project"]
assert read_task["parent_id"] == ids["shot"]
assert read_task["priority"]["id"] == priority["id"]
assert read_task["object_type"]["name"] == "Task", read_task["object_type"]["name"]

# --- link: root -> self -------------------------------------------------------
link = read_task["link"]
assert isinstance(link, list), link
link_ids = [entry["id"] for entry in link]
assert link_ids == [ids["project"], ids["sequence"], ids["shot"], ids["task"]], link
assert [entry["name"] for entry in link][1:] == ["sq010", "sh010", "compositing"], link
assert link[0]["type"] == "Project", link[0]
for entry in link:
    linked = reader.get(entry["type"], entry["id"])
    assert linked is not None and linked["id"] == entry["id"], entry

# --- hierarchy relations ------------------------------------------------------
read_shot = reader.get("Shot", ids["shot"])
assert read_shot.entity_type == "Shot"
shot_descendants = {entity["id"] for entity in read_shot["descendants"]}
assert shot_descendants == {ids["task"]}, shot_descendants
assert [child["id"] for child in read_shot["children"]] == [ids["task"]]
assert read_shot["parent"].entity_type == "Sequence"
assert read_shot["parent"]["id"] == ids["sequence"]

ancestors = {entity["id"] for entity in read_task["ancestors"]}
assert ancestors == {ids["sequence"], ids["shot"]}, ancestors

read_project = reader.get("Project", ids["project"])
project_descendants = {entity["id"] for entity in read_project["descendants"]}
assert project_descendants == {ids["sequence"], ids["shot"], ids["task"]}, project_descendants
assert [child["id"] for child in read_project["children"]] == [ids["sequence"]]
assert read_project["project_schema"]["id"] == project_schema["id"]

print(json.dumps({
    "ids": ids,
    "expected": expected,
    "link_ids": link_ids,
    "link_names": [entry["name"] for entry in link],
    "link_types": [entry["type"] for entry in link],
    "ancestor_count": len(ancestors),
    "project_descendant_count": len(project_descendants),
}, sort_keys=True, default=str))
