"""Thumbnails: scaled to fit N×N, cached per size, a placeholder where there is no picture."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from support.components import auth, error_of, image_bytes, new_id, register, upload


def get_thumbnail(server, component_id=None, size=None, headers=None):
    params = {}
    if component_id is not None:
        params["id"] = component_id
    if size is not None:
        params["size"] = size
    return server.client.get(f"{server.url}/component/thumbnail", params=params,
                             headers=auth(server) if headers is None else headers)


def picture(response) -> Image.Image:
    assert response.status_code == 200, response.text
    image = Image.open(io.BytesIO(response.content))
    image.load()
    return image


@pytest.fixture(scope="module")
def landscape(server) -> str:
    return upload(server, image_bytes(640, 480), file_name="plate.jpg")


@pytest.mark.parametrize("size, expected", [(100, (100, 75)), (300, (300, 225)), (None, (300, 225)),
                                            (1000, (640, 480)), (1, (1, 1))])
def test_sizes_fit_the_square(server, landscape, size, expected):
    response = get_thumbnail(server, landscape, size)
    image = picture(response)
    assert image.size == expected
    assert image.format == "JPEG" and response.headers["content-type"] == "image/jpeg"
    assert "x-thumbnail-placeholder" not in response.headers


def test_portrait_and_transparency(server):
    portrait = upload(server, image_bytes(200, 400, "PNG", "RGBA"), file_name="icon.png")
    image = picture(get_thumbnail(server, portrait, 50))
    assert image.size == (25, 50)
    assert image.format == "PNG" and image.mode == "RGBA"


def test_thumbnails_are_cached_per_size_and_follow_new_bytes(server):
    component_id = upload(server, image_bytes(400, 200), file_name="a.jpg")
    first = get_thumbnail(server, component_id, 64)
    assert get_thumbnail(server, component_id, 64).content == first.content
    picture(get_thumbnail(server, component_id, 32))
    cache = [p for p in (Path(server.data_dir) / "components" / "thumbnails").rglob("*") if p.is_file()]
    assert len([p for p in cache if p.name.startswith(("64-", "32-"))]) >= 2
    upload(server, image_bytes(100, 300), component_id, file_name="a.jpg")
    assert picture(get_thumbnail(server, component_id, 64)).size == (21, 64)


def test_a_file_that_is_not_an_image_gets_the_placeholder(server):
    component_id = upload(server, b"just text, no pixels", file_name="notes.txt")
    response = get_thumbnail(server, component_id, 120)
    assert response.headers["x-thumbnail-placeholder"] == "not-an-image"
    image = picture(response)
    assert image.format == "PNG" and image.size == (120, 120)


def test_no_id_and_unknown_id_get_the_placeholder(server):
    no_id = get_thumbnail(server, size=80)
    assert no_id.headers["x-thumbnail-placeholder"] == "no-component"
    assert picture(no_id).size == (80, 80)
    unknown = get_thumbnail(server, new_id(), 90)
    assert unknown.headers["x-thumbnail-placeholder"] == "no-data"
    assert picture(unknown).size == (90, 90)


def test_thumbnails_need_credentials(server, landscape):
    response = get_thumbnail(server, landscape, 100, headers={})
    assert response.status_code == 401
    assert error_of(response)[0] == "InvalidCredentialsError"
    by_query = server.client.get(f"{server.url}/component/thumbnail", params={
        "id": landscape, "size": 100, "username": server.api_user, "apiKey": server.api_key})
    assert picture(by_query).size == (100, 75)


@pytest.mark.parametrize("size", ["abc", "0", "-5", "99999", "1.5"])
def test_bad_sizes_are_named(server, landscape, size):
    response = get_thumbnail(server, landscape, size)
    assert response.status_code == 400
    kind, message = error_of(response)
    assert kind == "ValidationError" and "size" in message


def test_the_static_placeholder_needs_no_credentials(server):
    response = server.client.get(f"{server.url}/img/thumbnail2.png")
    image = picture(response)
    assert image.format == "PNG" and image.size == (300, 300)


def test_thumbnail_url_attribute_points_at_working_urls(server):
    component_id = upload(server, image_bytes(320, 160), file_name="thumb.jpg")
    assert isinstance(register(server, component_id, name="thumb", file_type=".jpg"), list)
    user_id = server.call([{"action": "query", "expression": f'select id from User where username is "{server.api_user}"'}])[0]["data"][0]["id"]
    project = f"thumbs_{new_id()[:8]}"
    from ftrack_server.store import seed

    project_id = new_id()
    reply = server.call([{"action": "create", "entity_type": "Project", "entity_data": {
        "id": project_id, "name": project, "full_name": project, "project_schema_id": seed.PROJECT_SCHEMA_ID,
        "thumbnail_id": component_id}}])
    assert isinstance(reply, list), reply
    rows = server.call([
        {"action": "query", "expression": f'select thumbnail_url from Project where id is "{project_id}"'},
        {"action": "query", "expression": f'select thumbnail_url from User where id is "{user_id}"'},
    ])
    with_thumbnail = rows[0]["data"][0]["thumbnail_url"]["url"]
    assert with_thumbnail == f"{server.url}/component/thumbnail?id={component_id}"
    assert picture(server.client.get(with_thumbnail, headers=auth(server))).size == (300, 150)
    assert picture(server.client.get(with_thumbnail + "&size=40", headers=auth(server))).size == (40, 20)
    without = rows[1]["data"][0]["thumbnail_url"]["url"]
    assert without == f"{server.url}/img/thumbnail2.png"
    assert picture(server.client.get(without)).size == (300, 300)
