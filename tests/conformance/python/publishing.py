"""Scenario 4: publishing an asset with two versions through the official client.

What it proves:
* ``AssetType`` can be queried; an ``Asset`` parented to a shot is created.
* ``AssetVersion`` numbers are assigned by the server (1, then 2) when the
  client sends none, and the create result carries the number back.
* ``is_latest_version`` is true only for the newest version once re-queried,
  and ``Asset.latest_version`` points at it.
* The self-referencing projection ``select version, asset.versions.version from
  AssetVersion`` returns every version of the asset inside each row (the
  recorded real-server response de-duplicates such repeats; either form must
  decode correctly).

Prints a JSON summary as its last stdout line.
"""

import json
import sys
from pathlib import Path

import ftrack_api
import ftrack_api.symbol

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _scenario import new_tree  # noqa: E402

session = ftrack_api.Session()

tree = new_tree(session, "publish", "modeling")
suffix, project_schema, task_type, task_status = tree.suffix, tree.project_schema, tree.task_type, tree.task_status
project, sequence, shot, task = tree.project, tree.sequence, tree.shot, tree.task
session.commit()

# --- Asset and versions ----------------------------------------------------------
asset_type = session.query("AssetType").first()
assert asset_type is not None, "the server has no AssetType"
asset = session.create("Asset", {"name": "hero", "type": asset_type, "parent": shot})
first = session.create("AssetVersion", {"asset": asset, "task": task, "comment": "first"})
session.commit()
first_number = first["version"]  # merged from the create result (or populated)

second = session.create("AssetVersion", {"asset": asset, "task": task, "comment": "second"})
session.commit()
second_number = second["version"]
assert (first_number, second_number) == (1, 2), (first_number, second_number)
ids = {"asset": asset["id"], "first": first["id"], "second": second["id"]}

# --- Re-query in a new session ----------------------------------------------------
reader = ftrack_api.Session()
versions = reader.query(
    'select version, is_latest_version, comment, task_id from AssetVersion '
    'where asset_id is "%s" order by version' % ids["asset"]).all()
with reader.auto_populating(False):
    summary_versions = [
        {"id": v["id"], "version": v["version"], "is_latest_version": v["is_latest_version"],
         "comment": v["comment"]}
        for v in versions
    ]
assert [v["id"] for v in summary_versions] == [ids["first"], ids["second"]], summary_versions
assert [v["version"] for v in summary_versions] == [1, 2], summary_versions
assert [v["is_latest_version"] for v in summary_versions] == [False, True], summary_versions
assert all(v["task_id"] == task["id"] for v in versions)

read_asset = reader.get("Asset", ids["asset"])
assert read_asset["parent"]["id"] == shot["id"]
assert read_asset["parent"].entity_type == "Shot"
assert read_asset["type"]["id"] == asset_type["id"]
assert read_asset["latest_version"]["id"] == ids["second"]
assert sorted(v["version"] for v in read_asset["versions"]) == [1, 2]

# --- Self-referencing projection ---------------------------------------------------
# The client merges all rows of one response with a shared "already merged"
# table, so when version 2 first appears nested in row 1 (inside
# asset.versions), row 2's own top-level data for version 2 is NOT merged
# again.  The data of row 2 therefore only arrives if the FIRST occurrence of
# each entity carries every attribute projected for it anywhere in the response
# (query-language.md section 6 asks for this union at the first occurrence).  Check that
# first with auto-population off, then check the user-visible values.
nested = ftrack_api.Session()
rows = nested.query(
    'select version, asset.versions.version from AssetVersion where asset_id is "%s"'
    % ids["asset"]).all()
assert len(rows) == 2, rows
rows_missing_projection = []
with nested.auto_populating(False):
    for row in rows:
        asset_value = row["asset"]
        if asset_value is ftrack_api.symbol.NOT_SET or \
                asset_value["versions"] is ftrack_api.symbol.NOT_SET:
            rows_missing_projection.append(row["version"])
nested_versions = {}
for row in rows:  # auto-population on: lazily loads whatever the response lacked
    numbers = sorted(item["version"] for item in row["asset"]["versions"])
    nested_versions[row["version"]] = numbers
    assert numbers == [1, 2], (row["version"], numbers)

print(json.dumps({
    "ids": ids,
    "assigned_numbers": [first_number, second_number],
    "versions": summary_versions,
    "nested_versions": {str(k): v for k, v in sorted(nested_versions.items())},
    "rows_missing_projection": rows_missing_projection,
    "asset_type": asset_type["name"],
}, sort_keys=True, default=str))
