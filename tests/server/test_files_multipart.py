"""Multipart uploads (the JavaScript client's way for large files): parts, ETags, completion in the batch."""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor

import pytest

from support.components import (
    SERVER_LOCATION_ID,
    auth,
    download,
    error_of,
    metadata,
    new_id,
    put,
)

PART = 64 * 1024


def plan(server, data: bytes, component_id: str | None = None):
    component_id = component_id or new_id()
    parts = -(-len(data) // PART)
    reply = metadata(server, component_id, len(data), parts=parts)
    assert isinstance(reply, list), reply
    return component_id, reply[0]


def send_parts(answer, data: bytes) -> list[dict]:
    def one(url):
        number = url["part_number"]
        response = put(url["signed_url"], data[(number - 1) * PART: number * PART])
        assert response.status_code == 200, response.text
        return {"part_number": number, "e_tag": response.headers["etag"].replace('"', "")}

    with ThreadPoolExecutor(6) as pool:
        done = list(pool.map(one, reversed(answer["urls"])))
    return sorted(done, key=lambda part: part["part_number"])


def complete(server, component_id, upload_id, parts, *, also=()):
    return server.call([
        {"action": "complete_multipart_upload", "upload_id": upload_id, "parts": parts, "component_id": component_id},
        *also,
    ])


def location_for(component_id):
    return {"action": "create", "entity_type": "ComponentLocation", "entity_data": {
        "id": new_id(), "component_id": component_id, "resource_identifier": component_id,
        "location_id": SERVER_LOCATION_ID}}


def file_component(component_id, size):
    return {"action": "create", "entity_type": "FileComponent", "entity_data": {
        "id": component_id, "name": "big", "file_type": ".bin", "size": size}}


def data_of(size: int, seed: int = 1) -> bytes:
    block = hashlib.sha256(str(seed).encode()).digest()
    return (block * (size // len(block) + 1))[:size]


def test_multipart_round_trip_in_the_js_client_order(server):
    data = data_of(5 * PART + 123)
    component_id = new_id()
    first = server.call([file_component(component_id, len(data)),
                         {"action": "get_upload_metadata", "file_name": "big.bin", "file_size": len(data),
                          "component_id": component_id, "parts": 6}])
    answer = first[1]
    assert set(answer) == {"component_id", "upload_id", "urls"}
    assert answer["component_id"] == component_id
    assert [u["part_number"] for u in answer["urls"]] == [1, 2, 3, 4, 5, 6]
    assert all(set(u) == {"signed_url", "part_number"} for u in answer["urls"])
    parts = send_parts(answer, data)
    assert parts[0]["e_tag"] == hashlib.md5(data[:PART]).hexdigest()
    result = complete(server, component_id, answer["upload_id"], parts, also=[location_for(component_id)])
    assert isinstance(result, list), result
    assert result[0] == {"action": "complete_multipart_upload", "component_id": component_id,
                         "url": f"{server.url}/component/get?id={component_id}"}
    assert result[1]["action"] == "create" and result[1]["data"]["__entity_type__"] == "ComponentLocation"
    assert download(server, component_id, headers=auth(server)).content == data
    # The parts are gone once joined: the same upload cannot be completed twice.
    again = complete(server, component_id, answer["upload_id"], parts)
    assert again["exception"] == "ValidationError" and "completed already" in again["content"]
    late = put(answer["urls"][0]["signed_url"], data[:PART])
    assert late.status_code == 403 and "completed already" in error_of(late)[1]


def test_parts_count_of_one_answers_single_part(server):
    answer = metadata(server, new_id(), 10, parts=1)[0]
    assert set(answer) == {"url", "headers", "component_id"}


def test_a_part_can_be_sent_again(server):
    data = data_of(3 * PART, 2)
    component_id, answer = plan(server, data)
    assert put(answer["urls"][0]["signed_url"], b"wrong bytes").status_code == 200
    parts = send_parts(answer, data)
    assert isinstance(complete(server, component_id, answer["upload_id"], parts), list)
    assert download(server, component_id, headers=auth(server)).content == data


@pytest.mark.parametrize("problem", ["etag", "missing", "order", "component", "upload_id", "number", "shape"])
def test_bad_completions_are_refused_and_store_nothing(server, problem):
    data = data_of(3 * PART, 3)
    component_id, answer = plan(server, data)
    parts = send_parts(answer, data)
    upload_id = answer["upload_id"]
    expect = "ValidationError"
    if problem == "etag":
        parts[1]["e_tag"] = "0" * 32
    elif problem == "missing":
        parts = parts[:2]  # the sizes no longer add up
    elif problem == "order":
        parts = [parts[1], parts[0], parts[2]]
    elif problem == "component":
        component_id = new_id()
    elif problem == "upload_id":
        upload_id = "u-77"
        expect = "PermissionError"
    elif problem == "number":
        parts[2]["part_number"] = 4
    else:
        parts = [{"part": 1}]
    reply = complete(server, component_id, upload_id, parts)
    assert isinstance(reply, dict) and reply["exception"] == expect, reply
    assert download(server, component_id, headers=auth(server)).status_code == 404


def test_a_rolled_back_completion_stores_nothing_and_can_be_retried(server):
    data = data_of(4 * PART, 4)
    component_id, answer = plan(server, data)
    parts = send_parts(answer, data)
    failing = {"action": "create", "entity_type": "NoSuchType", "entity_data": {}}
    reply = complete(server, component_id, answer["upload_id"], parts, also=[failing])
    assert isinstance(reply, dict) and "exception" in reply
    assert download(server, component_id, headers=auth(server)).status_code == 404
    assert isinstance(complete(server, component_id, answer["upload_id"], parts), list)
    assert download(server, component_id, headers=auth(server)).content == data


def test_part_urls_are_tied_to_their_upload(server):
    data = data_of(3 * PART, 5)
    _, answer = plan(server, data)
    url = answer["urls"][0]["signed_url"]
    response = put(url.replace("part=1", "part=2"), data[:PART])
    assert response.status_code == 403 and "part 1" in error_of(response)[1]
    oversized = put(url, data + b"more")
    assert oversized.status_code == 400
