"""Bad requests get ftrack's error object naming the problem, and change nothing."""

from __future__ import annotations

import uuid

import pytest

from ftrack_server.store import seed


def error(reply) -> tuple[str, str]:
    assert isinstance(reply, dict) and "exception" in reply, reply
    assert set(reply) >= {"exception", "content", "error_code"}
    assert "{" not in reply["content"] and "}" not in reply["content"]
    return reply["exception"], reply["content"]


def project_named(api, name):
    return api([{"action": "query", "expression": f'select id from Project where name is "{name}"'}])[0]["data"]


def new_project(name=None):
    name = name or f"p-{uuid.uuid4().hex[:8]}"
    return {"action": "create", "entity_type": "Project",
            "entity_data": {"name": name, "full_name": name, "project_schema_id": seed.PROJECT_SCHEMA_ID}}


def test_malformed_json(server):
    response = server.client.post(server.api_url, content=b"[{not json", headers=server.headers)
    kind, message = error(response.json())
    assert kind == "ValidationError" and "JSON" in message


@pytest.mark.parametrize("body", [{"action": "query"}, "query", 42, [1], [["query"]]])
def test_body_must_be_a_list_of_objects(api, body):
    kind, message = error(api(body))
    assert kind == "ValidationError"


def test_unknown_action_uses_the_text_clients_look_for(api):
    kind, message = error(api([{"action": "permissions"}]))
    assert "Invalid action u'permissions'" in message


def test_bad_credentials_get_no_data(server):
    reply = server.call([{"action": "query", "expression": "select id from User"}], api_key="wrong")
    assert error(reply) == ("InvalidCredentialsError", "API key or user not accepted.")
    reply = server.call([{"action": "query_server_information"}], api_user="nobody")
    assert error(reply)[0] == "InvalidCredentialsError"
    response = server.client.post(server.api_url, json=[{"action": "query_schemas"}])
    assert error(response.json())[0] == "InvalidCredentialsError"


def test_strict_mode_uses_http_status(server):
    response = server.post([{"action": "nope"}], headers={"ftrack-strict-api": "true"})
    assert response.status_code == 400
    response = server.post([{"action": "query_server_information"}], api_key="bad", headers={"ftrack-strict-api": "true"})
    assert response.status_code == 401
    assert server.post([{"action": "nope"}]).status_code == 200


@pytest.mark.parametrize("expression, position, near", [
    ("select name from Task where name is", 35, ""),
    ("select name from Task where name andd 1", 33, "andd"),
    ('select name from Task where name is "open', 36, ""),
    ("select name, from Task", None, None),
    ("select name from Task where (name is x", None, None),
    ("select name from Task limit x", None, None),
])
def test_syntax_errors_say_where(api, expression, position, near):
    kind, message = error(api([{"action": "query", "expression": expression}]))
    assert kind == "ParseError"
    assert "position" in message
    if position is not None:
        assert f"position {position}" in message
    if near:
        assert near in message


@pytest.mark.parametrize("expression, named", [
    ("select id from Foo", '"Foo"'),
    ("select nope from Task", '"nope"'),
    ("select id from Task where status.nope is 1", '"nope"'),
    ("select id from Task where name.first is 1", '"name"'),
    ("select id from Task where bid > abc", "abc"),
    ("select id from Task where start_date after yesterday", "yesterday"),
    ("select id from Task where name any ()", '"name"'),
    ("select custom_attribute_links from Task", "criteria"),
    ("select id from Task where id in (select id, name from Task)", "one attribute"),
    ("select count(id) from Task", "group by"),
])
def test_query_errors_name_the_problem(api, expression, named):
    kind, message = error(api([{"action": "query", "expression": expression}]))
    assert kind == "ValidationError"
    assert named in message


def test_create_errors(api):
    cases = [
        ({"entity_type": "Nope", "entity_data": {}}, '"Nope"'),
        ({"entity_type": "Project", "entity_data": {"name": "x", "colour": "red"}}, '"colour"'),
        ({"entity_type": "Project", "entity_data": {"name": "x", "is_global": "yes",
                                                    "project_schema_id": seed.PROJECT_SCHEMA_ID}}, "is_global"),
        ({"entity_type": "Project", "entity_data": {"name": "x", "link": []}}, "computed"),
        ({"entity_type": "Project", "entity_data": {"name": "x", "full_name": "x"}}, "project_schema_id"),
        ({"entity_type": "Project", "entity_data": {"name": "x", "project_schema_id": str(uuid.uuid4())}}, "ProjectSchema"),
        ({"entity_type": "TypedContext", "entity_data": {"name": "x"}}, "TypedContext"),
        ({"entity_type": "Task", "entity_data": {"name": "x"}}, "parent"),
        ({"entity_type": "Project", "entity_data": "x"}, "object"),
    ]
    for operation, named in cases:
        kind, message = error(api([{"action": "create", **operation}]))
        assert kind in ("ValidationError", "NotFoundError"), message
        assert named in message, (operation, message)


