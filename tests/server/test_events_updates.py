"""``ftrack.update``: published after each committed batch that changed data, never after a rollback."""

from __future__ import annotations

import uuid

import pytest

from ftrack_server.store import seed
from support.server import ServerProcess
from support.socketio import EVENT_KEYS, EventClient


@pytest.fixture
def listener(server: ServerProcess):
    with EventClient.of(server) as client:
        client.subscribe("topic=ftrack.update")
        yield client


def ok(reply):
    assert not isinstance(reply, dict), reply
    return reply


def update_about(listener: EventClient, entity_id: str, timeout: float = 5.0) -> dict:
    """The next ftrack.update mentioning `entity_id` (updates of other tests' batches are skipped)."""
    while True:
        event = listener.next_event(timeout=timeout, topic="ftrack.update")
        if any(e["entityId"] == entity_id for e in event["data"]["entities"]):
            return event


def by_id(event: dict) -> dict:
    return {e["entityId"]: e for e in event["data"]["entities"]}


def new_tree(server: ServerProcess, token: str | None = None) -> dict:
    ids = {name: str(uuid.uuid4()) for name in ("project", "sequence", "shot", "task")}
    headers = {"ftrack-Clienttoken": token} if token else None
    ok(server.call([
        {"action": "create", "entity_type": "Project", "entity_data": {
            "id": ids["project"], "name": f"ev_{ids['project'][:8]}", "full_name": "events",
            "project_schema_id": seed.PROJECT_SCHEMA_ID}},
        {"action": "create", "entity_type": "Sequence", "entity_data": {"id": ids["sequence"], "name": "sq", "parent_id": ids["project"]}},
        {"action": "create", "entity_type": "Shot", "entity_data": {"id": ids["shot"], "name": "sh", "parent_id": ids["sequence"]}},
        {"action": "create", "entity_type": "Task", "entity_data": {"id": ids["task"], "name": "comp", "parent_id": ids["shot"]}},
    ], headers=headers))
    return ids


def test_creates_are_announced_with_client_token_user_and_parents(server: ServerProcess, listener: EventClient) -> None:
    ids = new_tree(server, token="ftrack-javascript-api--token-1")
    event = update_about(listener, ids["task"])
    assert set(event) == EVENT_KEYS
    assert event["topic"] == "ftrack.update" and event["target"] == "" and event["inReplyToEvent"] is None
    data = event["data"]
    assert data["clientToken"] == "ftrack-javascript-api--token-1"
    assert event["source"]["clientToken"] == "ftrack-javascript-api--token-1"
    assert event["source"]["applicationId"] == "ftrack.server"
    assert event["source"]["user"]["username"] == server.api_user
    assert data["user"]["userid"] == event["source"]["user"]["id"] and data["user"]["name"]
    entities = by_id(event)
    assert set(entities) == set(ids.values())
    project, task = entities[ids["project"]], entities[ids["task"]]
    assert (project["action"], project["entityType"], project["entity_type"], project["parentId"]) == (
        "add", "show", "Project", None)
    assert (task["action"], task["entityType"], task["entity_type"], task["parentId"]) == (
        "add", "task", "Task", ids["shot"])
    assert task["objectTypeId"] == seed.OBJECT_TYPE_IDS["Task"]
    assert task["changes"]["name"] == {"old": None, "new": "comp"}
    assert "name" in task["keys"] and "parent_id" in task["keys"]
    assert [p["entityId"] for p in task["parents"]] == [ids["task"], ids["shot"], ids["sequence"], ids["project"]]
    assert [p["entity_type"] for p in task["parents"]] == ["Task", "Shot", "Sequence", "Project"]
    assert set(data["parents"]) == set(ids.values())


def test_updates_carry_old_and_new_values(server: ServerProcess, listener: EventClient) -> None:
    ids = new_tree(server)
    update_about(listener, ids["task"])
    ok(server.call([
        {"action": "update", "entity_type": "Task", "entity_key": [ids["task"]], "entity_data": {"name": "lighting"}},
        {"action": "update", "entity_type": "Task", "entity_key": [ids["task"]], "entity_data": {"name": "fx", "description": "d"}},
        {"action": "update", "entity_type": "Shot", "entity_key": [ids["shot"]], "entity_data": {"name": "sh"}},  # no change
    ], headers={"ftrack-Clienttoken": "tok-2"}))
    event = update_about(listener, ids["task"])
    entities = by_id(event)
    assert list(entities) == [ids["task"]]  # an update that changes nothing is not news
    task = entities[ids["task"]]
    assert task["action"] == "update"
    assert sorted(task["keys"]) == ["description", "name"]
    assert task["changes"] == {"name": {"old": "comp", "new": "fx"}, "description": {"old": "", "new": "d"}}
    assert [p["entityId"] for p in task["parents"]][:2] == [ids["task"], ids["shot"]]
    assert event["data"]["clientToken"] == "tok-2"


def test_deletes_report_every_removed_entity(server: ServerProcess, listener: EventClient) -> None:
    ids = new_tree(server)
    update_about(listener, ids["task"])
    ok(server.call([{"action": "delete", "entity_type": "Project", "entity_key": [ids["project"]]}]))
    event = update_about(listener, ids["project"])
    entities = by_id(event)
    assert set(entities) == set(ids.values())  # the cascade, and no bookkeeping rows
    assert {e["action"] for e in entities.values()} == {"remove"}
    task = entities[ids["task"]]
    assert task["changes"]["name"] == {"old": "comp", "new": None}
    assert [p["entityId"] for p in task["parents"]] == [ids["task"], ids["shot"], ids["sequence"], ids["project"]]


