"""Scenario 5: the query language's operators, as used through the official client.

Run against a server of its own (it creates the global ``fstart`` custom
attribute configuration).

Data: one project, sequence ``sq010``, shots ``sh010``/``sh020`` and six tasks
with distinct names, bids and start dates (one given with a +02:00 offset, one
without a start date), metadata on two tasks and ``fstart`` values on three.

Every filter query is scoped to the project and its result compared with the
expected task names.  All queries run even if some fail; the summary lists
each mismatch (or the server error a query raised), and the pytest side
asserts that there are none.  Structural checks (datetime round trip,
polymorphic results) are asserted inside the script.

Prints a JSON summary as its last stdout line.
"""

import json
import sys
from pathlib import Path

import arrow

import ftrack_api
import ftrack_api.exception

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _scenario import new_project  # noqa: E402

session = ftrack_api.Session()

# --- Data ---------------------------------------------------------------------------
tree = new_project(session, "ops")
suffix, project_schema, task_type, task_status = tree.suffix, tree.project_schema, tree.task_type, tree.task_status
project = tree.project
sequence = session.create("Sequence", {"name": "sq010", "parent": project})
shots = {
    "sh010": session.create("Shot", {"name": "sh010", "parent": sequence}),
    "sh020": session.create("Shot", {"name": "sh020", "parent": sequence}),
}
TASKS = [
    # name,     shot,    bid,   start_date (None: not set)
    ("anim_a", "sh010", 3600, "2024-01-10T09:00:00+00:00"),
    ("anim_b", "sh010", 7200, "2024-02-15T09:00:00+00:00"),
    ("comp_a", "sh010", 14400, "2024-03-20T09:00:00+00:00"),
    ("comp_b", "sh010", 28800, "2024-04-25T11:00:00+02:00"),  # = 09:00 UTC
    ("light_a", "sh020", 0, None),
    ("zfx", "sh020", 14400, "2024-06-30T09:00:00+00:00"),
]
tasks = {}
for name, shot_name, bid, start in TASKS:
    data = {"name": name, "parent": shots[shot_name], "status": task_status,
            "type": task_type, "bid": bid}
    if start is not None:
        data["start_date"] = arrow.get(start)
    tasks[name] = session.create("Task", data)
session.commit()
project_id = project["id"]
task_ids = {name: task["id"] for name, task in tasks.items()}

tasks["anim_a"]["metadata"]["k"] = "v"
tasks["anim_b"]["metadata"]["k"] = "other"
tasks["anim_b"]["metadata"]["x"] = "v"
session.commit()

number_type = session.query('CustomAttributeType where name is "number"').one()
task_object_type = session.query('ObjectType where name is "Task"').one()
session.create("CustomAttributeConfiguration", {
    "entity_type": "task", "object_type_id": task_object_type["id"], "type": number_type,
    "label": "Frame start", "key": "fstart", "default": 1001,
    "config": json.dumps({"isdecimal": False}),
})
session.commit()

writer = ftrack_api.Session()
for name, value in (("comp_a", 1010), ("comp_b", 1005), ("zfx", 1100)):
    writer.get("Task", task_ids[name])["custom_attributes"]["fstart"] = value
writer.commit()

# --- Helpers --------------------------------------------------------------------------
reader = ftrack_api.Session()
SCOPE = 'project_id is "%s"' % project_id
results = {}
mismatches = {}


def run(label, expression, expected, ordered=False):
    """Run *expression*, compare task names with *expected*, record the outcome."""
    try:
        names = [entity["name"] for entity in reader.query(expression).all()]
    except ftrack_api.exception.ServerError as error:
        mismatches[label] = {"expression": expression, "error": str(error)}
        return
    got = names if ordered else sorted(names)
    want = list(expected) if ordered else sorted(expected)
    results[label] = got
    if got != want:
        mismatches[label] = {"expression": expression, "expected": want, "got": got}


def where(label, criteria, expected):
    """Filter tasks of the project by *criteria* (parenthesised, so or/and stay inside)."""
    run(label, "select name from Task where %s and (%s)" % (SCOPE, criteria), expected)


ALL = [name for name, _, _, _ in TASKS]


def all_but(*excluded):
    return [name for name in ALL if name not in excluded]


# --- Comparison operators -------------------------------------------------------------
where("is", 'name is "anim_a"', ["anim_a"])
where("is_not", 'name is_not "anim_a"', all_but("anim_a"))
where("=", 'name = "comp_b"', ["comp_b"])
where("!=", 'name != "comp_b"', all_but("comp_b"))
where("=_no_spaces", 'name="comp_b"', ["comp_b"])
where(">", "bid > 7200", ["comp_a", "comp_b", "zfx"])
where("<", "bid < 7200", ["anim_a", "light_a"])
where(">=", "bid >= 7200", ["anim_b", "comp_a", "comp_b", "zfx"])
where("<=", "bid <= 3600", ["anim_a", "light_a"])

# --- Datetimes ---------------------------------------------------------------------------
where("after", 'start_date after "2024-03-01T00:00:00"', ["comp_a", "comp_b", "zfx"])
where("before_date_only", 'start_date before "2024-03-01"', ["anim_a", "anim_b"])
where(">=_with_offset", 'start_date >= "2024-04-25T11:00:00+02:00"', ["comp_b", "zfx"])
where("is_datetime_utc", 'start_date is "2024-04-25T09:00:00"', ["comp_b"])
where("is_None", "start_date is None", ["light_a"])
where("is_not_None", "start_date is_not None", all_but("light_a"))

