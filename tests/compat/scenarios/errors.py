"""Errors users catch, and the session's state after them.

Server errors are compared by their message (the server's words, in the
client's ``Server reported error: Name(content)`` frame) and by being
``ServerError``s; their exact classes are compared in server_error_classes.py.
Errors raised by the client itself are compared by class only: the wording of
their messages is each client's own.
"""

import os
import sys
import uuid
from pathlib import Path

import ftrack_api
import ftrack_api.exception
import ftrack_api.inspection

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _compat import Report, caught, new_tree  # noqa: E402

report = Report()


def describe(error):
    if error is None:
        return None
    if isinstance(error, ftrack_api.exception.ServerError):
        return {"server_error": True, "message": str(error)}
    return {"class": type(error).__name__}


session = ftrack_api.Session()
project, sequence, shot, task = new_tree(session, report, "errors")
session.commit()
task_id, status_id = task["id"], task["status_id"]

# --- a commit the server refuses ------------------------------------------------------------
ghost = session.create("Task", {"name": "ghost", "parent": shot, "status": task["status"],
                               "type": task["type"]})
ghost_id = ghost["id"]
task["name"] = "must not persist"
task["status_id"] = str(uuid.uuid4())  # no such Status
report["failed_commit"] = describe(caught(session.commit))
report["pending_after_failure"] = {
    "operations": len(session.recorded_operations), "created": len(session.created),
    "modified": len(session.modified)}
report["local_values_after_failure"] = [task["name"], ghost["name"]]
report["states_after_failure"] = [str(ftrack_api.inspection.state(entity))
                                  for entity in (task, ghost)]

check = ftrack_api.Session()
row = check.query('select name, status_id from Task where id is "%s"' % task_id).one()
report["server_unchanged"] = [row["name"], row["status_id"] == status_id]
report["ghost_on_server"] = check.query('Task where id is "%s"' % ghost_id).all() != []

report["retry_fails_again"] = describe(caught(session.commit))
session.rollback()
report["after_rollback"] = [task["name"], task["status_id"] == status_id,
                            len(session.recorded_operations)]
task["name"] = "recovered"
session.commit()
report["recovered"] = ftrack_api.Session().get("Task", task_id)["name"]

# --- query errors -------------------------------------------------------------------------------
report["query_unknown_attribute"] = describe(caught(
    lambda: session.query('Task where nope is "x"').all()))
report["query_syntax"] = describe(caught(lambda: session.query("Task where where").all()))
report["query_unknown_type"] = describe(caught(lambda: session.query("Nope").all()))
report["get_unknown_type"] = describe(caught(lambda: session.get("Nope", task_id)))
report["get_bad_key_length"] = describe(caught(lambda: session.get("Task", [task_id, "x"])))
report["get_missing"] = session.get("Task", str(uuid.uuid4()))

# --- construction errors ----------------------------------------------------------------------------
report["wrong_api_key"] = describe(caught(lambda: ftrack_api.Session(api_key=str(uuid.uuid4()))))
report["unknown_user"] = describe(caught(lambda: ftrack_api.Session(api_user="nobody_%s"
                                                                     % report.suffix)))
saved = os.environ.pop("FTRACK_API_KEY")
report["missing_api_key"] = describe(caught(ftrack_api.Session))
os.environ["FTRACK_API_KEY"] = saved
saved = os.environ.pop("FTRACK_SERVER")
report["missing_server"] = describe(caught(ftrack_api.Session))
os.environ["FTRACK_SERVER"] = saved

# --- exception hierarchy users rely on ---------------------------------------------------------------
exception = ftrack_api.exception
report["hierarchy"] = {
    name: [base.__name__ for base in getattr(exception, name).__mro__[1:]
           if base.__module__.startswith("ftrack_api")]
    for name in ("ServerError", "ServerCompatibilityError", "NotFoundError", "NotUniqueError",
                 "NoResultFoundError", "MultipleResultsFoundError", "UnrecognisedEntityTypeError",
                 "ImmutableAttributeError", "DuplicateItemInCollectionError",
                 "InvalidStateTransitionError", "ConnectionClosedError", "EventHubConnectionError",
                 "ComponentNotInLocationError", "AccessorResourceNotFoundError")}

report.emit()
