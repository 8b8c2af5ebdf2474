"""Query language semantics, checked over HTTP against a small production tree."""

from __future__ import annotations

import uuid

import pytest

from ftrack_server.store import seed

TASK = seed.OBJECT_TYPE_IDS["Task"]


def ids(reply) -> set[str]:
    assert "exception" not in reply, reply
    return {item["id"] for item in reply[0]["data"]}


@pytest.fixture(scope="module")
def tree(server):
    """Project → 2 sequences → 2 shots each → 3 tasks each, plus notes, metadata, a custom attribute."""
    new = lambda: str(uuid.uuid4())  # noqa: E731
    project = new()
    name = f"q-{project[:8]}"
    operations = [{"action": "create", "entity_type": "Project", "entity_data": {
        "id": project, "name": name, "full_name": f"Query {name}", "project_schema_id": seed.PROJECT_SCHEMA_ID,
        "start_date": {"__type__": "datetime", "value": "2024-01-01T00:00:00"}}}]
    made = {"project": project, "sequences": [], "shots": [], "tasks": [], "name": name}
    bid = 0
    for s in range(2):
        sequence = new()
        made["sequences"].append(sequence)
        operations.append({"action": "create", "entity_type": "Sequence", "entity_data": {"id": sequence, "name": f"sq{s}", "parent_id": project}})
        for h in range(2):
            shot = new()
            made["shots"].append(shot)
            operations.append({"action": "create", "entity_type": "Shot", "entity_data": {"id": shot, "name": f"sh{s}{h}", "parent": {"__entity_type__": "Sequence", "id": sequence}}})
            for t, task_name in enumerate(["Layout", "Animation", "Comp"]):
                task = new()
                bid += 3600
                made["tasks"].append(task)
                operations.append({"action": "create", "entity_type": "Task", "entity_data": {
                    "id": task, "name": task_name, "parent_id": shot, "bid": bid,
                    "start_date": {"__type__": "datetime", "value": f"2024-03-{1 + t:02d}T10:00:00+01:00"}}})
    first = made["tasks"][0]
    operations += [
        {"action": "create", "entity_type": "Metadata", "entity_data": {"parent_id": first, "parent_type": "Task", "key": "fps", "value": "25"}},
        {"action": "create", "entity_type": "Metadata", "entity_data": {"parent_id": first, "parent_type": "Task", "key": "res", "value": "4k"}},
        {"action": "create", "entity_type": "Note", "entity_data": {"parent_id": first, "parent_type": "Task", "content": "first note"}},
    ]
    reply = server.call(operations)
    assert "exception" not in reply, reply
    return made


def q(api, expression):
    reply = api([{"action": "query", "expression": expression}])
    assert "exception" not in reply, reply
    return reply[0]


def test_projection_nests_through_relations(api, tree):
    result = q(api, f'select name, parent.name, parent.parent.name, status.state.short from Task where project_id is "{tree["project"]}" and name is "Comp" order by parent.name')
    assert [r["parent"]["name"] for r in result["data"]] == ["sh00", "sh01", "sh10", "sh11"]
    first = result["data"][0]
    assert first["__entity_type__"] == "Task" and first["context_type"] == "task" and first["project_id"] == tree["project"]
    assert first["parent"]["__entity_type__"] == "Shot"
    assert first["parent"]["parent"] == {"__entity_type__": "Sequence", "id": tree["sequences"][0], "name": "sq0", "context_type": "task", "project_id": tree["project"], "object_type_id": seed.OBJECT_TYPE_IDS["Sequence"]} | {k: v for k, v in first["parent"]["parent"].items() if k not in ("__entity_type__", "id", "name", "context_type", "project_id", "object_type_id")}
    assert first["status"]["state"]["short"] == "NOT_STARTED"
    assert "description" not in first


