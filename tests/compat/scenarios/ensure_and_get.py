"""``session.ensure`` (create, find, update, identifying keys) and ``session.get``."""

import sys
import uuid
from pathlib import Path

import ftrack_api
import ftrack_api.exception

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _compat import Report, new_project, raised  # noqa: E402

report = Report()

session = ftrack_api.Session()
project, _schema, _type, _status = new_project(session, report, "ensure")
session.commit()
project_id = project["id"]


def pending():
    return len(session.recorded_operations)


# --- ensure ---------------------------------------------------------------------------------------
username = report.name("user")
ada, grace = report.name("ada"), report.name("grace")
created = session.ensure("User", {"username": username, "first_name": ada})
report["ensure_created_state"] = [created["username"], created["first_name"], pending()]
report["ensure_created_persisted"] = ftrack_api.Session().query(
    'select first_name from User where username is "%s"' % username).one()["first_name"]
again = session.ensure("User", {"username": username, "first_name": ada})
report["ensure_found_same_object"] = again is created
updated = session.ensure("User", {"username": username, "first_name": grace},
                         identifying_keys=["username"])
report["ensure_updated"] = [updated is created, updated["first_name"], pending()]
report["ensure_update_persisted"] = ftrack_api.Session().query(
    'select first_name from User where username is "%s"' % username).one()["first_name"]
# Identified by first_name: no user is called `ada` any more, so a second user
# is created, which the server refuses (usernames are unique).
report["ensure_other_identity_creates"] = raised(lambda: session.ensure(
    "User", {"username": username, "first_name": ada}, identifying_keys=["first_name"]))
session.rollback()
report["ensure_missing_identifying_key"] = raised(
    lambda: session.ensure("User", {"username": username}, identifying_keys=["email"]))
report["ensure_no_data"] = raised(lambda: session.ensure("User", {}))
report["ensure_multiple"] = raised(lambda: session.ensure(
    "Sequence", {"parent_id": project_id}))

sequence = session.ensure("Sequence", {"name": "sq010", "parent_id": project_id})
report["ensure_sequence"] = [sequence["name"], sequence["parent_id"] == project_id]
report["ensure_sequence_again_same"] = session.ensure(
    "Sequence", {"name": "sq010", "parent_id": project_id}) is sequence
session.ensure("Sequence", {"name": "sq020", "parent_id": project_id})
report["ensure_multiple_now"] = raised(lambda: session.ensure(
    "Sequence", {"parent_id": project_id}))
report["sequences"] = sorted(item["name"] for item in ftrack_api.Session().query(
    'Sequence where parent_id is "%s"' % project_id).all())

# --- get ------------------------------------------------------------------------------------------
fresh = ftrack_api.Session()
report["get_found"] = fresh.get("Sequence", sequence["id"])["name"]
report["get_same_twice"] = fresh.get("Sequence", sequence["id"]) is fresh.get(
    "Sequence", sequence["id"])
report["get_list_key"] = fresh.get("Sequence", [sequence["id"]])["name"]
report["get_missing"] = fresh.get("Sequence", str(uuid.uuid4()))
report["get_wrong_type"] = fresh.get("Shot", sequence["id"])
report["get_base_type"] = [
    type(fresh.get("TypedContext", sequence["id"])).__name__,
    fresh.get("Context", project_id).entity_type]
report["get_unknown_type"] = raised(lambda: fresh.get("Nope", project_id))
report["get_bad_key"] = raised(lambda: fresh.get("Sequence", [sequence["id"], "x"]))
report["get_composite_key"] = raised(lambda: fresh.get("Metadata", "only-one"))
metadata_row = fresh.get("Metadata", [str(uuid.uuid4()), "missing"])
report["get_composite_missing"] = metadata_row
session.get("Sequence", sequence["id"])["metadata"]["k"] = "v"
session.commit()
report["get_composite_found"] = fresh.get(
    "Metadata", [sequence["id"], "k"])["value"]
report["pending_in_fresh"] = len(fresh.recorded_operations)

report.emit()
