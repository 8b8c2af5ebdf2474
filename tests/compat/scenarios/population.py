"""What is loaded when: default projections, auto-population, ``auto_populating(False)``, ``populate``."""

import sys
from pathlib import Path

import ftrack_api
import ftrack_api.exception
import ftrack_api.symbol

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _compat import Report, caught, new_tree, raised  # noqa: E402

report = Report()
NOT_SET = ftrack_api.symbol.NOT_SET

session = ftrack_api.Session()
project, sequence, shot, task = new_tree(session, report, "pop")
task["description"] = "first"
session.commit()
task_id, shot_id = task["id"], shot["id"]

report["not_set_str"] = str(NOT_SET)
report["not_set_bool"] = bool(NOT_SET)
report["not_set_repr_mentions_name"] = "NOT_SET" in repr(NOT_SET)
report["symbol_strs"] = [str(getattr(ftrack_api.symbol, name))
                         for name in ("CREATED", "MODIFIED", "DELETED", "NOT_SET")]

ATTRIBUTES = sorted(
    name for name in session.types["Task"].attributes.keys()
    # Computed/derived values that change with time are irrelevant here.
    if name not in ("thumbnail_url",))


def loaded(entity):
    """The attribute names that hold a value without asking the server."""
    with entity.session.auto_populating(False):
        return sorted(name for name in ATTRIBUTES if entity[name] is not NOT_SET)


# Which attributes does each way of fetching load?
plain = ftrack_api.Session()
report["loaded_by_plain_query"] = loaded(plain.query('Task where id is "%s"' % task_id).one())
selected = ftrack_api.Session()
report["loaded_by_select"] = loaded(selected.query(
    'select name, parent.name, status.name from Task where id is "%s"' % task_id).one())
fetched = ftrack_api.Session()
report["loaded_by_get"] = loaded(fetched.get("Task", task_id))
report["default_projections"] = sorted(session.types["Task"].default_projections)

# auto_populating(False): missing values are NOT_SET, of every attribute kind.
lazy = ftrack_api.Session()
entity = lazy.query('select name from Task where id is "%s"' % task_id).one()
with lazy.auto_populating(False):
    report["off_scalar"] = str(entity["description"])
    report["off_reference"] = str(entity["parent"])
    # (Collections are never NOT_SET: an unloaded one reads as an empty collection.
    # Their repr is not compared: the official one is object.__repr__.)
    report["off_collection"] = [type(entity["children"]).__name__, len(entity["children"])]
    report["off_mapped_collection"] = [type(entity["metadata"]).__name__,
                                       len(entity["metadata"])]
    report["off_loaded"] = entity["name"]
    report["off_is_not_set"] = entity["description"] is NOT_SET
    with lazy.auto_populating(True):
        report["nested_on"] = entity["description"]
    report["restored_off"] = str(entity["bid"])
report["on_scalar"] = entity["description"]
report["on_reference"] = entity["parent"]["name"]
report["on_collection"] = [item["name"] for item in entity["parent"]["children"]]

# A session built with auto_populate=False.
manual = ftrack_api.Session(auto_populate=False)
report["manual_auto_populate"] = manual.auto_populate
entity = manual.query('select name from Task where id is "%s"' % task_id).one()
report["manual_missing"] = str(entity["description"])
with manual.auto_populating(True):
    report["manual_forced"] = entity["description"]
report["manual_after_forced"] = entity["description"]

# populate(): several entities, nested projections, one request.
batch = ftrack_api.Session(auto_populate=False)
tasks = batch.query('select id from Task where parent_id is "%s"' % shot_id).all()
shots = batch.query('select id from Shot where id is "%s"' % shot_id).all()
batch.populate(tasks, "name, description, parent.name, parent.parent.name")
report["populated"] = [
    [item["name"], item["description"], item["parent"]["name"],
     item["parent"]["parent"]["name"]] for item in tasks]
report["populated_parent_is_shot"] = tasks[0]["parent"] is shots[0]
batch.populate(shots, "children")
report["populated_collection"] = [child["name"] for child in shots[0]["children"]]
report["populated_collection_item_is_task"] = shots[0]["children"][0] is tasks[0]
batch.populate([], "name")  # nothing to do
report["populate_unknown_attribute_is_server_error"] = isinstance(
    caught(lambda: batch.populate(tasks, "nope")), ftrack_api.exception.ServerError)
report["populate_single_entity"] = raised(lambda: batch.populate(tasks[0], "bid"))
report["populated_single"] = tasks[0]["bid"]

# A value changed elsewhere is not refetched until asked for.
writer = ftrack_api.Session()
writer.get("Task", task_id)["description"] = "second"
writer.commit()
report["stale_value_kept"] = tasks[0]["description"]
batch.populate(tasks, "description")
report["populate_refreshes"] = tasks[0]["description"]

# Local, uncommitted changes survive a populate of the same attribute.
tasks[0]["description"] = "local"
batch.populate(tasks, "description")
report["local_change_wins"] = tasks[0]["description"]

report.emit()