def test_collections_project_as_lists(api, tree):
    result = q(api, f'select children.name, children.children.name from Project where id is "{tree["project"]}"')
    project = result["data"][0]
    assert sorted(c["name"] for c in project["children"]) == ["sq0", "sq1"]
    assert sorted(len(c["children"]) for c in project["children"]) == [2, 2]


def test_polymorphic_queries_return_concrete_types(api, tree):
    result = q(api, f'select name from TypedContext where project_id is "{tree["project"]}"')
    kinds = {}
    for item in result["data"]:
        kinds[item["__entity_type__"]] = kinds.get(item["__entity_type__"], 0) + 1
    assert kinds == {"Sequence": 2, "Shot": 4, "Task": 12}
    result = q(api, f'select name from Context where id is "{tree["project"]}" or parent_id is "{tree["project"]}"')
    assert sorted(r["__entity_type__"] for r in result["data"]) == ["Project", "Sequence", "Sequence"]


@pytest.mark.parametrize("criteria, count", [
    ('name is "comp"', 4),
    ('name = Comp', 4),
    ('name is_not "Comp"', 8),
    ('name != Comp', 8),
    ('bid > 36000', 2),
    ('bid greater_than 36000', 2),
    ('bid >= 36000', 3),
    ('bid < 7200', 1),
    ('bid less_than 7200', 1),
    ('bid <= 7200', 2),
    ('name like "%im%"', 4),
    ('name not_like "%im%"', 8),
    ('name in ("Comp", "Layout")', 8),
    ('name not_in ("Comp", "Layout")', 4),
    ('name in ()', 0),
    ('name not_in ()', 12),
    ('start_date after "2024-03-02T00:00:00"', 8),
    ('start_date > "2024-03-02T09:00:00Z"', 4),
    ('start_date >= "2024-03-02T09:00:00Z"', 8),
    ('start_date before "2024-03-02"', 4),
    ('start_date is "2024-03-03"', 4),
    ('start_date >= "2024-03-01T09:00:00"', 12),
    ('parent.name is sh00', 3),
    ('parent.parent.name is sq1', 6),
    ('status.state.short is NOT_STARTED', 12),
    ('status.name is "Not started" and (name is Comp or name is Layout)', 8),
    ('not name is Comp', 8),
    ('metadata any (key is fps and value is 25)', 1),
    ('metadata any (key is fps and value is 4k)', 0),
    ('metadata.key is fps and metadata.value is 4k', 1),
    ('notes any ()', 1),
    ('not notes any ()', 11),
    ('parent has (name like "sh1%")', 6),
    ('parent.parent has (name is sq0)', 6),
    ('ancestors any (name is sq0)', 6),
    ('incoming_links any ()', 0),
    ('parent_id in (select id from Shot where name is sh11)', 3),
    ('parent_id not_in (select id from Shot where name like "sh1%")', 6),
    ('object_type.name is "task"', 12),
    ('type.name is Generic', 12),
    ('description is ""', 12),
    ('thumbnail_id is None', 12),
    ('thumbnail is None', 12),
])
def test_operators(api, tree, criteria, count):
    result = q(api, f'select id from Task where project_id is "{tree["project"]}" and ({criteria})')
    assert len(result["data"]) == count, criteria


def test_descendants_and_project_traversal(api, tree):
    result = q(api, f'select id from Sequence where project.full_name is "Query {tree["name"]}" and descendants any (name is Comp)')
    assert len(result["data"]) == 2
    result = q(api, f'select descendants from Project where id is "{tree["project"]}"')
    assert len(result["data"][0]["descendants"]) == 18


def test_order_offset_limit_and_paging(api, tree):
    base = f'select name, bid from Task where project_id is "{tree["project"]}" order by bid desc'
    everything = q(api, base)
    assert [r["bid"] for r in everything["data"]] == sorted((r["bid"] for r in everything["data"]), reverse=True)
    assert everything["metadata"]["next"]["offset"] is None
    page = q(api, base + " offset 2 limit 5")
    assert [r["id"] for r in page["data"]] == [r["id"] for r in everything["data"][2:7]]
    assert page["metadata"]["next"]["offset"] == 7
    last = q(api, base + " offset 7 limit 5")
    assert last["metadata"]["next"]["offset"] is None and len(last["data"]) == 5
    assert q(api, base + " limit 0")["data"] == []
    ordered = q(api, f'select name from Task where project_id is "{tree["project"]}" order by parent.name desc, name asc')
    assert ordered["data"][0]["name"] == "Animation"


