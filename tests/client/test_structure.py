"""Tests for ``ftrack_api.structure`` (spec §22).

The entity classes are not written yet, so the path examples use
:class:`StandInEntity`: a dict with the ``entity_type``, ``session`` and
``primary_key_attributes`` a real entity has, in a :class:`StandInSession`
holding real recorded operations. Tests that need
``ftrack_api.inspection`` skip until that module exists.
"""

from __future__ import annotations

from typing import Any

import pytest

import ftrack_api.symbol
from ftrack_api.exception import StructureError
from ftrack_api.operation import CreateEntityOperation, Operations
from ftrack_api.structure.base import Structure
from ftrack_api.structure.entity_id import EntityIdStructure
from ftrack_api.structure.id import IdStructure
from ftrack_api.structure.origin import OriginStructure
from ftrack_api.structure.standard import StandardStructure

FILE_ID = "f6cd40cb-d1c0-469f-a2d5-10369be8a724"
SEQUENCE_ID = "ff17edad-2129-483b-8b59-d1a654c8497b"
CONTAINER_ID = "03ab9967-f86c-4b55-8252-cd187d0c244a"


class StandInSession:
    """Recorded operations plus ``get`` over the stand-ins it made."""

    def __init__(self) -> None:
        self.recorded_operations = Operations()
        self._entities: dict[tuple[str, str], StandInEntity] = {}

    def entity(self, entity_type: str, **values: Any) -> "StandInEntity":
        entity = StandInEntity(entity_type, self, **values)
        self._entities[(entity_type, values["id"])] = entity
        return entity

    def get(self, entity_type: str, entity_id: str) -> "StandInEntity | None":
        return self._entities.get((entity_type, entity_id))

    def _operation_states(self) -> dict:
        # What ftrack_api.inspection.state asks a session for.
        import ftrack_api.inspection

        return ftrack_api.inspection.operation_states(self.recorded_operations)


class StandInEntity(dict):
    """A dict that answers ``entity_type`` and ``session`` like an entity."""

    primary_key_attributes = ("id",)

    def __init__(self, entity_type: str, session: StandInSession, **values: Any) -> None:
        super().__init__(values)
        self.entity_type = entity_type
        self.session = session


def component(session: StandInSession, entity_type: str, entity_id: str, name: str,
              file_type: str = "", **values: Any) -> StandInEntity:
    values.setdefault("container", None)
    values.setdefault("version", ftrack_api.symbol.NOT_SET)
    values.setdefault("version_id", None)
    return session.entity(entity_type, id=entity_id, name=name, file_type=file_type, **values)


def published_version(session: StandInSession, contexts: list[str],
                      asset_name: str = "Cloud", number: int = 1) -> StandInEntity:
    """A committed AssetVersion under project ``My Project`` and *contexts*."""
    session.entity("Project", id="project-id", name="My Project", full_name="My Project!")
    link = [{"type": "Project", "id": "project-id", "name": "My Project!"}]
    link += [{"type": "TypedContext", "id": f"context-{index}", "name": name}
             for index, name in enumerate(contexts)]
    link.append({"type": "AssetVersion", "id": "version-id",
                 "name": f"{asset_name} v{number:03d}"})
    return session.entity("AssetVersion", id="version-id", version=number,
                          asset={"name": asset_name}, link=link)


# -- base, origin, entity id -----------------------------------------------------


class PlainStructure(Structure):
    def get_resource_identifier(self, entity: Any, context: Any = None) -> str:
        return "plain"


def test_structure_is_abstract_with_prefix_and_separator() -> None:
    with pytest.raises(TypeError):
        Structure()  # type: ignore[abstract]
    structure = PlainStructure(prefix="root")
    assert structure.prefix == "root"
    assert structure.path_separator == "/"
    assert PlainStructure().prefix == ""


@pytest.mark.parametrize(("padding", "expected"), [
    (4, "%04d"), (1, "%01d"), (0, "%d"), (None, "%d")])
def test_get_sequence_expression(padding: int | None, expected: str) -> None:
    assert PlainStructure()._get_sequence_expression({"padding": padding}) == expected


def test_origin_structure_passes_source_through() -> None:
    structure = OriginStructure()
    context = {"source_resource_identifier": "/mnt/source/file.exr"}
    assert structure.get_resource_identifier({}, context) == "/mnt/source/file.exr"


@pytest.mark.parametrize("context", [None, {}, {"source_resource_identifier": None}])
def test_origin_structure_without_source_raises_value_error(context: Any) -> None:
    with pytest.raises(ValueError, match="source_resource_identifier"):
        OriginStructure().get_resource_identifier({}, context)


def test_entity_id_structure_returns_id() -> None:
    assert EntityIdStructure().get_resource_identifier({"id": FILE_ID}) == FILE_ID


# -- sanitise_for_filesystem -----------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [
    ("björn!", "bjorn_"),
    ("fo/o", "fo_o"),
    ("åäö", "aao"),
    ("Shot 010", "shot_010"),
    ("plate.v1-final", "plate.v1-final"),
    ("日本", ""),
])
def test_sanitise_for_filesystem(value: str, expected: str) -> None:
    assert StandardStructure().sanitise_for_filesystem(value) == expected


