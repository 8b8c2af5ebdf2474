"""Scenario 8: deleting a project removes everything under it.

What it proves: after ``session.delete(project)`` and ``commit()`` (the client
sends a single ``delete Project``), a new session finds none of the project's
sequence, shot, tasks, asset, versions, notes (a reply and a note on a
version included), metadata or appointment by id; ``session.get``
returns ``None`` for the project; the API user itself is untouched; and a
second project created alongside survives.

Prints a JSON summary as its last stdout line.
"""

import json
import uuid

import ftrack_api

suffix = uuid.uuid4().hex[:10]
session = ftrack_api.Session()
api_user = session.query('User where username is "%s"' % session.api_user).one()

project_schema = session.query("ProjectSchema").first()
task_type = project_schema.get_types("Task")[0]
task_status = project_schema.get_statuses("Task", task_type["id"])[0]


def build_project(label):
    project = session.create("Project", {
        "name": "conf_%s_%s" % (label, suffix),
        "full_name": "Conformance %s %s" % (label, suffix),
        "project_schema": project_schema,
    })
    sequence = session.create("Sequence", {"name": "sq010", "parent": project})
    shot = session.create("Shot", {"name": "sh010", "parent": sequence})
    tasks = [
        session.create("Task", {"name": name, "parent": shot, "status": task_status,
                                "type": task_type})
        for name in ("layout", "animation")
    ]
    return project, sequence, shot, tasks


project, sequence, shot, tasks = build_project("doomed")
keeper, keeper_sequence, keeper_shot, keeper_tasks = build_project("keeper")
session.commit()

asset_type = session.query("AssetType").first()
asset = session.create("Asset", {"name": "hero", "type": asset_type, "parent": shot})
versions = [session.create("AssetVersion", {"asset": asset, "task": tasks[0]}) for _ in range(2)]
appointment = session.create("Appointment", {
    "context": tasks[0], "resource": api_user, "type": "assignment"})
tasks[0]["metadata"]["key"] = "value"
session.commit()
note = tasks[0].create_note("Doomed note", author=api_user)
session.commit()
reply = note.create_reply("Doomed reply", author=api_user)
version_note = versions[1].create_note("Version note", author=api_user)
session.commit()

doomed = {
    "Project": [project["id"]],
    "Sequence": [sequence["id"]],
    "Shot": [shot["id"]],
    "Task": [task["id"] for task in tasks],
    "Asset": [asset["id"]],
    "AssetVersion": [version["id"] for version in versions],
    "Note": [note["id"], reply["id"], version_note["id"]],
    "Appointment": [appointment["id"]],
}
survivors = {
    "Project": [keeper["id"]],
    "Sequence": [keeper_sequence["id"]],
    "Shot": [keeper_shot["id"]],
    "Task": [task["id"] for task in keeper_tasks],
    "User": [api_user["id"]],
}
metadata_parent = tasks[0]["id"]

# Sanity check before deleting: everything is there.
check = ftrack_api.Session()
for entity_type, ids in doomed.items():
    for entity_id in ids:
        found = check.query('select id from %s where id is "%s"' % (entity_type, entity_id)).all()
        assert len(found) == 1, "%s %s missing before the delete" % (entity_type, entity_id)

# --- Delete -------------------------------------------------------------------------
session.delete(project)
session.commit()

after = ftrack_api.Session()
leftovers = {}
for entity_type, ids in doomed.items():
    for entity_id in ids:
        found = after.query('select id from %s where id is "%s"' % (entity_type, entity_id)).all()
        if found:
            leftovers.setdefault(entity_type, []).append(entity_id)
        # The generic base types must not find them either.
        if entity_type in ("Sequence", "Shot", "Task"):
            assert after.query(
                'select id from TypedContext where id is "%s"' % entity_id).all() == []
metadata_left = after.query(
    'select key from Metadata where parent_id is "%s"' % metadata_parent).all()
if metadata_left:
    leftovers["Metadata"] = [metadata_parent]
assert leftovers == {}, "left behind after deleting the project: %r" % leftovers
assert after.get("Project", project["id"]) is None
assert after.query(
    'select id from Context where project_id is "%s"' % project["id"]).all() == []

missing_survivors = {}
for entity_type, ids in survivors.items():
    for entity_id in ids:
        if not after.query('select id from %s where id is "%s"' % (entity_type, entity_id)).all():
            missing_survivors.setdefault(entity_type, []).append(entity_id)
assert missing_survivors == {}, "deleted too much: %r" % missing_survivors

print(json.dumps({
    "deleted": {entity_type: len(ids) for entity_type, ids in doomed.items()},
    "leftovers": leftovers,
    "missing_survivors": missing_survivors,
}, sort_keys=True))
