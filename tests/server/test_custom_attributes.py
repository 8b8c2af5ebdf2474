"""Custom attributes: dense reads with defaults, hierarchical ones, upserts, typed values."""

from __future__ import annotations

import uuid

import pytest

from ftrack_server.store import seed


def ok(reply):
    assert not isinstance(reply, dict), reply
    return reply


@pytest.fixture
def setup(fresh_server):
    call = lambda ops: ok(fresh_server.call(ops))  # noqa: E731
    types = {r["name"]: r["id"] for r in call([{"action": "query", "expression": "select name from CustomAttributeType"}])[0]["data"]}
    project, other, shot, task = (str(uuid.uuid4()) for _ in range(4))
    global_cfg, project_cfg, task_cfg = (str(uuid.uuid4()) for _ in range(3))
    call([
        {"action": "create", "entity_type": "Project", "entity_data": {"id": project, "name": "ca", "full_name": "ca", "project_schema_id": seed.PROJECT_SCHEMA_ID}},
        {"action": "create", "entity_type": "Project", "entity_data": {"id": other, "name": "other", "full_name": "other", "project_schema_id": seed.PROJECT_SCHEMA_ID}},
        {"action": "create", "entity_type": "Shot", "entity_data": {"id": shot, "name": "sh", "parent_id": project}},
        {"action": "create", "entity_type": "Task", "entity_data": {"id": task, "name": "t", "parent_id": shot}},
        # Created after the entities: their values come from the configuration defaults.
        {"action": "create", "entity_type": "CustomAttributeConfiguration", "entity_data": {
            "id": global_cfg, "key": "fps", "label": "FPS", "entity_type": "show", "is_hierarchical": True,
            "type_id": types["number"], "default": 24, "config": "{}"}},
        {"action": "create", "entity_type": "CustomAttributeConfiguration", "entity_data": {
            "id": project_cfg, "key": "fps", "label": "FPS", "entity_type": "show", "is_hierarchical": True,
            "project_id": project, "type_id": types["number"], "default": 25, "config": "{}"}},
        {"action": "create", "entity_type": "CustomAttributeConfiguration", "entity_data": {
            "id": task_cfg, "key": "notes_url", "label": "URL", "entity_type": "task",
            "object_type_id": seed.OBJECT_TYPE_IDS["Task"], "type_id": types["text"], "default": "", "config": "{}"}},
    ])
    return call, {"project": project, "other": other, "shot": shot, "task": task,
                  "global": global_cfg, "project_cfg": project_cfg, "task_cfg": task_cfg}


def values(call, type_name, id_):
    data = call([{"action": "query", "expression": f'select custom_attributes from {type_name} where id is "{id_}"'}])[0]["data"]
    return {item["key"]: item["value"] for item in data[0]["custom_attributes"]}


def test_dense_reads_use_defaults_and_project_specific_wins(setup):
    call, ids = setup
    assert values(call, "Task", ids["task"]) == {"fps": 25, "notes_url": ""}
    assert values(call, "Shot", ids["shot"]) == {"fps": 25}
    assert values(call, "Project", ids["other"]) == {"fps": 24}
    items = call([{"action": "query", "expression": f'select custom_attributes from Task where id is "{ids["task"]}"'}])[0]["data"][0]["custom_attributes"]
    assert {i["__entity_type__"] for i in items} == {"ContextCustomAttributeValue"}
    assert all(i["entity_id"] == ids["task"] and i["configuration_id"] for i in items)


def test_updates_upsert_and_are_typed(setup):
    call, ids = setup
    update = {"action": "update", "entity_type": "ContextCustomAttributeValue",
              "entity_key": [ids["project_cfg"], ids["shot"]], "entity_data": {"value": 30}}
    assert call([update])[0]["data"]["value"] == 30
    assert values(call, "Shot", ids["shot"]) == {"fps": 30}
    assert values(call, "Task", ids["task"])["fps"] == 25  # no inheritance from the parent


def test_wrong_types_are_refused(setup, fresh_server):
    _, ids = setup
    reply = fresh_server.call([{"action": "update", "entity_type": "ContextCustomAttributeValue",
                                "entity_key": [ids["project_cfg"], ids["shot"]], "entity_data": {"value": "thirty"}}])
    assert reply["exception"] == "ValidationError" and '"fps"' in reply["content"] and "number" in reply["content"]


def test_filters_see_stored_values_and_defaults(setup):
    call, ids = setup
    call([{"action": "update", "entity_type": "ContextCustomAttributeValue",
           "entity_key": [ids["project_cfg"], ids["shot"]], "entity_data": {"value": 30}}])

    def names(criteria):
        return sorted(r["name"] for r in call([{"action": "query", "expression": f"select name from Context where {criteria}"}])[0]["data"])

    assert names('custom_attributes any (key is fps and value is 30)') == ["sh"]
    assert names('custom_attributes any (key is fps and value is 25)') == ["ca", "t"]
    assert names('custom_attributes any (key is fps and value < 25)') == ["other"]
    assert names('custom_attributes.configuration.key is notes_url') == ["t"]


def test_entities_created_later_keep_the_default_they_were_born_with(setup):
    call, ids = setup
    call([{"action": "update", "entity_type": "CustomAttributeConfiguration", "entity_key": [ids["task_cfg"]],
           "entity_data": {"default": "http://old"}}])
    late = str(uuid.uuid4())
    call([{"action": "create", "entity_type": "Task", "entity_data": {"id": late, "name": "late", "parent_id": ids["shot"]}}])
    call([{"action": "update", "entity_type": "CustomAttributeConfiguration", "entity_key": [ids["task_cfg"]],
           "entity_data": {"default": "http://new"}}])
    assert values(call, "Task", late)["notes_url"] == "http://old"
    assert values(call, "Task", ids["task"])["notes_url"] == "http://new"
