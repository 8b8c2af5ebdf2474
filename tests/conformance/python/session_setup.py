"""Scenario 1: an official ``ftrack_api.Session`` can be built against our server.

What it proves:
* ``Session()`` configured only from FTRACK_SERVER / FTRACK_API_USER /
  FTRACK_API_KEY constructs: the server-information call passes the client's
  compatibility check, the schemas load and entity classes are built, and the
  built-in locations are configured.
* ``session.types`` has the core entity types.
* The five built-in ``Location`` rows exist with the ids the client hard-codes,
  so ``query(...).one()`` returns the very location object the client
  configured (with its accessor), and ``pick_location()`` works.
* The API user exists as a ``User`` row.
* With ``schema_cache_path`` the schema cache file is written, its MD5 recipe
  matches ``schema_hash``, and a second session with the same path builds from
  the cache without calling ``query_schemas``.

Prints a JSON summary as its last stdout line.
"""

import hashlib
import json
import os
import tempfile

import ftrack_api
import ftrack_api.accessor.server
import ftrack_api.entity.base
import ftrack_api.symbol

BUILT_IN_LOCATIONS = {
    "ftrack.origin": ftrack_api.symbol.ORIGIN_LOCATION_ID,
    "ftrack.unmanaged": ftrack_api.symbol.UNMANAGED_LOCATION_ID,
    "ftrack.review": ftrack_api.symbol.REVIEW_LOCATION_ID,
    "ftrack.connect": ftrack_api.symbol.CONNECT_LOCATION_ID,
    "ftrack.server": ftrack_api.symbol.SERVER_LOCATION_ID,
}


class RecordingSession(ftrack_api.Session):
    """The official Session, unchanged, except that it notes each action it sends."""

    def __init__(self, *args, **kwargs):
        self.sent_actions = []
        super().__init__(*args, **kwargs)

    def call(self, data):
        self.sent_actions.extend(operation.get("action") for operation in data)
        return super().call(data)


# --- 1. Construction from the environment alone -----------------------------
session = ftrack_api.Session()
info = session.server_information
assert "version" in info, info
assert session.api_user == os.environ["FTRACK_API_USER"]

# --- 2. Entity types built from query_schemas -------------------------------
for name in ("Project", "Sequence", "Shot", "Task", "TypedContext", "Context",
             "AssetVersion", "Location", "User", "Note"):
    assert name in session.types, "missing entity type %s" % name
assert issubclass(session.types["Task"], ftrack_api.entity.base.Entity)

# --- 3. Built-in locations ---------------------------------------------------
server_location = session.query('Location where name is "ftrack.server"').one()
assert server_location["id"] == ftrack_api.symbol.SERVER_LOCATION_ID, server_location["id"]
# The query result is merged into the location the session configured itself,
# so it carries the client-side server accessor.
assert isinstance(server_location.accessor, ftrack_api.accessor.server._ServerAccessor)

location_ids = {}
for name, expected_id in BUILT_IN_LOCATIONS.items():
    location = session.query('select id, name from Location where name is "%s"' % name).one()
    assert location["id"] == expected_id, (name, location["id"], expected_id)
    location_ids[name] = location["id"]

# pick_location() queries every Location and keeps those with an accessor;
# lowest priority number wins (ftrack.unmanaged, priority 90).
picked = session.pick_location()
assert picked is not None, "pick_location() found no accessible location"
picked_name = picked["name"]

# --- 4. The API user is a real User row -------------------------------------
user = session.query('User where username is "%s"' % session.api_user).one()
with session.auto_populating(True):
    username = user["username"]
assert username == session.api_user

# --- 5. Schema cache ---------------------------------------------------------
with tempfile.TemporaryDirectory() as cache_dir:
    first = RecordingSession(schema_cache_path=cache_dir)
    cache_file = os.path.join(cache_dir, "ftrack_api_schema_cache.json")
    assert os.path.isfile(cache_file), "schema cache file was not written"
    with open(cache_file) as handle:
        cached = json.load(handle)
    assert isinstance(cached, list) and cached, "schema cache is not a non-empty list"
    assert len(cached) == len(first.schemas)
    local_hash = hashlib.md5(json.dumps(cached, sort_keys=True).encode("utf-8")).hexdigest()
    server_hash = first.server_information.get("schema_hash")
    assert server_hash == local_hash, (
        "schema_hash %r does not match the MD5 of the schema list %r" % (server_hash, local_hash))

    second = RecordingSession(schema_cache_path=cache_dir)
    assert sorted(second.types) == sorted(first.types)
    # Equal hashes mean the second session must not fetch the schemas again.
    assert "query_schemas" not in second.sent_actions, second.sent_actions
    task_class = second.types["Task"]
    assert "custom_attributes" in task_class.attributes.keys()
    first.close()
    second.close()

session.close()

print(json.dumps({
    "server_version": info.get("version"),
    "timezone_support": info.get("is_timezone_support_enabled"),
    "storage_scenario": info.get("storage_scenario"),
    "type_count": len(session.types),
    "location_ids": location_ids,
    "picked_location": picked_name,
    "username": username,
    "first_session_actions": first.sent_actions,
    "second_session_actions": second.sent_actions,
    "schema_count": len(cached),
}, sort_keys=True, default=str))