def test_stable_order_without_order_by(api, tree):
    base = f'select id from Task where project_id is "{tree["project"]}"'
    whole = [r["id"] for r in q(api, base)["data"]]
    assert whole == tree["tasks"]
    assert [r["id"] for r in q(api, base + " offset 3 limit 4")["data"]] == whole[3:7]


def test_computed_attributes(api, tree):
    task = tree["tasks"][0]
    result = q(api, f'select link, ancestors.name, project.name, thumbnail_url, time_logged, bid_time_logged_difference from Task where id is {task}')
    item = result["data"][0]
    assert [e["type"] for e in item["link"]] == ["Project", "TypedContext", "TypedContext", "TypedContext"]
    assert [e["name"] for e in item["link"]][1:] == ["sq0", "sh00", "Layout"]
    assert sorted(a["name"] for a in item["ancestors"]) == ["sh00", "sq0"]
    assert item["project"]["name"] == tree["name"]
    assert item["thumbnail_url"]["url"].endswith("/img/thumbnail2.png")
    assert item["time_logged"] == 0 and item["bid_time_logged_difference"] == 3600


def test_metadata_projection_and_default_projections(api, tree):
    task = tree["tasks"][0]
    result = q(api, f"select metadata from Task where id is {task}")
    assert sorted((m["key"], m["value"]) for m in result["data"][0]["metadata"]) == [("fps", "25"), ("res", "4k")]
    shorthand = q(api, f'Task where id is "{task}"')["data"][0]
    assert set(shorthand) >= {"__entity_type__", "id", "name", "context_type"}


def test_group_by_aggregates(api, tree):
    result = q(api, f'select count(id), sum(bid) from Task where project_id is "{tree["project"]}" group by name order by name')
    rows = result["data"]
    assert [r["name"] for r in rows] == ["Animation", "Comp", "Layout"]
    assert all(r["count_id"] == 4 for r in rows)
    assert "__entity_type__" not in rows[0]


def test_keywords_as_attribute_names(api):
    result = q(api, 'select value from Setting where name is "storage_scenario" and group is "STORAGE"')
    assert result["data"][0]["value"].startswith('{"scenario"')
    q(api, "select from.name, to.name from TypedContextLink")


def test_self_referencing_projection(api, tree):
    asset = str(uuid.uuid4())
    reply = api([
        {"action": "create", "entity_type": "Asset", "entity_data": {"id": asset, "name": "hero", "context_id": tree["shots"][0], "type_id": seed.stable_id("AssetType", "Geometry")}},
        {"action": "create", "entity_type": "AssetVersion", "entity_data": {"asset_id": asset}},
        {"action": "create", "entity_type": "AssetVersion", "entity_data": {"asset_id": asset}},
    ])
    assert [r["data"]["version"] for r in reply[1:]] == [1, 2]
    result = q(api, f'select version, is_latest_version, asset.versions.version, link from AssetVersion where asset_id is "{asset}" order by version')
    first, second = result["data"]
    assert (first["is_latest_version"], second["is_latest_version"]) == (False, True)
    nested = {v["id"]: v for v in first["asset"]["versions"]}
    assert set(nested) == {first["id"], second["id"]}
    assert nested[first["id"]] == {"__entity_type__": "AssetVersion", "id": first["id"]}  # itself: a bare reference
    assert nested[second["id"]]["version"] == 2 and nested[second["id"]]["is_latest_version"] is True
    assert second["link"][-1]["name"] == "hero v002"
    latest = q(api, f'select latest_version.version from Asset where id is "{asset}"')
    assert latest["data"][0]["latest_version"]["version"] == 2


