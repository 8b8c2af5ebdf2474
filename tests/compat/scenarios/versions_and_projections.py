"""Assets and versions, and what nested projections load into the identity map."""

import sys
from pathlib import Path

import ftrack_api
import ftrack_api.symbol

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _compat import Report, new_tree  # noqa: E402

report = Report()
NOT_SET = ftrack_api.symbol.NOT_SET

session = ftrack_api.Session()
project, sequence, shot, task = new_tree(session, report, "versions")
session.commit()
asset_type = session.query("AssetType").first()
asset = session.create("Asset", {"name": "hero", "type": asset_type, "parent": shot})
first = session.create("AssetVersion", {"asset": asset, "task": task, "comment": "first"})
session.commit()
report["first_number_after_commit"] = first["version"]
second = session.create("AssetVersion", {"asset": asset, "task": task, "comment": "second"})
session.commit()
report["second_number_after_commit"] = second["version"]
asset_id = asset["id"]


def picture(entity, names):
    """Which of *names* are loaded, and their plain values (entities by type)."""
    with entity.session.auto_populating(False):
        result = {}
        for name in names:
            value = entity[name]
            if value is NOT_SET:
                result[name] = "NOT_SET"
            elif hasattr(value, "entity_type"):
                result[name] = "<%s>" % value.entity_type
            elif type(value).__name__ in ("Collection", "KeyValueMappedCollectionProxy"):
                result[name] = ["<%s>" % item.entity_type for item in value]
            else:
                result[name] = value
        return result


reader = ftrack_api.Session()
versions = reader.query(
    'select version, is_latest_version, comment, asset.name from AssetVersion '
    'where asset_id is "%s" order by version' % asset_id).all()
report["versions"] = [picture(version, ["version", "is_latest_version", "comment", "asset",
                                        "task"]) for version in versions]
report["shared_asset_object"] = versions[0]["asset"] is versions[1]["asset"]
report["asset_picture"] = picture(versions[0]["asset"], ["name", "versions", "parent"])
read_asset = reader.get("Asset", asset_id)
report["asset_is_shared"] = read_asset is versions[0]["asset"]
report["latest_version"] = read_asset["latest_version"]["version"]
report["asset_versions"] = sorted(item["version"] for item in read_asset["versions"])
report["asset_parent"] = [read_asset["parent"].entity_type, read_asset["parent"]["name"]]
report["version_link"] = [item["name"] for item in versions[1]["link"]]

# A self-referencing projection: every row carries the asset and all its versions.
nested = ftrack_api.Session()
rows = nested.query(
    'select version, asset.versions.version from AssetVersion where asset_id is "%s" '
    'order by version' % asset_id).all()
report["nested_rows"] = [picture(row, ["version", "asset", "comment"]) for row in rows]
report["nested_asset_versions"] = [picture(row["asset"], ["versions"]) for row in rows]
report["nested_versions_are_rows"] = [
    sorted(id(item) for item in row["asset"]["versions"]) == sorted(id(r) for r in rows)
    for row in rows]

# Collections in projections and filters on them.
by_collection = ftrack_api.Session().query(
    'select name, versions.comment from Asset where id is "%s"' % asset_id).one()
report["collection_projection"] = sorted(
    picture(item, ["comment", "version"])["comment"] for item in by_collection["versions"])
report["filter_on_collection"] = len(ftrack_api.Session().query(
    'Asset where versions any (comment is "second") and id is "%s"' % asset_id).all())
report["filter_on_reference"] = sorted(item["version"] for item in ftrack_api.Session().query(
    'AssetVersion where asset.name is "hero" and asset.parent.id is "%s"' % shot["id"]).all())

report.emit()
