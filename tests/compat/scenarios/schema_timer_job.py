"""Methods on entity classes: ProjectSchema statuses/types, User timers, Job creation."""

import json
import sys
from pathlib import Path

import ftrack_api
import ftrack_api.exception

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _compat import Report, new_tree, raised  # noqa: E402


report = Report()
session = ftrack_api.Session()

# --- ProjectSchema ------------------------------------------------------------------------------
schema = session.query("ProjectSchema").first()
task_types = schema.get_types("Task")
report["task_type_names"] = [item["name"] for item in task_types]
report["task_type_entity_type"] = sorted({item.entity_type for item in task_types})
report["task_statuses"] = [item["name"] for item in schema.get_statuses("Task", task_types[0]["id"])]
report["task_statuses_default"] = [item["name"] for item in schema.get_statuses("Task")]
report["shot_statuses"] = [item["name"] for item in schema.get_statuses("Shot")]
report["shot_types"] = [item["name"] for item in schema.get_types("Shot")]
report["asset_version_statuses"] = [item["name"] for item in schema.get_statuses("AssetVersion")]
report["unknown_schema_statuses"] = raised(lambda: schema.get_statuses("NoSuchThing"))
report["unknown_schema_types"] = raised(lambda: schema.get_types("NoSuchThing"))
report["asset_version_types"] = raised(lambda: schema.get_types("AssetVersion"))

# --- a task and a user of our own ------------------------------------------------------------------------------------------
project, sequence, shot, task = new_tree(session, report, "timer")
user = session.query('User where username is "%s"' % session.api_user).one()
other = session.create("User", {"username": report.name("user"), "first_name": "Ada",
                                "last_name": "Compat"})
session.commit()

# --- timers (a user of our own, so runs never share a running timer) --------------------------------
timer = other.start_timer(task, comment="working", name="blur")
report["timer_type"] = timer.entity_type
report["timer_fields"] = [timer["comment"], timer["name"], timer["user"] is other,
                          timer["context"] is task]
report["second_start"] = raised(lambda: other.start_timer(task))
session.rollback()  # the refused timer is still pending after the failed commit
report["timer_rows"] = len(ftrack_api.Session().query(
    'Timer where user_id is "%s"' % other["id"]).all())
forced = other.start_timer(task, comment="forced", force=True)
report["forced_timer_comment"] = forced["comment"]
timelog = other.stop_timer()
report["timelog_type"] = timelog.entity_type
report["timelog_fields"] = [timelog["comment"], timelog["context_id"] == task["id"],
                            isinstance(timelog["duration"], (int, float)),
                            timelog["duration"] >= 0]
report["stop_without_timer"] = raised(other.stop_timer)
check = ftrack_api.Session()
report["timelogs"] = sorted(item["comment"] for item in check.query(
    'Timelog where user_id is "%s"' % other["id"]).all())
report["timers_left"] = len(check.query('Timer where user_id is "%s"' % other["id"]).all())

# --- jobs ------------------------------------------------------------------------------------------
report["job_bad_type"] = raised(lambda: session.create("Job", {"type": "not_api_job",
                                                              "user": user}))
report["job_bad_type_pending"] = len(session.recorded_operations)
job = session.create("Job", {
    "user": user, "status": "running",
    "data": json.dumps({"description": report.name("job")}),
})
report["job_default_type"] = job["type"]
explicit = session.create("Job", {"user": user, "status": "queued", "type": "api_job"})
session.commit()
job["status"] = "done"
session.commit()
check = ftrack_api.Session()
read_job = check.get("Job", job["id"])
report["job_read"] = [read_job["type"], read_job["status"],
                      json.loads(read_job["data"])["description"]]
report["explicit_job"] = check.get("Job", explicit["id"])["type"]
report["job_reconstructed_any_type"] = raised(
    lambda: session.create("Job", {"type": "other", "id": job["id"]}, reconstructing=True))

report.emit()
