"""Scenario 7: updates, rollback and a failing commit with the official client.

What it proves:
* A local change followed by ``session.rollback()`` restores the value and
  sends nothing to the server (a following ``commit()`` has nothing to send).
* A change followed by ``commit()`` persists: a new session sees it.
* A commit that the server must refuse (``status_id`` set to an id that does
  not exist, in the same batch as creating another task) raises
  ``ftrack_api.exception.ServerError`` and changes nothing on the server: the
  batch is atomic, so neither the rename in that batch nor the created task
  exist afterwards.  ``rollback()`` then returns the session to a usable state.

Prints a JSON summary as its last stdout line.
"""

import json
import sys
import uuid
from pathlib import Path

import ftrack_api
import ftrack_api.exception

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _scenario import new_tree  # noqa: E402


class RecordingSession(ftrack_api.Session):
    """The official Session, unchanged, except that it counts the batches it sends."""

    def __init__(self, *args, **kwargs):
        self.sent_batches = []
        super().__init__(*args, **kwargs)

    def call(self, data):
        self.sent_batches.append([operation.get("action") for operation in data])
        return super().call(data)


session = RecordingSession()

tree = new_tree(session, "update", "original")
suffix, project_schema, task_type, task_status = tree.suffix, tree.project_schema, tree.task_type, tree.task_status
project, sequence, shot, task = tree.project, tree.sequence, tree.shot, tree.task
session.commit()
task_id = task["id"]
status_id = task["status_id"]
assert task["name"] == "original"

# --- 1. rollback restores and sends nothing ----------------------------------------
batches_before = len(session.sent_batches)
task["name"] = "changed locally"
assert task["name"] == "changed locally"
assert len(session.recorded_operations) == 1
session.rollback()
assert len(session.recorded_operations) == 0
assert task["name"] == "original", task["name"]
session.commit()  # nothing pending: must not contact the server
batches_after_rollback = len(session.sent_batches) - batches_before
assert batches_after_rollback == 0, session.sent_batches[batches_before:]

check = ftrack_api.Session()
assert check.get("Task", task_id)["name"] == "original"

# --- 2. change + commit persists --------------------------------------------------------
task["name"] = "renamed"
session.commit()
assert session.sent_batches[-1] == ["update"], session.sent_batches[-1]
check = ftrack_api.Session()
persisted_name = check.get("Task", task_id)["name"]
assert persisted_name == "renamed", persisted_name

# --- 3. a failing commit changes nothing -------------------------------------------------
ghost = session.create("Task", {
    "name": "ghost", "parent": shot, "status": task_status, "type": task_type,
})
ghost_id = ghost["id"]
task["name"] = "must not persist"
task["status_id"] = str(uuid.uuid4())  # no such Status
try:
    session.commit()
except ftrack_api.exception.ServerError as error:
    failure = str(error)
else:
    failure = None
assert failure is not None, "commit with a nonexistent status_id did not raise ServerError"
assert session.sent_batches[-1] == ["create", "update"], session.sent_batches[-1]

check = ftrack_api.Session()
after_failure = check.query(
    'select name, status_id from Task where id is "%s"' % task_id).one()
assert after_failure["name"] == "renamed", after_failure["name"]
assert after_failure["status_id"] == status_id, after_failure["status_id"]
ghosts = check.query('select id from Task where id is "%s"' % ghost_id).all()
assert ghosts == [], "the task created in the failed batch exists"
ghosts_by_name = check.query(
    'select id from Task where parent_id is "%s" and name is "ghost"' % shot["id"]).all()
assert ghosts_by_name == []

# --- 4. the session recovers after rollback ---------------------------------------------
session.rollback()
assert task["name"] == "renamed", task["name"]
task["name"] = "recovered"
session.commit()
final_name = ftrack_api.Session().get("Task", task_id)["name"]
assert final_name == "recovered", final_name

print(json.dumps({
    "task_id": task_id,
    "batches_after_rollback": batches_after_rollback,
    "persisted_name": persisted_name,
    "failure": failure,
    "name_after_failure": after_failure["name"],
    "ghost_exists": bool(ghosts),
    "final_name": final_name,
}, sort_keys=True, default=str))