def test_sanitise_uses_the_substitute() -> None:
    assert StandardStructure(illegal_character_substitute="-").sanitise_for_filesystem(
        "a b") == "a-b"


def test_sanitise_without_substitute_returns_value_unchanged() -> None:
    structure = StandardStructure(illegal_character_substitute=None)
    assert structure.sanitise_for_filesystem("Björn! fo/o") == "Björn! fo/o"


# -- IdStructure examples --------------------------------------------------------


def test_id_structure_examples() -> None:
    session = StandInSession()
    structure = IdStructure(prefix="path")

    file = component(session, "FileComponent", FILE_ID, "main", ".png")
    assert structure.get_resource_identifier(file) == "path/f/6/c/d/40cb-d1c0-469f-a2d5-10369be8a724.png"

    sequence = component(session, "SequenceComponent", SEQUENCE_ID, "plate", ".png", padding=4)
    assert structure.get_resource_identifier(sequence) == (
        "path/f/f/1/7/edad-2129-483b-8b59-d1a654c8497b/file.%04d.png")
    member = component(session, "FileComponent", "member-id", "1001", ".png",
                       container=sequence)
    assert structure.get_resource_identifier(member) == (
        "path/f/f/1/7/edad-2129-483b-8b59-d1a654c8497b/file.1001.png")

    container = component(session, "ContainerComponent", CONTAINER_ID, "bundle")
    assert structure.get_resource_identifier(container) == (
        "path/0/3/a/b/9967-f86c-4b55-8252-cd187d0c244a")
    inside = component(session, "FileComponent", FILE_ID, "doc", ".pdf", container=container)
    assert structure.get_resource_identifier(inside) == (
        f"path/0/3/a/b/9967-f86c-4b55-8252-cd187d0c244a/{FILE_ID}.pdf")


def test_id_structure_without_prefix_strips_separators() -> None:
    session = StandInSession()
    sequence = component(session, "SequenceComponent", SEQUENCE_ID, "plate",
                         ftrack_api.symbol.NOT_SET, padding=0)
    assert IdStructure().get_resource_identifier(sequence) == (
        "f/f/1/7/edad-2129-483b-8b59-d1a654c8497b/file.%d")


def test_id_structure_rejects_other_entities() -> None:
    with pytest.raises(NotImplementedError):
        IdStructure().get_resource_identifier(StandInEntity("Project", StandInSession(), id="x"))


# -- StandardStructure examples --------------------------------------------------


def test_standard_structure_examples() -> None:
    pytest.importorskip("ftrack_api.inspection")
    session = StandInSession()
    version = published_version(session, ["Seq A", "shot_010"], asset_name="Cloud", number=3)
    structure = StandardStructure()
    root = "my_project/seq_a/shot_010/cloud/v003"

    file = component(session, "FileComponent", FILE_ID, "Main Plate", ".JPG", version=version)
    assert structure.get_resource_identifier(file) == f"{root}/main_plate.jpg"

    sequence = component(session, "SequenceComponent", SEQUENCE_ID, "foo", ".exr",
                         padding=4, version=version)
    assert structure.get_resource_identifier(sequence) == f"{root}/foo.%04d.exr"
    member = component(session, "FileComponent", "member-id", "0042", ".exr",
                       container=sequence, version=version)
    assert structure.get_resource_identifier(member) == f"{root}/foo.0042.exr"

    container = component(session, "ContainerComponent", CONTAINER_ID, "bar", version=version)
    assert structure.get_resource_identifier(container) == f"{root}/bar"
    inside = component(session, "FileComponent", "inside-id", "baz", ".pdf",
                       container=container, version=version)
    assert structure.get_resource_identifier(inside) == f"{root}/bar/baz.pdf"


def test_standard_structure_fetches_version_by_id_and_uses_versions_prefix() -> None:
    pytest.importorskip("ftrack_api.inspection")
    session = StandInSession()
    published_version(session, [], asset_name="Cloud", number=12)
    file = component(session, "FileComponent", FILE_ID, "main", ".png",
                     version_id="version-id")
    assert StandardStructure().get_resource_identifier(file) == (
        "my_project/cloud/v012/main.png")
    assert StandardStructure(project_versions_prefix="Published").get_resource_identifier(
        file) == "my_project/published/cloud/v012/main.png"


def test_standard_structure_needs_a_version() -> None:
    session = StandInSession()
    file = component(session, "FileComponent", FILE_ID, "main", ".png")
    with pytest.raises(StructureError):
        StandardStructure().get_resource_identifier(file)


def test_standard_structure_rejects_uncommitted_version_and_empty_link() -> None:
    pytest.importorskip("ftrack_api.inspection")
    session = StandInSession()
    version = published_version(session, ["shot"])
    file = component(session, "FileComponent", FILE_ID, "main", ".png", version=version)

    session.recorded_operations.push(
        CreateEntityOperation("AssetVersion", {"id": "version-id"}, {}))
    with pytest.raises(StructureError):
        StandardStructure().get_resource_identifier(file)

    session.recorded_operations.clear()
    version["link"] = []
    with pytest.raises(StructureError):
        StandardStructure().get_resource_identifier(file)


def test_standard_structure_rejects_other_entities() -> None:
    with pytest.raises(NotImplementedError):
        StandardStructure().get_resource_identifier(
            StandInEntity("AssetVersion", StandInSession(), id="x"))
