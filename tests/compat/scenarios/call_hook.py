"""``Session.call`` as the one way to the server: direct use and a recording subclass.

User code (and our own conformance scripts) subclass ``Session`` and override
``call`` to log, count or tweak what is sent.  This scenario records the
actions each batch carries for construction, queries, ``get``, auto-population,
``populate``, ``ensure`` and commits.
"""

import sys
from pathlib import Path

import ftrack_api

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _compat import Report, new_tree  # noqa: E402

report = Report()


class RecordingSession(ftrack_api.Session):
    def __init__(self, *args, **kwargs):
        self.sent = []
        super().__init__(*args, **kwargs)

    def call(self, data):
        self.sent.append([operation["action"] for operation in data])
        return super().call(data)


def step(session, label, function):
    before = len(session.sent)
    function()
    report[label] = session.sent[before:]


# Direct use of call: a list of results, one per operation.
plain = ftrack_api.Session(schema_cache_path=False)
results = plain.call([{"action": "query_server_information"},
                      {"action": "query", "expression": "select id from User limit 1"}])
report["direct_call_result_count"] = len(results)
report["direct_call_query_keys"] = sorted(results[1])
report["direct_call_query_data_type"] = type(results[1]["data"]).__name__

session = RecordingSession(schema_cache_path=False)
report["construction"] = list(session.sent)

project, sequence, shot, task = new_tree(session, report)
step(session, "commit_create", session.commit)
project_id, task_id = project["id"], task["id"]

fresh = RecordingSession()
step(fresh, "query_all", lambda: fresh.query(
    'select name from Task where id is "%s"' % task_id).all())
step(fresh, "get_cached", lambda: fresh.get("Task", task_id))
step(fresh, "get_missing", lambda: fresh.get("Shot", shot["id"]))
step(fresh, "auto_populate", lambda: fresh.get("Task", task_id)["description"])
step(fresh, "populate", lambda: fresh.populate([fresh.get("Task", task_id)], "priority_id"))
step(fresh, "ensure_existing", lambda: fresh.ensure(
    "Sequence", {"name": "sq010", "parent_id": project_id}))
step(fresh, "nothing_to_commit", fresh.commit)


def update():
    fresh.get("Task", task_id)["name"] = "renamed"
    fresh.commit()


step(fresh, "commit_update", update)


def delete():
    fresh.delete(fresh.get("Task", task_id))
    fresh.commit()


step(fresh, "commit_delete", delete)

report.emit()
