"""Locations and components with our Session on our server: the built-in
locations, a disk location of the user's, image sequences and availability."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

import ftrack_api
import ftrack_api.exception
import ftrack_api.symbol as symbol
from ftrack_api.accessor.disk import DiskAccessor
from ftrack_api.structure.id import IdStructure


@pytest.fixture
def disk_location(session, tmp_path):
    """A committed location of our own, storing files under ``tmp_path/store``."""
    location = session.create("Location", {"name": f"test.disk.{uuid.uuid4().hex[:8]}"})
    session.commit()
    location.accessor = DiskAccessor(prefix=str(tmp_path / "store"))
    location.structure = IdStructure()
    location.priority = 10
    return location


def write(path: Path, content: bytes) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return str(path)


def test_built_in_locations_are_configured(session):
    expected = {
        symbol.ORIGIN_LOCATION_ID: ("ftrack.origin", 100),
        symbol.UNMANAGED_LOCATION_ID: ("ftrack.unmanaged", 90),
        symbol.REVIEW_LOCATION_ID: ("ftrack.review", 110),
        symbol.SERVER_LOCATION_ID: ("ftrack.server", 150),
    }
    for location_id, (name, priority) in expected.items():
        location = session.get("Location", location_id)
        assert location["name"] == name and location.priority == priority
        assert location.accessor and location.structure
    server = session.get("Location", symbol.SERVER_LOCATION_ID)
    assert isinstance(server, ftrack_api.entity.location.ServerLocationMixin)
    assert str(server) == f'<Location("ftrack.server", {symbol.SERVER_LOCATION_ID})>'


def test_auto_location_is_the_unmanaged_one(session, tmp_path):
    path = write(tmp_path / "plate.exr", b"pixels")
    component = session.create_component(path)
    assert component.entity_type == "FileComponent"
    assert component["size"] == 6 and component["file_type"] == ".exr"
    unmanaged = session.get("Location", symbol.UNMANAGED_LOCATION_ID)
    assert unmanaged.get_filesystem_path(component) == path
    availability = session.get_component_availability(component)
    assert availability[symbol.UNMANAGED_LOCATION_ID] == 100.0
    assert availability[symbol.SERVER_LOCATION_ID] == 0.0
    assert session.pick_location(component) == unmanaged


def test_disk_location_copies_and_removes_bytes(session, disk_location, tmp_path):
    path = write(tmp_path / "in" / "model.abc", b"geometry" * 1000)
    component = session.create_component(path, {"name": "model"}, location=None)
    origin = session.get("Location", symbol.ORIGIN_LOCATION_ID)
    assert origin.get_resource_identifier(component) == path
    disk_location.add_component(component, origin)
    stored = Path(disk_location.get_filesystem_path(component))
    assert stored.read_bytes() == b"geometry" * 1000
    assert str(stored).startswith(str(tmp_path / "store"))
    assert disk_location.get_component_availability(component) == 100.0
    with pytest.raises(ftrack_api.exception.ComponentInLocationError):
        disk_location.add_component(component, origin)
    disk_location.remove_component(component)
    assert not stored.exists()
    assert disk_location.get_component_availability(component) == 0.0
    with pytest.raises(ftrack_api.exception.ComponentNotInLocationError):
        disk_location.get_resource_identifier(component)


def test_image_sequence(session, disk_location, tmp_path):
    for frame in range(1, 6):
        write(tmp_path / "seq" / f"f.{frame:04d}.exr", b"x" * frame)
    path = str(tmp_path / "seq" / "f.%04d.exr") + " [1-5]"
    sequence = session.create_component(path, location=disk_location)
    assert sequence.entity_type == "SequenceComponent"
    assert sequence["padding"] == 4 and sequence["size"] == 15
    members = sorted(sequence["members"], key=lambda member: member["name"])
    assert [member["name"] for member in members] == ["0001", "0002", "0003", "0004", "0005"]
    for frame, member in enumerate(members, start=1):
        assert Path(disk_location.get_filesystem_path(member)).read_bytes() == b"x" * frame
    assert session.get_component_availability(sequence)[disk_location["id"]] == 100.0


def test_version_components_and_thumbnail_url(session, project, disk_location, tmp_path):
    asset_type = session.query("AssetType").first()
    asset = session.create("Asset", {"name": "hero", "parent": project, "type": asset_type})
    version = session.create("AssetVersion", {"asset": asset})
    session.commit()
    component = version.create_component(write(tmp_path / "v.mov", b"movie"),
                                          {"name": "main"}, location=disk_location)
    session.commit()
    found = session.query(
        f'select name, version_id from Component where id is "{component["id"]}"').one()
    assert found["version_id"] == version["id"]
    server = session.get("Location", symbol.SERVER_LOCATION_ID)
    url = server.accessor.get_thumbnail_url(component["id"], 100)
    assert url.startswith(f"{session.server_url}/component/thumbnail?id={component['id']}")


def test_configure_location_event_sets_up_user_locations(make_session, tmp_path):
    name = f"studio.{uuid.uuid4().hex[:8]}"
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "studio_location.py").write_text(
        "import ftrack_api\n"
        "from ftrack_api.accessor.disk import DiskAccessor\n"
        "from ftrack_api.structure.id import IdStructure\n"
        "def configure(event):\n"
        "    session = event['data']['session']\n"
        f"    location = session.ensure('Location', {{'name': {name!r}}})\n"
        f"    location.accessor = DiskAccessor(prefix={str(tmp_path / 'studio')!r})\n"
        "    location.structure = IdStructure()\n"
        "    location.priority = 5\n"
        "def register(session, **kw):\n"
        "    if not isinstance(session, ftrack_api.Session):\n"
        "        return\n"
        "    session.event_hub.subscribe('topic=ftrack.api.session.configure-location', configure)\n")
    session = make_session(plugin_paths=[str(plugins)])
    picked = session.pick_location()
    assert picked["name"] == name and picked.priority == 5
