"""Scenario 3: appointments, notes, metadata and custom attributes on a task.

Run against a server of its own: it creates a global custom attribute
configuration with the key ``fstart``.

What it proves:
* Appointment: assigning the API user to a task (``type='assignment'``) shows
  up on both sides (``task['assignments']``, ``user['assignments']``) and in
  ``assignments any (...)`` filters.
* Notes: ``create_note`` with a category (the client turns it into a
  ``NoteLabelLink``), with a recipient, and ``create_reply``; read back from a
  new session, including the automatic API-user recipient.
* Metadata: ``task['metadata'][k] = v`` creates a ``Metadata`` row, a later
  assignment updates it; both read back in new sessions.
* Custom attributes: a ``CustomAttributeConfiguration`` created through the
  client (type ``number``, entity_type ``task``, object type Task, default
  1001) applies to an existing task with its default (dense values), an update
  of the value is persisted (an *update* of ``ContextCustomAttributeValue``
  that the server has to upsert), and a task created later can set the value
  in the same commit as its own creation.

Prints a JSON summary as its last stdout line.
"""

import json
import sys
import warnings
from pathlib import Path

import ftrack_api

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _scenario import new_tree  # noqa: E402

warnings.simplefilter("ignore", PendingDeprecationWarning)  # create_note(category=...)

session = ftrack_api.Session()
api_user = session.query('User where username is "%s"' % session.api_user).one()

# --- A small tree -------------------------------------------------------------
tree = new_tree(session, "extras", "animation")
suffix, project_schema, task_type, task_status = tree.suffix, tree.project_schema, tree.task_type, tree.task_status
project, sequence, shot, task = tree.project, tree.sequence, tree.shot, tree.task
other_user = session.create("User", {
    "username": "conf_user_%s" % suffix, "first_name": "Ada", "last_name": "Conform",
})
session.commit()
task_id, user_id, other_user_id = task["id"], api_user["id"], other_user["id"]

# --- Appointment --------------------------------------------------------------
appointment = session.create("Appointment", {
    "context": task, "resource": api_user, "type": "assignment",
})
session.commit()
appointment_id = appointment["id"]

check = ftrack_api.Session()
read_task = check.get("Task", task_id)
assignments = read_task["assignments"]
assert [item["id"] for item in assignments] == [appointment_id], assignments
assert assignments[0]["resource"]["id"] == user_id
assert assignments[0]["type"] == "assignment"
assert read_task["appointments"][0]["id"] == appointment_id
read_user = check.get("User", user_id)
assert appointment_id in {item["id"] for item in read_user["assignments"]}
assigned_tasks = check.query(
    'select id from Task where assignments any (resource_id is "%s") and project_id is "%s"'
    % (user_id, project["id"])).all()
assert [item["id"] for item in assigned_tasks] == [task_id], assigned_tasks
assigned_users = check.query(
    'select username from User where assignments any (context_id is "%s")' % task_id).all()
assert [item["id"] for item in assigned_users] == [user_id], assigned_users

# --- Notes --------------------------------------------------------------------
category = session.query("NoteCategory").first()
assert category is not None, "the server has no NoteCategory"
category_id = category["id"]
categorised = task.create_note("Please check the motion blur.", author=api_user,
                               category=category)
addressed = task.create_note("Ada, can you take this one?", author=api_user,
                             recipients=[other_user])
session.commit()
reply = categorised.create_reply("Fixed in the next version.", author=api_user)
session.commit()
note_ids = {"categorised": categorised["id"], "addressed": addressed["id"], "reply": reply["id"]}

check = ftrack_api.Session()
read_task = check.get("Task", task_id)
task_note_ids = {note["id"] for note in read_task["notes"]}
assert {note_ids["categorised"], note_ids["addressed"]} <= task_note_ids, task_note_ids

read_categorised = check.get("Note", note_ids["categorised"])
assert read_categorised["content"] == "Please check the motion blur."
assert read_categorised["author"]["id"] == user_id
assert read_categorised["parent_id"] == task_id
label_ids = [link["label_id"] for link in read_categorised["note_label_links"]]
assert label_ids == [category_id], label_ids
# Labels and categories share ids: the category must resolve through the label.
assert read_categorised["category"] is not None, "note category not set from its label"
assert read_categorised["category"]["id"] == category_id

