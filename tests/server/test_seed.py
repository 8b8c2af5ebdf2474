"""Default data of a fresh server (ftrack_server.store.seed)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ftrack_server.store.seed import default_rows

SCHEMAS_PATH = Path(__file__).parents[3] / "shared" / "spec" / "schemas.json"

# Hidden attributes our model adds on top of schemas.json: type -> {attr: target}.
HIDDEN_FOREIGN_KEYS = {"Status": {"state_id": "State"}}

# Attributes that are one column under two names (data-model.md §5.3).
COLUMN_ALIASES = {("Schema", "type_id"): "object_type_id"}

FOREIGN_KEY_DESCRIPTION = re.compile(r"Foreign key\(s\):\s*(\w+)\.")

FIXED_IDS = {
    "Location": {
        "ftrack.origin": "ce9b348f-8809-11e3-821c-20c9d081909b",
        "ftrack.unmanaged": "cb268ecc-8809-11e3-a7e2-20c9d081909b",
        "ftrack.review": "cd41be70-8809-11e3-b98a-20c9d081909b",
        "ftrack.connect": "07b82a97-8cf9-11e3-9383-20c9d081909b",
        "ftrack.server": "3a372bde-05bc-11e4-8908-20c9d081909b",
    },
    "UserType": {"user": "ac9fa5aa-4361-11e0-b7cc-0019bb4983d8"},
    "State": {"Not started": "6c59abf8-4dbf-11e1-9902-f23c91df25eb"},
    "Status": {"Not started": "014a40a6-4e65-11e1-b8af-f23c91df25eb"},
    "Priority": {"None": "9661b320-3a0c-11e2-81c1-0800200c9a66"},
    "ObjectType": {
        "Task": "11c137c0-ee7e-4f9c-91c5-8c77cec22b2c",
        "Milestone": "01decdd1-51cb-11e3-9d5b-20c9d0831e59",
        "Shot": "bad911de-3bd6-47b9-8b46-3476e237cb36",
        "Sequence": "e5139355-61da-4c8f-9db4-3abc870166bc",
        "Episode": "22139355-61da-4c8f-9db4-3abc870166bc",
        "Folder": "3c133785-51cb-11e3-980a-20c9d0831e59",
        "Asset Build": "4be63b64-5010-42fb-bf1f-428af9d638f0",
    },
}

# name: (statusable, typeable, schedulable, time reportable, leaf, taskable)
OBJECT_TYPE_FLAGS = {
    "Task": (True, True, True, True, True, False),
    "Milestone": (True, True, True, False, True, False),
    "Shot": (True, False, False, False, False, True),
    "Sequence": (False, False, False, False, False, True),
    "Episode": (False, False, False, False, False, True),
    "Folder": (False, False, False, False, False, True),
    "Asset Build": (True, True, False, False, False, True),
}

VFX_TASK_TYPES = [
    "Generic", "Animation", "Modeling", "Previz", "Lookdev", "Hair", "Cloth",
    "FX", "Lighting", "Compositing", "Tracking", "Rigging",
]


@pytest.fixture(scope="module")
def schemas() -> dict[str, dict]:
    if not SCHEMAS_PATH.is_file():
        pytest.skip(f"{SCHEMAS_PATH} not found")
    return {schema["id"]: schema for schema in json.loads(SCHEMAS_PATH.read_text())}


@pytest.fixture(scope="module")
def rows() -> list[tuple[str, dict]]:
    return default_rows("admin")


def _of(rows, entity_type):
    return [values for type_, values in rows if type_ == entity_type]


def _by_name(rows, entity_type):
    return {values["name"]: values for values in _of(rows, entity_type)}


def _foreign_key_target(schemas, entity_type, attribute):
    """Type referenced by *attribute* of *entity_type*, or None if not a foreign key."""
    hidden = HIDDEN_FOREIGN_KEYS.get(entity_type, {})
    if attribute in hidden:
        return hidden[attribute]
    prop = schemas[entity_type]["properties"][attribute]
    match = FOREIGN_KEY_DESCRIPTION.search(prop.get("description", ""))
    if match:
        return match.group(1)
    if attribute.endswith("_id"):
        # Fall back to the scalar relation of the same name (`x_id` -> `x`).
        relation = schemas[entity_type]["properties"].get(attribute[:-3], {})
        return relation.get("$ref")
    return None


# ---------------------------------------------------------------------------
# Structure against schemas.json
# ---------------------------------------------------------------------------


def test_entity_types_exist(schemas, rows):
    unknown = {type_ for type_, _ in rows if type_ not in schemas}
    assert not unknown


def test_attributes_are_properties(schemas, rows):
    for type_, values in rows:
        properties = schemas[type_]["properties"]
        allowed = set(properties) | set(HIDDEN_FOREIGN_KEYS.get(type_, {}))
        unknown = set(values) - allowed
        assert not unknown, (type_, values, unknown)


def test_attributes_are_scalar_columns(schemas, rows):
    for type_, values in rows:
        properties = schemas[type_]["properties"]
        for attribute, value in values.items():
            assert isinstance(value, (str, int, float, bool)) or value is None, (
                type_, attribute, value)
            prop = properties.get(attribute)
            if prop is None:
                continue
            assert "$ref" not in prop, (type_, attribute, "relation, not a key")
            assert prop.get("type") not in ("array", "mapped_array", "object"), (
                type_, attribute)
            assert attribute not in schemas[type_].get("computed", []), (
                type_, attribute)


def test_primary_and_required_attributes_present(schemas, rows):
    for type_, values in rows:
        schema = schemas[type_]
        for attribute in schema["primary_key"]:
            assert values.get(attribute) is not None, (type_, attribute, values)
        for attribute in schema.get("required", []):
            present = COLUMN_ALIASES.get((type_, attribute), attribute)
            assert values.get(present) is not None, (type_, attribute, values)


def test_status_rows_carry_state_id(rows):
    for values in _of(rows, "Status"):
        assert values.get("state_id")


def test_schema_rows_set_object_type_id_only(rows):
    for values in _of(rows, "Schema"):
        assert "object_type_id" in values
        assert "type_id" not in values


def test_ids_unique(rows):
    ids = [values["id"] for _, values in rows if "id" in values]
    assert len(ids) == len(set(ids))


def test_primary_keys_unique_per_type(schemas, rows):
    seen = set()
    for type_, values in rows:
        key = (type_, tuple(values[a] for a in schemas[type_]["primary_key"]))
        assert key not in seen, key
        seen.add(key)


def test_foreign_keys_reference_earlier_rows(schemas, rows):
    emitted: dict[str, set] = {}
    checked = 0
    for type_, values in rows:
        for attribute, value in values.items():
            target = _foreign_key_target(schemas, type_, attribute)
            if target is None:
                assert not attribute.endswith("_id"), (
                    f"cannot resolve the target of {type_}.{attribute}")
                continue
            if value is None:
                continue
            # SecurityRole.type names a hidden SecurityRoleType (not a schema).
            if target not in schemas:
                continue
            assert value in emitted.get(target, set()), (
                f"{type_}.{attribute}={value} references no earlier {target}")
            checked += 1
        if "id" in schemas[type_]["primary_key"]:
            emitted.setdefault(type_, set()).add(values["id"])
    assert checked > 50


def test_fixed_ids(rows):
    for type_, expected in FIXED_IDS.items():
        actual = {name: values["id"] for name, values in _by_name(rows, type_).items()}
        for name, id_ in expected.items():
            assert actual.get(name) == id_, (type_, name)


def test_deterministic(rows):
    assert default_rows("admin") == rows
    assert default_rows("admin") == default_rows("admin")


def test_result_is_fresh_each_call():
    first = default_rows("admin")
    first[0][1]["name"] = "changed"
    first.append(("State", {"id": "x"}))
    assert default_rows("admin")[0][1]["name"] != "changed"
    assert len(default_rows("admin")) == len(first) - 1


# ---------------------------------------------------------------------------
# Content (data-model.md §8)
# ---------------------------------------------------------------------------


def test_admin_user(rows):
    other = default_rows("someone")
    users = _of(other, "User")
    assert len(users) == 1
    user = users[0]
    assert user["username"] == "someone"
    assert user["is_active"] is True
    assert user["user_type_id"] == "ac9fa5aa-4361-11e0-b7cc-0019bb4983d8"
    assert user["id"] == _of(rows, "User")[0]["id"]

    admin_role = _by_name(other, "SecurityRole")["Administrator"]
    (link,) = _of(other, "UserSecurityRole")
    assert link["user_id"] == user["id"]
    assert link["security_role_id"] == admin_role["id"]
    assert link["is_all_open_projects"] is True
    assert link["is_all_projects"] is True


def test_statuses(rows):
    statuses = _of(rows, "Status")
    sorts = [values["sort"] for values in statuses]
    assert sorts == sorted(sorts) and len(set(sorts)) == len(sorts)
    states = {values["id"]: values["short"] for values in _of(rows, "State")}
    by_name = _by_name(rows, "Status")
    for values in statuses:
        assert values["is_active"] is True
        assert values["color"]
    assert states[by_name["Not started"]["state_id"]] == "NOT_STARTED"
    assert states[by_name["Approved"]["state_id"]] == "DONE"
    assert states[by_name["On Hold"]["state_id"]] == "BLOCKED"
    assert "Completed" in by_name


def test_object_type_flags(rows):
    object_types = _by_name(rows, "ObjectType")
    assert list(object_types) == list(OBJECT_TYPE_FLAGS)
    for name, flags in OBJECT_TYPE_FLAGS.items():
        values = object_types[name]
        assert (
            values["is_statusable"], values["is_typeable"],
            values["is_schedulable"], values["is_time_reportable"],
            values["is_leaf"], values["is_taskable"],
        ) == flags, name


def test_priorities_and_types(rows):
    priorities = _of(rows, "Priority")
    assert priorities[0]["id"] == "9661b320-3a0c-11e2-81c1-0800200c9a66"
    assert priorities[0]["value"] == 0
    values = [p["value"] for p in priorities]
    assert values == sorted(values)
    types = _of(rows, "Type")
    assert min(types, key=lambda t: t["sort"])["name"] == "Generic"
    names = {t["name"] for t in types}
    assert set(VFX_TASK_TYPES) <= names
    assert {"Character", "Prop", "Environment", "Matte Painting",
            "Deliverable"} <= names


def _sorted_names(rows, entity_type, ids):
    by_id = {values["id"]: values for values in _of(rows, entity_type)}
    return [by_id[i]["name"] for i in sorted(ids, key=lambda i: by_id[i]["sort"])]


def test_vfx_scheme(rows):
    project_schemas = _of(rows, "ProjectSchema")
    scheme = project_schemas[0]
    assert scheme["name"] == "VFX Scheme"

    def workflow_statuses(workflow_id):
        ids = [link["status_id"] for link in _of(rows, "WorkflowSchemaStatus")
               if link["workflow_schema_id"] == workflow_id]
        return _sorted_names(rows, "Status", ids)

    assert workflow_statuses(scheme["task_workflow_schema_id"]) == [
        "Not started", "In progress", "Awaiting approval", "Approved"]
    assert workflow_statuses(scheme["asset_version_workflow_schema_id"]) == [
        "Pending", "Approved"]

    type_ids = [link["type_id"] for link in _of(rows, "TaskTypeSchemaType")
                if link["task_type_schema_id"] == scheme["task_type_schema_id"]]
    assert _sorted_names(rows, "Type", type_ids) == VFX_TASK_TYPES

    linked = {link["object_type_id"] for link in _of(rows, "ProjectSchemaObjectType")
              if link["project_schema_id"] == scheme["id"]}
    assert linked == set(FIXED_IDS["ObjectType"].values())

    object_type_names = {v["id"]: v["name"] for v in _of(rows, "ObjectType")}
    status_names = {v["id"]: v["name"] for v in _of(rows, "Status")}
    type_names = {v["id"]: v["name"] for v in _of(rows, "Type")}
    schemas_by_type = {}
    for schema in _of(rows, "Schema"):
        assert schema["project_schema_id"] == scheme["id"]
        statuses = sorted(
            (s for s in _of(rows, "SchemaStatus") if s["schema_id"] == schema["id"]),
            key=lambda s: s["sort"])
        types = sorted(
            (t for t in _of(rows, "SchemaType") if t["schema_id"] == schema["id"]),
            key=lambda t: t["sort"])
        schemas_by_type[object_type_names[schema["object_type_id"]]] = (
            [status_names[s["status_id"]] for s in statuses],
            [type_names[t["type_id"]] for t in types],
        )
    assert schemas_by_type["Shot"] == (["Normal", "Omitted", "On Hold"], [])
    assert schemas_by_type["Asset Build"] == (
        ["Normal", "Omitted", "On Hold"],
        ["Character", "Prop", "Environment", "Matte Painting"])
    milestone_statuses, milestone_types = schemas_by_type["Milestone"]
    assert milestone_statuses and milestone_types

    (template,) = _of(rows, "TaskTemplate")
    assert template["name"] == "Modeling"
    assert template["project_schema_id"] == scheme["id"]
    items = [type_names[i["task_type_id"]] for i in _of(rows, "TaskTemplateItem")
             if i["template_id"] == template["id"]]
    assert items == ["Modeling", "Rigging"]


def test_catalogues(rows):
    assert "Geometry" in _by_name(rows, "AssetType")
    assert _by_name(rows, "AssetType")["Upload"]["short"] == "upload"
    assert "External Note" in _by_name(rows, "NoteCategory")
    assert _of(rows, "ListCategory")
    attribute_types = _by_name(rows, "CustomAttributeType")
    assert set(attribute_types) == {
        "text", "number", "boolean", "date", "enumerator",
        "dynamic enumerator", "expression", "url"}
    assert all(v["core"] is True for v in attribute_types.values())
    assert "General" in _by_name(rows, "CustomAttributeGroup")
    roles = {name: v["type"] for name, v in _by_name(rows, "SecurityRole").items()}
    assert roles == {
        "Administrator": "PROJECT", "Project Manager": "PROJECT",
        "User": "PROJECT", "API": "API", "Assigned": "ASSIGNED"}
    assert _of(rows, "ManagerType")
    assert len(_of(rows, "Disk")) == 1


def test_locations_have_label_and_description(rows):
    for values in _of(rows, "Location"):
        assert values["label"] and values["description"]


def test_storage_scenario_setting(rows):
    (setting,) = _of(rows, "Setting")
    assert setting["name"] == "storage_scenario"
    assert setting["group"] == "STORAGE"
    assert json.loads(setting["value"]) == {"scenario": "ftrack.automatic", "data": {}}
    assert setting["value"] == '{"scenario": "ftrack.automatic", "data": {}}'