def test_update_and_delete_errors(api):
    project = api([new_project()])[0]["data"]
    key = [project["id"]]
    cases = [
        ({"action": "update", "entity_type": "Project", "entity_key": [str(uuid.uuid4())], "entity_data": {"name": "y"}}, "does not exist"),
        ({"action": "update", "entity_type": "Project", "entity_key": key, "entity_data": {"created_at": {"__type__": "datetime", "value": "2020-01-01T00:00:00"}}}, "immutable"),
        ({"action": "update", "entity_type": "Project", "entity_key": key, "entity_data": {"id": str(uuid.uuid4())}}, "immutable"),
        ({"action": "update", "entity_type": "Project", "entity_key": key, "entity_data": {"thumbnail_url": {}}}, "computed"),
        ({"action": "update", "entity_type": "Project", "entity_key": [1, 2], "entity_data": {}}, "entity_key"),
        ({"action": "update", "entity_type": "Project", "entity_key": key, "entity_data": {"start_date": "soon"}}, "start_date"),
        ({"action": "delete", "entity_type": "Project", "entity_key": [str(uuid.uuid4())]}, "does not exist"),
        ({"action": "delete", "entity_type": "Status", "entity_key": [seed.STATUS_NOT_STARTED_ID]}, "still used"),
    ]
    task = api([{"action": "create", "entity_type": "Task", "entity_data": {"name": "t", "parent_id": project["id"]}}])[0]["data"]
    assert task["status_id"] == seed.STATUS_NOT_STARTED_ID
    for operation, named in cases:
        kind, message = error(api([operation]))
        assert named in message, (operation, message)
    names = api([{"action": "query", "expression": f'select name from Project where id is "{project["id"]}"'}])[0]["data"]
    assert names[0]["name"] == project["name"]


def test_a_failed_batch_changes_nothing(api):
    name = f"atomic-{uuid.uuid4().hex[:8]}"
    reply = api([
        new_project(name),
        {"action": "create", "entity_type": "Sequence", "entity_data": {"name": "sq"}},
    ])
    assert error(reply)[0] == "ValidationError"
    assert project_named(api, name) == []


def test_required_attributes_are_checked_at_the_end_of_the_batch(api):
    name = f"late-{uuid.uuid4().hex[:8]}"
    project_id = str(uuid.uuid4())
    reply = api([
        {"action": "create", "entity_type": "Project", "entity_data": {"id": project_id, "name": name, "full_name": name}},
        {"action": "update", "entity_type": "Project", "entity_key": [project_id],
         "entity_data": {"project_schema_id": seed.PROJECT_SCHEMA_ID}},
    ])
    assert reply[1]["action"] == "update"
    assert len(project_named(api, name)) == 1


def test_duplicates_are_reported_as_duplicate_entries(api):
    name = f"dup-{uuid.uuid4().hex[:8]}"
    api([new_project(name)])
    assert error(api([new_project(name)]))[0] == "DuplicateEntryError"
    user = api([{"action": "query", "expression": 'select id from User where username is "admin"'}])[0]["data"][0]
    timers = [{"action": "create", "entity_type": "Timer", "entity_data": {"user_id": user["id"], "comment": ""}}] * 2
    assert error(api(timers))[0] == "DuplicateEntryError"


def test_sibling_names_are_unique_within_a_batch_too(api):
    project = str(uuid.uuid4())
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    create = lambda id_, name: {"action": "create", "entity_type": "Sequence", "entity_data": {"id": id_, "name": name, "parent_id": project}}  # noqa: E731
    setup = api([{**new_project(), "entity_data": {**new_project()["entity_data"], "id": project}}, create(first, "sq1")])
    assert isinstance(setup, list), setup
    assert error(api([create(second, "SQ1")]))[0] == "DuplicateEntryError"
    renamed = api([
        {"action": "update", "entity_type": "Sequence", "entity_key": [first], "entity_data": {"name": "sq2"}},
        create(second, "sq1"),
    ])
    assert isinstance(renamed, list), renamed
    assert error(api([create(str(uuid.uuid4()), "sq2")]))[0] == "DuplicateEntryError"
