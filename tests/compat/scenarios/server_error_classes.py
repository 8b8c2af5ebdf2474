"""Errors the server reports are ``ServerError`` for both clients.

Ours raises the typed subclasses the issue asks for (``ServerValidationError``,
``ServerPermissionDeniedError``, ``ServerCompatibilityError``, documented in
docs/session.md), so what user code can rely on with both is
``except ServerError`` and the message (errors.py compares the messages).
"""

import sys
import uuid
from pathlib import Path

import ftrack_api
import ftrack_api.exception

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _compat import Report, caught, new_tree  # noqa: E402

report = Report()


def error_class(function):
    error = caught(function)
    if error is None:
        return None
    return {"server_error": isinstance(error, ftrack_api.exception.ServerError),
            "message_starts": str(error)[:40]}


session = ftrack_api.Session()
project, sequence, shot, task = new_tree(session, report, "classes")
session.commit()


def bad_commit():
    task["status_id"] = str(uuid.uuid4())  # no such Status: ValidationError on the server
    try:
        session.commit()
    finally:
        session.rollback()


report["commit_validation"] = error_class(bad_commit)
report["query_validation"] = error_class(lambda: session.query('Task where nope is "x"').all())
report["populate_validation"] = error_class(lambda: session.populate([task], "nope"))
report["query_parse"] = error_class(lambda: session.query("Task where where").all())
report["wrong_credentials"] = error_class(lambda: ftrack_api.Session(api_key=str(uuid.uuid4())))
report["unknown_action"] = error_class(lambda: session.call([{"action": "no_such_action"}]))

report.emit()
