"""Our own client (`ftrack_api`) publishing through the ftrack.server location to our server."""

from __future__ import annotations

import io
import os

import httpx
import pytest
from PIL import Image

import ftrack_api
import ftrack_api.exception
import ftrack_api.symbol
from support.components import image_bytes


@pytest.fixture
def session(server, tmp_path):
    session = ftrack_api.Session(server_url=server.url, api_key=server.api_key, api_user=server.api_user,
                                 schema_cache_path=str(tmp_path / "schemas"), plugin_paths=[],
                                 auto_connect_event_hub=False)
    yield session
    session.close()


def test_publish_download_and_remove(session, tmp_path):
    data = os.urandom(2 * 1024 * 1024 + 5)
    path = tmp_path / "plate.exr"
    path.write_bytes(data)
    location = session.get("Location", ftrack_api.symbol.SERVER_LOCATION_ID)
    component = session.create_component(str(path), data={"name": "main"}, location=location)
    session.commit()

    entries = session.query(
        f'select resource_identifier from ComponentLocation where component_id is "{component["id"]}"').all()
    assert [entry["resource_identifier"] for entry in entries] == [component["id"]]
    assert location.get_component_availability(component) == 100.0

    url = location.get_url(component)
    assert httpx.get(url).content == data
    assert location.accessor.open(component["id"], "rb").read() == data

    location.remove_component(component)
    assert httpx.get(url).status_code == 404
    with pytest.raises(ftrack_api.exception.AccessorOperationFailedError):
        location.accessor.open(component["id"], "rb").read()


def test_thumbnail_of_a_published_image(session, tmp_path):
    path = tmp_path / "frame.png"
    path.write_bytes(image_bytes(500, 250, "PNG"))
    location = session.get("Location", ftrack_api.symbol.SERVER_LOCATION_ID)
    component = session.create_component(str(path), data={"name": "frame"}, location=location)
    session.commit()
    response = httpx.get(location.get_thumbnail_url(component, size=100))
    assert response.status_code == 200
    assert Image.open(io.BytesIO(response.content)).size == (100, 50)
