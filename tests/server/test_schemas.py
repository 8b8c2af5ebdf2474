"""The schemas we serve match the real server's, attribute for attribute."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from ftrack_server.model import MODEL

SPEC = Path(__file__).resolve().parents[3] / "shared" / "spec" / "schemas.json"
COMPARED_PROPERTY_KEYS = ("type", "format", "$ref", "items", "default", "enum", "key_value_attributes",
                          "restricted_projection", "transform")
COMPARED_SCHEMA_KEYS = ("primary_key", "required", "immutable", "computed", "default_projections",
                        "system_projections", "alias_for")

# The issue's minimum list of covered types.
REQUIRED_TYPES = """Context Project TypedContext Task Shot Sequence Folder AssetBuild Episode Milestone ObjectType
Status State Type Priority ProjectSchema WorkflowSchema TaskTypeSchema Asset AssetType AssetVersion Component
FileComponent SequenceComponent ContainerComponent ComponentLocation Location User UserType Note NoteCategory
NoteLabel NoteComponent Recipient Metadata CustomAttributeConfiguration CustomAttributeType CustomAttributeGroup
ContextCustomAttributeValue AssetVersionCustomAttributeValue Timelog Timer Appointment Scope List ListObject
ListCategory Job JobComponent SecurityRole UserSecurityRole TypedContextLink AssetVersionLink Disk Setting""".split()


@pytest.fixture(scope="module")
def spec() -> dict[str, dict]:
    if not SPEC.exists():
        pytest.skip(f"{SPEC} not found")
    return {schema["id"]: schema for schema in json.loads(SPEC.read_text())}


def test_the_issue_types_are_served():
    served = {schema["id"] for schema in MODEL.schemas}
    assert not set(REQUIRED_TYPES) - served


@pytest.mark.parametrize("name", sorted(e.name for e in MODEL.served))
def test_schema_matches_the_real_server(spec, name):
    ours = next(schema for schema in MODEL.schemas if schema["id"] == name)
    theirs = spec[name]
    for key in COMPARED_SCHEMA_KEYS:
        assert ours.get(key) == theirs.get(key), key
    assert set(ours["properties"]) == set(theirs["properties"])
    for attribute, descriptor in theirs["properties"].items():
        expected = {k: v for k, v in descriptor.items() if k in COMPARED_PROPERTY_KEYS}
        actual = {k: v for k, v in ours["properties"][attribute].items() if k in COMPARED_PROPERTY_KEYS}
        assert actual == expected, attribute


def test_schemas_carry_no_entity_markers():
    assert "__entity_type__" not in json.dumps(MODEL.schemas)


def test_schema_hash_is_the_clients_recipe():
    expected = hashlib.md5(json.dumps(MODEL.schemas, sort_keys=True).encode()).hexdigest()
    assert MODEL.schema_hash == expected


def test_the_real_schema_list_hashes_as_recorded(spec):
    # Guards the recipe itself: the recorded server reported this hash for schemas.json.
    real = json.loads(SPEC.read_text())
    assert hashlib.md5(json.dumps(real, sort_keys=True).encode()).hexdigest() == "23a1157b8b1730fd91c76f63dcd67a8f"


def test_server_reports_the_hash_of_what_it_serves(api):
    info, schemas = api([{"action": "query_server_information"}, {"action": "query_schemas"}])
    assert info["schema_hash"] == hashlib.md5(json.dumps(schemas, sort_keys=True).encode()).hexdigest()
    assert info["is_timezone_support_enabled"] is True
