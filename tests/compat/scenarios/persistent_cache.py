"""The persistent cache recipe: ``SerialisedCache(FileCache(path), encode, decode)``.

A second session with the same cache file answers ``get`` from the file. To
see that without counting requests, the data is changed on the server in
between (by a session without the file cache): values read from the cache are
the old ones.
"""

import os
import sys
import tempfile
from pathlib import Path

import ftrack_api
import ftrack_api.cache
import ftrack_api.symbol

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _compat import Report, new_tree  # noqa: E402

report = Report()


def cached_session(path):
    return ftrack_api.Session(cache=lambda session: ftrack_api.cache.SerialisedCache(
        ftrack_api.cache.FileCache(path), encode=session.encode, decode=session.decode))


with tempfile.TemporaryDirectory() as folder:
    path = os.path.join(folder, "ftrack_cache.dbm")

    first = cached_session(path)
    report["cache_layers"] = [type(layer).__name__ for layer in first.cache.caches]
    project, sequence, shot, task = new_tree(first, report, "cache")
    first.commit()
    ids = {"project": project["id"], "sequence": sequence["id"], "shot": shot["id"],
           "task": task["id"]}
    # Load what the second session should find: names and the children collections.
    loaded = first.query(
        'select name, children, children.name, children.children.name from Project '
        'where id is "%s"' % ids["project"]).one()
    report["first_children"] = [child["name"] for child in loaded["children"]]
    report["first_grandchildren"] = [
        grandchild["name"] for grandchild in loaded["children"][0]["children"]]
    report["cache_file_created"] = any(name.startswith("ftrack_cache.dbm")
                                       for name in os.listdir(folder))
    first.close()

    # Change the data on the server behind the cache's back.
    writer = ftrack_api.Session()
    writer.get("Sequence", ids["sequence"])["name"] = "sq999"
    writer.get("Project", ids["project"])["name"] = report.name("renamed")
    writer.commit()

    second = cached_session(path)
    cached = second.get("Project", ids["project"])
    report["second_get_found"] = cached is not None
    with second.auto_populating(False):
        report["second_name_from_cache"] = cached["name"]
        children = cached["children"]
        report["second_children_from_cache"] = [
            child["name"] if child["name"] is not ftrack_api.symbol.NOT_SET else "NOT_SET"
            for child in children]
    report["second_children"] = [child["name"] for child in cached["children"]]
    report["second_grandchildren"] = [
        grandchild["name"] for grandchild in cached["children"][0]["children"]]
    report["second_child_is_get"] = cached["children"][0] is second.get(
        "Sequence", ids["sequence"])
    report["second_get_sequence_name"] = second.get("Sequence", ids["sequence"])["name"]
    report["second_query_refreshes"] = second.query(
        'select name from Sequence where id is "%s"' % ids["sequence"]).one()["name"]
    report["second_get_after_query"] = second.get("Sequence", ids["sequence"])["name"]
    second.close()

    # A session without the file cache sees the server's values.
    plain = ftrack_api.Session()
    report["plain_name"] = plain.get("Project", ids["project"])["name"]
    report["plain_children"] = [child["name"] for child in plain.get(
        "Project", ids["project"])["children"]]

    # Keys in the file cache are the session's cache keys.
    third = cached_session(path)
    file_cache = third.cache.caches[-1]
    report["file_cache_type"] = type(file_cache).__name__
    keys = sorted(file_cache.keys())
    report["file_cache_has_project_key"] = any(ids["project"] in key for key in keys)
    report["file_cache_key_for_project"] = [key for key in keys if ids["project"] in key
                                            and "Project" in key]
    third.close()

report.emit()