def test_rolled_back_and_read_only_batches_say_nothing(server: ServerProcess, listener: EventClient) -> None:
    doomed = str(uuid.uuid4())
    failed = server.call([
        {"action": "create", "entity_type": "Project", "entity_data": {
            "id": doomed, "name": f"ev_{doomed[:8]}", "full_name": "x", "project_schema_id": seed.PROJECT_SCHEMA_ID}},
        {"action": "create", "entity_type": "Shot", "entity_data": {"name": "orphan"}},  # no parent: fails
    ])
    assert failed["exception"] == "ValidationError"
    ok(server.call([{"action": "query", "expression": "select id from Project"}]))
    ids = new_tree(server)
    events = [listener.next_event(topic="ftrack.update")]
    events += [e for e in listener.events(0.3) if e["topic"] == "ftrack.update"]
    mentioned = {e["entityId"] for event in events for e in event["data"]["entities"]}
    assert doomed not in mentioned
    assert ids["task"] in mentioned


def test_custom_attribute_changes_are_changes_of_their_entity(server: ServerProcess, listener: EventClient) -> None:
    ids = new_tree(server)
    update_about(listener, ids["task"])
    types = {r["name"]: r["id"] for r in ok(server.call(
        [{"action": "query", "expression": "select name from CustomAttributeType"}]))[0]["data"]}
    configuration = str(uuid.uuid4())
    key = f"ev_{configuration[:8]}"
    ok(server.call([{"action": "create", "entity_type": "CustomAttributeConfiguration", "entity_data": {
        "id": configuration, "key": key, "label": key, "entity_type": "task", "project_id": ids["project"],
        "object_type_id": seed.OBJECT_TYPE_IDS["Task"], "type_id": types["number"], "default": 1, "config": "{}"}}]))
    ok(server.call([{"action": "update", "entity_type": "ContextCustomAttributeValue",
                     "entity_key": [configuration, ids["task"]], "entity_data": {"value": 5}}]))
    task = by_id(update_about(listener, ids["task"]))[ids["task"]]
    assert task["action"] == "update" and task["entity_type"] == "Task"
    assert task["keys"] == [key]
    assert task["changes"] == {key: {"old": 1, "new": 5}}


def test_asset_versions_have_their_asset_and_context_as_parents(server: ServerProcess, listener: EventClient) -> None:
    ids = new_tree(server)
    update_about(listener, ids["task"])
    asset, version = str(uuid.uuid4()), str(uuid.uuid4())
    ok(server.call([{"action": "create", "entity_type": "Asset", "entity_data": {
        "id": asset, "name": "hero", "context_id": ids["shot"], "type_id": seed.stable_id("AssetType", "Geometry")}}]))
    update_about(listener, asset)
    ok(server.call([{"action": "create", "entity_type": "AssetVersion", "entity_data": {"id": version, "asset_id": asset}}]))
    created = by_id(update_about(listener, version))[version]
    assert (created["entityType"], created["entity_type"], created["parentId"]) == ("assetversion", "AssetVersion", asset)
    assert [p["entityId"] for p in created["parents"]] == [version, asset, ids["shot"], ids["sequence"], ids["project"]]


def test_custom_attribute_values_go_with_their_entity(fresh_server: ServerProcess) -> None:
    """A configuration with a default gives new entities stored values; they are not entities of their own."""
    types = {r["name"]: r["id"] for r in ok(fresh_server.call(
        [{"action": "query", "expression": "select name from CustomAttributeType"}]))[0]["data"]}
    configuration, handles = str(uuid.uuid4()), str(uuid.uuid4())
    ok(fresh_server.call([
        {"action": "create", "entity_type": "CustomAttributeConfiguration", "entity_data": {
            "id": configuration, "key": "fps", "label": "FPS", "entity_type": "show", "type_id": types["number"],
            "default": 24, "config": "{}"}},
        {"action": "create", "entity_type": "CustomAttributeConfiguration", "entity_data": {
            "id": handles, "key": "handles", "label": "Handles", "entity_type": "show", "type_id": types["number"],
            "default": None, "config": "{}"}},
    ]))
    with EventClient.of(fresh_server) as listener:
        listener.subscribe("topic=ftrack.update")
        ids = new_tree(fresh_server)
        assert set(by_id(update_about(listener, ids["task"]))) == set(ids.values())
        project = str(uuid.uuid4())
        ok(fresh_server.call([
            {"action": "create", "entity_type": "Project", "entity_data": {
                "id": project, "name": f"ev_{project[:8]}", "full_name": "x", "project_schema_id": seed.PROJECT_SCHEMA_ID}},
            {"action": "create", "entity_type": "ContextCustomAttributeValue", "entity_data": {
                "configuration_id": handles, "entity_id": project, "value": 8}},
        ]))
        created = by_id(update_about(listener, project))
        assert list(created) == [project]
        assert created[project]["changes"]["handles"] == {"old": None, "new": 8}
        ok(fresh_server.call([{"action": "delete", "entity_type": "Project", "entity_key": [ids["project"]]}]))
        assert set(by_id(update_about(listener, ids["project"]))) == set(ids.values())
