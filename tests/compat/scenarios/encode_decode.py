"""``session.encode`` (all four attribute strategies) and ``session.decode`` round trips."""

import datetime
import json
import sys
from pathlib import Path

import arrow

import ftrack_api
import ftrack_api.entity.base

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _compat import Report, iso, new_tree, raised  # noqa: E402

report = Report()

session = ftrack_api.Session()
project, sequence, shot, task = new_tree(session, report, "codec")
task["description"] = "codec"
task["start_date"] = arrow.get("2024-04-25T09:00:00+00:00")
task["metadata"]["k"] = "v"
report["encode_created"] = json.loads(session.encode(task))
session.commit()
task_id = task["id"]


def encoded(session, value, *strategy):
    return json.loads(session.encode(value, *strategy))


# --- strategies on entities fetched in different ways -------------------------------------------------
reader = ftrack_api.Session()
queried = reader.query('Task where id is "%s"' % task_id).one()
report["set_only_after_query"] = encoded(reader, queried)
selected = ftrack_api.Session().query(
    'select name, description, start_date, parent from Task where id is "%s"' % task_id).one()
report["set_only_after_select"] = encoded(selected.session, selected)
report["persisted_only_after_select"] = encoded(selected.session, selected, "persisted_only")
report["modified_only_unmodified"] = encoded(selected.session, selected, "modified_only")
selected["description"] = "changed"
selected["parent"] = selected.session.get("Shot", shot["id"])
report["modified_only_modified"] = encoded(selected.session, selected, "modified_only")
report["set_only_modified"] = encoded(selected.session, selected)
report["bad_strategy"] = raised(lambda: reader.encode(queried, "nope"))

# --- plain data, datetimes, collections --------------------------------------------------------------
report["encode_plain"] = encoded(reader, {
    "number": 1, "list": [1, "two"], "none": None,
    "arrow": arrow.get("2024-01-02T03:04:05+00:00"),
    "datetime": datetime.datetime(2024, 1, 2, 3, 4, 5),
    "date": datetime.date(2024, 1, 2),
    "entity": ftrack_api.Session().query(
        'select name, parent from Task where id is "%s"' % task_id).one(),
})
report["encode_collection"] = encoded(reader, reader.get("Shot", shot["id"])["children"])
report["encode_metadata"] = encoded(reader, queried["metadata"])
report["encode_unserialisable"] = raised(lambda: reader.encode({"x": object()}))

# --- decode ----------------------------------------------------------------------------------------
decoded = reader.decode(reader.encode(queried))
report["decoded_type"] = [type(decoded).__name__, decoded.entity_type,
                          isinstance(decoded, ftrack_api.entity.base.Entity)]
report["decoded_is_original"] = decoded is queried
report["decoded_equals_original"] = decoded == queried
report["decoded_get_is_original"] = reader.get("Task", decoded["id"]) is queried
with reader.auto_populating(False):
    report["decoded_values"] = [decoded["name"], str(decoded["description"])]
report["decoded_datetime"] = iso(reader.decode(json.dumps(
    {"__type__": "datetime", "value": "2024-01-02T03:04:05+00:00"})))
report["decoded_plain"] = reader.decode('{"a": [1, 2, {"b": null}]}')
nested = reader.decode(json.dumps({"items": [
    {"__entity_type__": "Shot", "id": shot["id"], "name": "from json"}]}))
report["decoded_nested"] = [type(nested["items"][0]).__name__, nested["items"][0]["name"]]
report["decode_unknown_type"] = raised(lambda: reader.decode(
    '{"__entity_type__": "NoSuchType", "id": "x"}'))
report["pending_after_decode"] = len(reader.recorded_operations)

# "all" loads every attribute (only the keys are compared: values such as the
# configured custom attributes depend on what else lives on the shared server).
loaded = ftrack_api.Session().get("Task", task_id)
report["all_keys"] = sorted(encoded(loaded.session, loaded, "all"))
report["all_created_at"] = encoded(loaded.session, loaded, "all")["created_at"]

# --- entity_reference ------------------------------------------------------------------------------
report["entity_reference"] = reader.entity_reference(queried)

report.emit()
