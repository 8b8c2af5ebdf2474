"""Helpers shared by the compatibility scenarios (not a scenario itself).

Every scenario runs twice, once with the official ``ftrack_api`` and once with
ours, and prints what it observed; the two documents must be equal.  So what a
scenario reports has to be free of anything that legitimately differs between
two runs: generated ids, the random suffix of the names it creates, server
timestamps.  :class:`Report` collects observations and, on :meth:`Report.emit`,
replaces

* every UUID (anywhere, also inside longer strings) with ``id-1``, ``id-2``, …
  numbered in the order they are first met while walking the report (dict keys
  sorted), so equal ids stay equal and different ids stay different;
* the run's random suffix with ``<sfx>``;
* ISO timestamps within a day of the run (``created_at`` and the like, set by
  the server) with ``<now>``; the fixed dates scenarios set stay as they are;
* ``ftrack_api.symbol`` values (``NOT_SET``, …) with ``<Symbol NAME>``.

Anything else that is not JSON (dates, symbols, entities) must be converted by
the scenario on purpose; an unexpected object makes the script fail instead of
being silently stringified.

Scripts run isolated (``python -I``), so each one puts this folder on
``sys.path`` itself before importing this module.
"""

from __future__ import annotations

import datetime
import json
import re
import uuid
from typing import Any, Callable

UUID_RE = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")

ISO_RE = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?")
RECENT = datetime.timedelta(days=1)


def _recent_timestamp(match: "re.Match[str]") -> str:
    text = match.group(0)
    try:
        value = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    now = datetime.datetime.now(value.tzinfo) if value.tzinfo else datetime.datetime.now()
    return "<now>" if abs(now - value) <= RECENT else text


class Report:
    """Observations of one scenario run, printed as one normalised JSON line."""

    def __init__(self) -> None:
        self.suffix = uuid.uuid4().hex[:10]
        self.data: dict[str, Any] = {}
        self._ids: dict[str, str] = {}

    def name(self, label: str) -> str:
        """A name unique to this run: ``compat_<label>_<suffix>``."""
        return "compat_%s_%s" % (label, self.suffix)

    def __setitem__(self, key: str, value: Any) -> None:
        if key in self.data:
            raise KeyError("observation %r recorded twice" % key)
        self.data[key] = value

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    # ------------------------------------------------------------------
    def _placeholder(self, match: "re.Match[str]") -> str:
        value = match.group(0).lower()
        if value not in self._ids:
            self._ids[value] = "id-%d" % (len(self._ids) + 1)
        return self._ids[value]

    def normalise(self, value: Any) -> Any:
        if isinstance(value, bool) or value is None or isinstance(value, (int, float)):
            return value
        if isinstance(value, str):
            value = ISO_RE.sub(_recent_timestamp, value.replace(self.suffix, "<sfx>"))
            return UUID_RE.sub(self._placeholder, value)
        if isinstance(value, dict):
            items = sorted(((self.normalise(str(k)), k) for k in value), key=lambda kv: str(kv[1]))
            return {key: self.normalise(value[original]) for key, original in items}
        if isinstance(value, (list, tuple)):
            return [self.normalise(item) for item in value]
        if type(value).__name__ == "Symbol":  # ftrack_api.symbol.NOT_SET and friends
            return "<Symbol %s>" % value
        raise TypeError("scenario reported a %s (%r); convert it explicitly"
                        % (type(value).__name__, value))

    def emit(self) -> None:
        print(json.dumps(self.normalise(self.data), sort_keys=True))


def outcome(function: Callable[[], Any], describe: Callable[[Any], Any] = repr) -> Any:
    """``{"raised": <exception class name>}`` or ``{"returned": describe(result)}``."""
    try:
        result = function()
    except Exception as error:  # noqa: BLE001 - the class is what we report
        return {"raised": type(error).__name__}
    return {"returned": describe(result)}


def raised(function: Callable[[], Any]) -> str | None:
    """The class name of what *function* raises, or ``None``."""
    try:
        function()
    except Exception as error:  # noqa: BLE001
        return type(error).__name__
    return None


def caught(function: Callable[[], Any]) -> Exception | None:
    """The exception *function* raises, or ``None``."""
    try:
        function()
    except Exception as error:  # noqa: BLE001
        return error
    return None


def ids(entities) -> list[str]:
    return [entity["id"] for entity in entities]


def names(entities, key: str = "name") -> list[str]:
    return [entity[key] for entity in entities]


def iso(value: Any) -> Any:
    """An arrow/datetime as ``{"type": class name, "iso": isoformat}`` (None stays None)."""
    if value is None:
        return None
    return {"type": type(value).__name__, "iso": value.isoformat()}


def new_project(session, report: Report, label: str = "p"):
    """An uncommitted project on the first project schema, plus its schema, task type and status."""
    schema = session.query("ProjectSchema").first()
    task_type = schema.get_types("Task")[0]
    task_status = schema.get_statuses("Task", task_type["id"])[0]
    project = session.create("Project", {
        "name": report.name(label),
        "full_name": "Compat %s" % report.name(label),
        "project_schema": schema,
    })
    return project, schema, task_type, task_status


def new_tree(session, report: Report, label: str = "p"):
    """`new_project` plus sq010 / sh010 / task "comp" below it, uncommitted.

    Returns ``(project, sequence, shot, task)``.
    """
    project, _schema, task_type, task_status = new_project(session, report, label)
    sequence = session.create("Sequence", {"name": "sq010", "parent": project})
    shot = session.create("Shot", {"name": "sh010", "parent": sequence})
    task = session.create("Task", {
        "name": "comp", "parent": shot, "status": task_status, "type": task_type,
    })
    return project, sequence, shot, task