# --- Patterns and lists --------------------------------------------------------------------
where("like", 'name like "anim%"', ["anim_a", "anim_b"])
where("like_underscore", 'name like "comp__"', ["comp_a", "comp_b"])
where("not_like", 'name not_like "anim%"', all_but("anim_a", "anim_b"))
where("in", 'name in ("anim_a", "comp_b")', ["anim_a", "comp_b"])
where("not_in", 'name not_in ("anim_a", "comp_b")', all_but("anim_a", "comp_b"))
where("in_subquery", "id in (select id from Task where bid > 7200)", ["comp_a", "comp_b", "zfx"])
where("not_in_subquery", "id not_in (select id from Task where bid > 7200)",
      ["anim_a", "anim_b", "light_a"])

# --- Relations -------------------------------------------------------------------------------
where("has", 'parent has (name is "sh020")', ["light_a", "zfx"])
where("not_has", 'not parent has (name is "sh020")', ["anim_a", "anim_b", "comp_a", "comp_b"])
where("dotted_scalar", 'parent.name is "sh010"', ["anim_a", "anim_b", "comp_a", "comp_b"])
where("any", 'metadata any (key is "k")', ["anim_a", "anim_b"])
where("any_empty", "metadata any ()", ["anim_a", "anim_b"])
where("not_any_empty", "not metadata any ()", all_but("anim_a", "anim_b"))
where("metadata_any_same_row", 'metadata any (key is "k" and value is "v")', ["anim_a"])
where("metadata_dotted_independent", 'metadata.key is "k" and metadata.value is "v"',
      ["anim_a", "anim_b"])
where("custom_attribute_any", 'custom_attributes any (key is "fstart" and value > 1005)',
      ["comp_a", "zfx"])
where("custom_attribute_default", 'custom_attributes any (key is "fstart" and value is 1001)',
      ["anim_a", "anim_b", "light_a"])
run("shot_children_any",
    'select name from Shot where %s and children any (name is "light_a")' % SCOPE, ["sh020"])

# --- Boolean logic ---------------------------------------------------------------------------
where("or", 'name is "anim_a" or name is "zfx"', ["anim_a", "zfx"])
where("and_binds_tighter", 'name like "anim%" or name like "comp%" and bid > 20000',
      ["anim_a", "anim_b", "comp_b"])
where("parentheses", '(name like "anim%" or name like "comp%") and bid > 20000', ["comp_b"])

# --- Ordering and paging -------------------------------------------------------------------------
BASE = "select name from Task where %s" % SCOPE
run("order_by_name", BASE + " order by name",
    ["anim_a", "anim_b", "comp_a", "comp_b", "light_a", "zfx"], ordered=True)
run("order_by_name_desc", BASE + " order by name desc",
    ["zfx", "light_a", "comp_b", "comp_a", "anim_b", "anim_a"], ordered=True)
run("order_by_bid_desc_name_asc", BASE + " order by bid desc, name asc",
    ["comp_b", "comp_a", "zfx", "anim_b", "anim_a", "light_a"], ordered=True)
run("order_by_start_date", BASE + " and start_date is_not None order by start_date",
    ["anim_a", "anim_b", "comp_a", "comp_b", "zfx"], ordered=True)
run("order_by_parent_name_desc", BASE + " order by parent.name desc, name",
    ["light_a", "zfx", "anim_a", "anim_b", "comp_a", "comp_b"], ordered=True)
run("offset_limit", BASE + " order by name offset 2 limit 2", ["comp_a", "comp_b"], ordered=True)
run("limit", BASE + " order by name desc limit 3", ["zfx", "light_a", "comp_b"], ordered=True)

# --- Datetime round trip ----------------------------------------------------------------------------
comp_b = reader.query('select start_date from Task where id is "%s"' % task_ids["comp_b"]).one()
start = comp_b["start_date"]
assert isinstance(start, arrow.Arrow), type(start)
assert start == arrow.get("2024-04-25T09:00:00+00:00"), start
start_utc = start.to("utc").isoformat()

# --- Polymorphic queries ------------------------------------------------------------------------------
typed = reader.query("select name from TypedContext where %s" % SCOPE).all()
typed_types = sorted((entity["name"], entity.entity_type) for entity in typed)
expected_typed = sorted([("sq010", "Sequence"), ("sh010", "Shot"), ("sh020", "Shot")]
                        + [(name, "Task") for name in ALL])
assert typed_types == expected_typed, typed_types
for entity in typed:
    assert isinstance(entity, reader.types[entity.entity_type])

shots_only = reader.query(
    'select name from TypedContext where %s and object_type.name is "Shot"' % SCOPE).all()
assert sorted((e["name"], e.entity_type) for e in shots_only) == [("sh010", "Shot"), ("sh020", "Shot")]

mixed_ids = [project_id, sequence["id"], shots["sh010"]["id"], task_ids["anim_a"]]
mixed = reader.query(
    "select name from Context where id in (%s)" % ", ".join('"%s"' % i for i in mixed_ids)).all()
context_types = sorted(entity.entity_type for entity in mixed)
assert context_types == ["Project", "Sequence", "Shot", "Task"], context_types

children = reader.query('select name from Context where parent_id is "%s"' % project_id).all()
assert [(e["name"], e.entity_type) for e in children] == [("sq010", "Sequence")], children

print(json.dumps({
    "project_id": project_id,
    "query_count": len(results) + len(mismatches),
    "results": results,
    "mismatches": mismatches,
    "start_date_utc": start_utc,
    "typed_context_types": typed_types,
    "context_types": context_types,
}, sort_keys=True, default=str))
