"""Scenario 6: paging through 1,200 tasks with the official client.

What it proves:
* 1,200 tasks under one project can be created in a few large commits.
* ``session.query(..., page_size=100)`` iterated to the end yields all 1,200
  distinct tasks; the client pages with ``offset N limit 100`` appended to the
  expression, and the server's ``metadata.next.offset`` ends the iteration
  exactly (12 requests: the last full page must already say ``null``).
* Ordering is stable across pages (``order by name`` paged equals sorted).
* An explicit ``limit``/``offset`` in the expression is honoured.
* ``.first()`` returns one entity (``limit 1``), ``.one()`` raises
  ``MultipleResultsFoundError`` for many rows and ``NoResultFoundError`` for
  none, and ``.first()`` of nothing is ``None``.

Prints a JSON summary as its last stdout line.
"""

import json
import sys
import uuid
from pathlib import Path

import ftrack_api
import ftrack_api.exception

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _scenario import new_project  # noqa: E402

TASK_COUNT = 1200
COMMIT_SIZE = 400
PAGE_SIZE = 100


class RecordingSession(ftrack_api.Session):
    """The official Session, unchanged, except that it notes each query expression it sends."""

    def __init__(self, *args, **kwargs):
        self.sent_queries = []
        super().__init__(*args, **kwargs)

    def call(self, data):
        self.sent_queries.extend(
            operation["expression"] for operation in data if operation.get("action") == "query")
        return super().call(data)


session = ftrack_api.Session()

# --- 1,200 tasks ------------------------------------------------------------------------
tree = new_project(session, "paging")
suffix, project_schema, task_type, task_status = tree.suffix, tree.project_schema, tree.task_type, tree.task_status
project = tree.project
folder = session.create("Sequence", {"name": "bulk", "parent": project})
session.commit()
project_id = project["id"]

expected_names = ["task_%04d" % index for index in range(TASK_COUNT)]
for start in range(0, TASK_COUNT, COMMIT_SIZE):
    for name in expected_names[start:start + COMMIT_SIZE]:
        session.create("Task", {"name": name, "parent": folder, "status": task_status,
                                "type": task_type})
    session.commit()

# --- Iterate every page -------------------------------------------------------------------
reader = RecordingSession()
expression = 'select name from Task where project.id is "%s"' % project_id
reader.sent_queries.clear()
seen_ids = []
seen_names = []
for task in reader.query(expression, page_size=PAGE_SIZE):
    seen_ids.append(task["id"])
    seen_names.append(task["name"])
page_queries = list(reader.sent_queries)
assert len(seen_ids) == TASK_COUNT, len(seen_ids)
assert len(set(seen_ids)) == TASK_COUNT, "pages returned duplicate tasks"
assert sorted(seen_names) == expected_names
assert page_queries[0].endswith(" offset 0 limit %d" % PAGE_SIZE), page_queries[0]

# --- Stable ordering across pages ------------------------------------------------------------
ordered = reader.query(expression + " order by name", page_size=PAGE_SIZE)
ordered_names = [task["name"] for task in ordered]
assert ordered_names == expected_names, "paged 'order by name' is not sorted"
descending = [task["name"] for task in reader.query(expression + " order by name desc",
                                                    page_size=250)]
assert descending == expected_names[::-1]

# --- Explicit limit / offset -----------------------------------------------------------------
limited = reader.query(expression + " order by name limit 10").all()
assert [t["name"] for t in limited] == expected_names[:10]
tail = reader.query(expression + " order by name offset 1195").all()
assert [t["name"] for t in tail] == expected_names[1195:]
window = reader.query(expression + " order by name offset 150 limit 120", page_size=50).all()
assert [t["name"] for t in window] == expected_names[150:270]

# --- first / one ------------------------------------------------------------------------------
first = reader.query(expression + " order by name").first()
assert first is not None and first["name"] == "task_0000", first
assert first.entity_type == "Task"

try:
    reader.query(expression).one()
except ftrack_api.exception.MultipleResultsFoundError:
    multiple_raised = True
else:
    multiple_raised = False
assert multiple_raised, "one() over 1,200 rows did not raise MultipleResultsFoundError"

missing = 'select name from Task where id is "%s"' % uuid.uuid4()
try:
    reader.query(missing).one()
except ftrack_api.exception.NoResultFoundError:
    none_raised = True
else:
    none_raised = False
assert none_raised, "one() over no rows did not raise NoResultFoundError"
assert reader.query(missing).first() is None

single = reader.query(
    'select name from Task where project.id is "%s" and name is "task_0042"' % project_id).one()
assert single["name"] == "task_0042"

print(json.dumps({
    "project_id": project_id,
    "count": len(seen_ids),
    "distinct": len(set(seen_ids)),
    "page_requests": len(page_queries),
    "page_queries_tail": page_queries[-2:],
    "first": first["name"],
    "one_multiple_raised": multiple_raised,
    "one_none_raised": none_raised,
}, sort_keys=True, default=str))
