"""Session construction, the schema cache file and the entity classes in ``session.types``."""

import json
import os
import sys
import tempfile
import time
from pathlib import Path

import ftrack_api
import ftrack_api.entity.base
import ftrack_api.exception

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _compat import Report, raised  # noqa: E402

report = Report()


# --- construction from the environment --------------------------------------------
session = ftrack_api.Session()
report["api_user_matches_env"] = session.api_user == os.environ["FTRACK_API_USER"]
report["api_key_matches_env"] = session.api_key == os.environ["FTRACK_API_KEY"]
report["server_url_matches_env"] = session.server_url == os.environ["FTRACK_SERVER"]
report["auto_populate"] = session.auto_populate
report["closed"] = session.closed
report["server_information_has_version"] = "version" in session.server_information
report["event_hub_connected"] = session.event_hub.connected

# --- session.types ---------------------------------------------------------------------
report["type_names"] = sorted(session.types)
report["schema_ids_match_types"] = sorted(schema["id"] for schema in session.schemas) == sorted(
    session.types)
core = ("Project", "Sequence", "Shot", "Task", "TypedContext", "Context", "AssetVersion",
        "Component", "FileComponent", "Location", "User", "Note", "Job", "ProjectSchema")
report["class_names"] = {name: session.types[name].__name__ for name in core}
report["entity_subclasses"] = {
    name: issubclass(session.types[name], ftrack_api.entity.base.Entity) for name in core}
report["entity_type_attr"] = {name: session.types[name].entity_type for name in core}
report["primary_keys"] = {
    name: list(session.types[name].primary_key_attributes) for name in core}
report["task_attribute_sample"] = sorted(
    name for name in session.types["Task"].attributes.keys()
    if name in ("id", "name", "parent", "children", "custom_attributes", "metadata",
                "status", "type", "link", "project", "incoming_links", "start_date"))
report["attribute_kinds"] = {
    type_name: sorted(
        [attribute.name, type(attribute).__name__, attribute.mutable, attribute.computed]
        for attribute in session.types[type_name].attributes)
    for type_name in ("Task", "Project", "AssetVersion", "Metadata", "User")}
report["attributes_get"] = [
    session.types["Task"].attributes.get("name").name,
    session.types["Task"].attributes.get("no_such_attribute")]
report["operation_recording"] = [session.record_operations]
with session.operation_recording(False):
    report["operation_recording"].append(session.record_operations)
report["operation_recording"].append(session.record_operations)

schema = session.query("ProjectSchema").first()
project = session.create("Project", {"name": report.name("types"), "project_schema": schema})
report["isinstance"] = {
    "Project": isinstance(project, session.types["Project"]),
    "Entity": isinstance(project, ftrack_api.entity.base.Entity),
    "Task": isinstance(project, session.types["Task"]),
    "Context": isinstance(project, session.types["Context"]),
}
report["entity_type"] = project.entity_type
report["unknown_type"] = raised(lambda: session.create("NoSuchType", {}))
report["unknown_type_query"] = raised(lambda: session.query("NoSuchType").all())
session.rollback()

# --- schema cache ---------------------------------------------------------------------------
with tempfile.TemporaryDirectory() as cache_dir:
    first = ftrack_api.Session(schema_cache_path=cache_dir)
    report["cache_files"] = sorted(os.listdir(cache_dir))
    cache_file = os.path.join(cache_dir, "ftrack_api_schema_cache.json")
    report["cache_file_is_file"] = os.path.isfile(cache_file)
    with open(cache_file) as handle:
        cached = json.load(handle)
    report["cache_is_schema_list"] = sorted(item["id"] for item in cached) == sorted(first.types)
    written = os.stat(cache_file).st_mtime_ns
    time.sleep(0.05)
    second = ftrack_api.Session(schema_cache_path=cache_dir)
    # A cache whose hash matches the server's is read, not rewritten.
    report["second_session_rewrote_cache"] = os.stat(cache_file).st_mtime_ns != written
    report["second_types_equal"] = sorted(second.types) == sorted(first.types)
    # A stale cache (its hash no longer matches) is replaced by a fresh copy.
    with open(cache_file, "w") as handle:
        json.dump(cached[:3], handle)
    third = ftrack_api.Session(schema_cache_path=cache_dir)
    with open(cache_file) as handle:
        report["stale_cache_refreshed"] = len(json.load(handle)) == len(cached)
    report["stale_cache_types_complete"] = sorted(third.types) == sorted(first.types)
    # An unreadable cache is ignored (the session still builds every type).
    with open(cache_file, "w") as handle:
        handle.write("{not json")
    fourth = ftrack_api.Session(schema_cache_path=cache_dir)
    report["broken_cache_types_complete"] = sorted(fourth.types) == sorted(first.types)
    # schema_cache_path=False never touches the folder.
    os.remove(cache_file)
    no_cache = ftrack_api.Session(schema_cache_path=False)
    report["no_cache_files"] = sorted(os.listdir(cache_dir))
    report["no_cache_types_complete"] = sorted(no_cache.types) == sorted(first.types)
    for each in (first, second, third, fourth, no_cache):
        each.close()

# --- close ----------------------------------------------------------------------------
with ftrack_api.Session() as scoped:
    report["context_manager_open"] = scoped.closed
report["context_manager_closed"] = scoped.closed
session.close()
report["closed_after_close"] = session.closed
report["query_after_close"] = raised(lambda: session.query("User").first())
session.close()  # a second close is harmless
report["second_close"] = session.closed

report.emit()