replies = read_categorised["replies"]
assert [item["id"] for item in replies] == [note_ids["reply"]], replies
assert replies[0]["content"] == "Fixed in the next version."
assert replies[0]["in_reply_to"]["id"] == note_ids["categorised"]

read_addressed = check.get("Note", note_ids["addressed"])
recipient_ids = sorted(item["resource_id"] for item in read_addressed["recipients"])
assert other_user_id in recipient_ids, recipient_ids
# The server adds the calling API user as a recipient as well.
assert sorted(recipient_ids) == sorted([other_user_id, user_id]), recipient_ids
notes_by_query = check.query(
    'select content from Note where parent_id is "%s" and author.id is "%s"'
    % (task_id, user_id)).all()
assert {note_ids["categorised"], note_ids["addressed"]} <= {n["id"] for n in notes_by_query}

# --- Metadata -------------------------------------------------------------------
task["metadata"]["key"] = "value"
project["metadata"]["department"] = "comp"
session.commit()

check = ftrack_api.Session()
read_task = check.get("Task", task_id)
assert read_task["metadata"]["key"] == "value", dict(read_task["metadata"])
assert check.get("Project", project["id"])["metadata"]["department"] == "comp"
read_task["metadata"]["key"] = "value2"  # existing key: update of Metadata [parent_id, key]
check.commit()

check = ftrack_api.Session()
read_task = check.get("Task", task_id)
metadata_after_update = dict(read_task["metadata"])
assert metadata_after_update == {"key": "value2"}, metadata_after_update
metadata_row = check.query(
    'select key, value, parent_type from Metadata where parent_id is "%s"' % task_id).one()
assert metadata_row["parent_type"] in ("Task", "TypedContext"), metadata_row["parent_type"]

# --- Custom attributes ----------------------------------------------------------
number_type = session.query('CustomAttributeType where name is "number"').one()
task_object_type = session.query('ObjectType where name is "Task"').one()
configuration = session.create("CustomAttributeConfiguration", {
    "entity_type": "task",
    "object_type_id": task_object_type["id"],
    "type": number_type,
    "label": "Frame start",
    "key": "fstart",
    "default": 1001,
    "config": json.dumps({"isdecimal": False}),
})
session.commit()
configuration_id = configuration["id"]

# An existing task sees the default (dense values) ...
check = ftrack_api.Session()
read_task = check.get("Task", task_id)
default_value = read_task["custom_attributes"]["fstart"]
assert default_value == 1001, default_value
# ... and can change it: an update the server must upsert.
read_task["custom_attributes"]["fstart"] = 1010
check.commit()

check = ftrack_api.Session()
read_task = check.get("Task", task_id)
updated_value = read_task["custom_attributes"]["fstart"]
assert updated_value == 1010, updated_value
value_row = check.query(
    'select key, value from ContextCustomAttributeValue where entity_id is "%s" '
    'and configuration_id is "%s"' % (task_id, configuration_id)).one()
assert value_row["key"] == "fstart" and value_row["value"] == 1010

# A task created after the configuration: one commit creates the task and sets
# its value (create Task, then update ContextCustomAttributeValue).
new_task = check.create("Task", {
    "name": "lighting", "parent": check.get("Shot", shot["id"]),
    "status": check.get("Status", task_status["id"]),
    "type": check.get("Type", task_type["id"]),
})
new_task["custom_attributes"]["fstart"] = 1020
plain_task = check.create("Task", {
    "name": "fx", "parent": check.get("Shot", shot["id"]),
    "status": check.get("Status", task_status["id"]),
    "type": check.get("Type", task_type["id"]),
})
check.commit()

check = ftrack_api.Session()
new_task_value = check.get("Task", new_task["id"])["custom_attributes"]["fstart"]
plain_task_value = check.get("Task", plain_task["id"])["custom_attributes"]["fstart"]
assert new_task_value == 1020, new_task_value
assert plain_task_value == 1001, plain_task_value

print(json.dumps({
    "appointment_id": appointment_id,
    "assignment_count": len(assignments),
    "note_label_ids": label_ids,
    "category_id": category_id,
    "reply_count": len(replies),
    "recipient_count": len(recipient_ids),
    "metadata": metadata_after_update,
    "custom_attribute": {
        "default": default_value,
        "updated": updated_value,
        "set_on_create": new_task_value,
        "new_task_default": plain_task_value,
    },
}, sort_keys=True, default=str))
