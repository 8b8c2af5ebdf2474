"""Date and time values: what is sent for arrow/datetime/date values and what comes back.

Only what is the same across arrow releases is compared (the official client
pins arrow 0.x, ours uses 1.x): the class name and ``isoformat()``.
"""

import datetime
import sys
from pathlib import Path

import arrow

import ftrack_api

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _compat import Report, iso, new_tree  # noqa: E402

report = Report()

session = ftrack_api.Session()
report["timezone_support"] = session.server_information.get("is_timezone_support_enabled")
project, sequence, shot, task = new_tree(session, report, "dates")
session.commit()
task_id = task["id"]

VALUES = {
    "arrow_utc": arrow.get("2024-04-25T09:00:00+00:00"),
    "arrow_offset": arrow.get("2024-04-25T09:00:00+02:00"),
    "arrow_micro": arrow.get("2024-04-25T09:00:00.123456+00:00"),
    "datetime_naive": datetime.datetime(2024, 4, 25, 9, 0, 0),
    "datetime_aware": datetime.datetime(2024, 4, 25, 9, 0, 0, tzinfo=datetime.timezone.utc),
    "date": datetime.date(2024, 4, 25),
}

for label, value in VALUES.items():
    task["start_date"] = value
    report["local_%s" % label] = iso(task["start_date"])
    session.commit()
    report["after_commit_%s" % label] = iso(task["start_date"])
    fresh = ftrack_api.Session()
    report["read_%s" % label] = iso(fresh.get("Task", task_id)["start_date"])

# Unset dates are None.
report["end_date_unset"] = iso(ftrack_api.Session().get("Task", task_id)["end_date"])
task["start_date"] = None
session.commit()
report["cleared"] = iso(ftrack_api.Session().get("Task", task_id)["start_date"])

# Server-generated timestamps are arrow values too (the value is replaced by <now>).
created = ftrack_api.Session().get("Task", task_id)["created_at"]
report["created_at"] = iso(created)
report["created_at_tz"] = created.tzinfo is not None

# Dates in query filters.
task["start_date"] = arrow.get("2024-04-25T09:00:00+00:00")
task["end_date"] = arrow.get("2024-04-30T18:00:00+00:00")
session.commit()
reader = ftrack_api.Session()
base = 'select name from Task where id is "%s" and ' % task_id
report["filter_after"] = len(reader.query(base + 'start_date after "2024-04-24"').all())
report["filter_before"] = len(reader.query(base + 'start_date before "2024-04-24"').all())
report["filter_iso"] = len(reader.query(
    base + 'end_date > "2024-04-30T17:00:00+00:00"').all())

report.emit()