def test_every_served_attribute_can_be_selected(api, tree):
    """Clients auto-populate any attribute they read, so each must answer a select."""
    from ftrack_server.model import MODEL

    operations = []
    for schema in MODEL.schemas:
        for name, descriptor in schema["properties"].items():
            if not descriptor.get("restricted_projection"):
                operations.append({"action": "query", "expression": f"select {name} from {schema['id']} limit 2"})
    replies = api(operations)
    assert isinstance(replies, list), replies
    assert len(replies) == len(operations)


def test_status_changes_are_recorded(api, tree):
    task = tree["tasks"][1]
    statuses = q(api, 'select id, name from Status where name is "In progress"')["data"]
    reply = api([{"action": "update", "entity_type": "Task", "entity_key": [task], "entity_data": {"status_id": statuses[0]["id"]}}])
    assert reply[0]["data"]["status_id"] == statuses[0]["id"]
    changes = q(api, f"select status_changes.status.name from Task where id is {task}")
    history = q(api, f'select status.name, from_status.name, user.username from TypedContextStatusChange where parent_id is "{task}"')["data"]
    assert [(h["from_status"]["name"], h["status"]["name"], h["user"]["username"]) for h in history] == [("Not started", "In progress", "admin")]
    assert [c["status"]["name"] for c in changes["data"][0]["status_changes"]] == ["In progress"]


def test_repeated_entities_are_written_in_full_once(api, tree):
    rows = q(api, f'select name, type.name from Task where project_id is "{tree["project"]}"')["data"]
    first, *rest = rows
    assert first["type"]["name"] == "Generic"
    assert all(row["type"] == {"__entity_type__": "Type", "id": first["type"]["id"]} for row in rest)
    assert all("name" in row for row in rest)  # rows themselves stay whole


def test_moving_a_subtree_updates_links_and_projects(api):
    new = lambda: str(uuid.uuid4())  # noqa: E731
    a, b, seq, shot, task = new(), new(), new(), new(), new()
    create = lambda t, i, name, parent: {"action": "create", "entity_type": t, "entity_data": {"id": i, "name": name, "parent_id": parent}}  # noqa: E731
    project = lambda i, name: {"action": "create", "entity_type": "Project", "entity_data": {"id": i, "name": name, "full_name": name, "project_schema_id": seed.PROJECT_SCHEMA_ID}}  # noqa: E731
    assert isinstance(api([project(a, f"a-{a[:6]}"), project(b, f"b-{b[:6]}"), create("Sequence", seq, "sq", a),
                           create("Shot", shot, "sh", seq), create("Task", task, "t", shot)]), list)
    moved = api([{"action": "update", "entity_type": "Shot", "entity_key": [shot], "entity_data": {"parent_id": b}}])
    assert isinstance(moved, list), moved
    item = q(api, f"select link, project_id, ancestors.name from Task where id is {task}")["data"][0]
    assert [e["id"] for e in item["link"]] == [b, shot, task]
    assert item["project_id"] == b and [x["name"] for x in item["ancestors"]] == ["sh"]
    assert q(api, f'select id from Task where project_id is "{a}"')["data"] == []
    assert len(q(api, f"select descendants from Project where id is {b}")["data"][0]["descendants"]) == 2
    loop = api([{"action": "update", "entity_type": "Shot", "entity_key": [shot], "entity_data": {"parent_id": task}}])
    assert loop["exception"] == "ValidationError" and "below itself" in loop["content"]


def test_denormalize_option_repeats_entities_in_full(server, tree):
    expression = f'select name, type.name from Task where project_id is "{tree["project"]}"'
    reply = server.call([{"action": "query", "expression": expression}], headers={"ftrack-api-options": "strict:1;denormalize:1"})
    assert all(row["type"]["name"] == "Generic" for row in reply[0]["data"])
