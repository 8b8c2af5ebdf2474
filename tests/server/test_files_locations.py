"""The ftrack.server location: bytes follow their ComponentLocation, after commit only."""

from __future__ import annotations

from support.components import (
    SERVER_LOCATION_ID,
    UNMANAGED_LOCATION_ID,
    auth,
    download,
    new_id,
    register,
    upload,
)


def published(server, data: bytes = b"published bytes") -> tuple[str, str]:
    """An uploaded component registered in ftrack.server; returns (component id, location entry id)."""
    component_id = upload(server, data)
    reply = register(server, component_id, size=len(data))
    assert isinstance(reply, list), reply
    return component_id, reply[-1]["data"]["id"]


def stored(server, component_id: str) -> bool:
    return download(server, component_id, headers=auth(server)).status_code == 200


def delete(entity_type: str, key: str) -> dict:
    return {"action": "delete", "entity_type": entity_type, "entity_key": [key]}


def test_registration_keeps_the_component_id_as_resource_identifier(server):
    component_id, entry_id = published(server)
    rows = server.call([{"action": "query", "expression":
                         f'select resource_identifier, location_id, url from ComponentLocation where id is "{entry_id}"'}])
    row = rows[0]["data"][0]
    assert row["resource_identifier"] == component_id
    assert row["location_id"] == SERVER_LOCATION_ID
    assert row["url"] == {"value": f"{server.url}/component/get?id={component_id}"}
    response = server.client.get(row["url"]["value"], headers=auth(server))
    assert response.content == b"published bytes"


def test_deleting_the_location_entry_deletes_the_bytes(server):
    component_id, entry_id = published(server)
    assert isinstance(server.call([delete("ComponentLocation", entry_id)]), list)
    assert not stored(server, component_id)


def test_deleting_the_component_deletes_the_bytes(server):
    component_id, _ = published(server)
    assert isinstance(server.call([delete("FileComponent", component_id)]), list)
    assert not stored(server, component_id)


def test_a_rolled_back_delete_deletes_nothing(server):
    component_id, entry_id = published(server)
    reply = server.call([delete("ComponentLocation", entry_id), delete("Project", new_id())])
    assert isinstance(reply, dict) and reply["exception"] == "NotFoundError"
    assert stored(server, component_id)
    reply = server.call([delete("FileComponent", component_id), {"action": "query", "expression": "select nope"}])
    assert isinstance(reply, dict)
    assert stored(server, component_id)


def test_re_registering_in_the_same_batch_keeps_the_bytes(server):
    component_id, entry_id = published(server)
    again = register(server, component_id, create_component=False)[-1]
    reply = server.call([delete("ComponentLocation", entry_id)])
    assert isinstance(reply, list)
    assert stored(server, component_id), "another ftrack.server entry still uses the bytes"
    server.call([delete("ComponentLocation", again["data"]["id"])])
    assert not stored(server, component_id)


def test_other_locations_do_not_touch_server_bytes(server):
    component_id, _ = published(server)
    other = register(server, component_id, location_id=UNMANAGED_LOCATION_ID, create_component=False)
    assert isinstance(server.call([delete("ComponentLocation", other[-1]["data"]["id"])]), list)
    assert stored(server, component_id)


def test_deleting_a_project_deletes_the_bytes_below_it(server):
    from ftrack_server.store import seed

    project_id, asset_id, version_id = new_id(), new_id(), new_id()
    name = f"files_{project_id[:8]}"
    asset_type = server.call([{"action": "query", "expression": "select id from AssetType limit 1"}])[0]["data"][0]
    setup = server.call([
        {"action": "create", "entity_type": "Project", "entity_data": {
            "id": project_id, "name": name, "full_name": name, "project_schema_id": seed.PROJECT_SCHEMA_ID}},
        {"action": "create", "entity_type": "Asset", "entity_data": {
            "id": asset_id, "name": "hero", "context_id": project_id, "type_id": asset_type["id"]}},
        {"action": "create", "entity_type": "AssetVersion", "entity_data": {"id": version_id, "asset_id": asset_id}},
    ])
    assert isinstance(setup, list), setup
    component_id = upload(server, b"version data")
    reply = server.call([
        {"action": "create", "entity_type": "FileComponent", "entity_data": {
            "id": component_id, "name": "main", "file_type": ".bin", "version_id": version_id}},
    ])
    assert isinstance(reply, list), reply
    assert isinstance(register(server, component_id, create_component=False), list)
    assert stored(server, component_id)
    assert isinstance(server.call([delete("Project", project_id)]), list)
    assert not stored(server, component_id)
