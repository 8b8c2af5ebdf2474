"""Uploads to the ftrack.server location: get_upload_metadata, the PUT, and every way one can go wrong.

Whatever is rejected leaves nothing stored and the previous bytes intact.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import pytest

from support.components import (
    auth,
    download,
    error_of,
    generated,
    generated_md5,
    generated_slice,
    md5_b64,
    metadata,
    new_id,
    put,
    upload,
)

from support.server import ServerProcess


def stored_files(server) -> list[Path]:
    return [p for p in (Path(server.data_dir) / "components" / "files").rglob("*") if p.is_file()]


def incoming(server) -> list[Path]:
    return list((Path(server.data_dir) / "components" / "incoming").iterdir())


# The happy path -------------------------------------------------------------------------------

def test_metadata_has_the_recorded_shape(server):
    component_id = new_id()
    data = b'{"some": "json"}'
    reply = metadata(server, component_id, len(data), file_name="data.json", checksum=md5_b64(data))
    assert isinstance(reply, list) and len(reply) == 1
    answer = reply[0]
    assert set(answer) == {"url", "headers", "component_id"}
    assert answer["component_id"] == component_id
    assert answer["url"].startswith(f"{server.url}/component/upload?")
    assert answer["headers"] == {
        "Content-Type": "application/json", "Content-Length": str(len(data)), "Content-MD5": md5_b64(data),
    }


def test_metadata_without_checksum_asks_for_no_md5(server):
    answer = metadata(server, new_id(), 5, file_name="shot.unknownext")[0]
    assert answer["headers"] == {"Content-Type": "application/octet-stream", "Content-Length": "5"}


def test_upload_then_download_gives_the_same_bytes(server):
    data = os.urandom(3 * 1024 * 1024 + 17)
    component_id = upload(server, data)
    response = download(server, component_id, headers=auth(server))
    assert response.status_code == 200
    assert response.content == data
    assert response.headers["accept-ranges"] == "bytes"


def test_upload_without_checksum(server):
    data = b"x" * 1000
    component_id = upload(server, data, checksum=False)
    assert download(server, component_id, headers=auth(server)).content == data


def test_empty_file(server):
    component_id = upload(server, b"")
    response = download(server, component_id, headers=auth(server))
    assert response.status_code == 200 and response.content == b""


def test_put_answers_the_md5_as_etag(server):
    data = b"etag me"
    answer = metadata(server, new_id(), len(data))[0]
    response = put(answer["url"], data, answer["headers"])
    assert response.status_code == 200
    assert response.headers["etag"] == f'"{hashlib.md5(data).hexdigest()}"'


def test_a_new_upload_replaces_the_bytes(server):
    component_id = upload(server, b"first version")
    upload(server, b"second", component_id)
    assert download(server, component_id, headers=auth(server)).content == b"second"


def test_large_generated_stream_round_trip_and_ranges(server):
    """~50 MB streamed both ways in chunks, never held whole by the test either."""
    size, seed = 50 * 1024 * 1024 + 123, 7
    component_id = new_id()
    answer = metadata(server, component_id, size, checksum=md5_b64_of_generated(size, seed))[0]
    response = put(answer["url"], generated(size, seed), answer["headers"])
    assert response.status_code == 200, response.text
    digest = hashlib.md5()
    received = 0
    with server.client.stream("GET", f"{server.url}/component/get", params={"id": component_id},
                              headers=auth(server)) as stream:
        assert stream.status_code == 200
        assert int(stream.headers["content-length"]) == size
        for chunk in stream.iter_bytes():
            digest.update(chunk)
            received += len(chunk)
    assert received == size
    assert digest.digest() == generated_md5(size, seed)
    start, stop = 33 * 1024 * 1024 - 5, 33 * 1024 * 1024 + 4096
    ranged = download(server, component_id, headers={**auth(server), "Range": f"bytes={start}-{stop - 1}"})
    assert ranged.status_code == 206
    assert ranged.headers["content-range"] == f"bytes {start}-{stop - 1}/{size}"
    assert ranged.content == generated_slice(start, stop, seed)


def md5_b64_of_generated(size: int, seed: int) -> str:
    import base64

    return base64.b64encode(generated_md5(size, seed)).decode()


@pytest.mark.skipif(os.environ.get("OPENFTRACK_BIG_FILES", "") in ("", "0"),
                    reason="set OPENFTRACK_BIG_FILES=1 to upload and download a 2 GiB file")
def test_two_gigabyte_file(server):
    size, seed = 2 * 1024**3 + 1, 11
    component_id = new_id()
    answer = metadata(server, component_id, size, checksum=md5_b64_of_generated(size, seed))[0]
    response = put(answer["url"], generated(size, seed), answer["headers"])
    assert response.status_code == 200, response.text
    digest, received = hashlib.md5(), 0
    with server.client.stream("GET", f"{server.url}/component/get", params={"id": component_id},
                              headers=auth(server)) as stream:
        for chunk in stream.iter_bytes():
            digest.update(chunk)
            received += len(chunk)
    assert received == size and digest.digest() == generated_md5(size, seed)
    tail = download(server, component_id, headers={**auth(server), "Range": "bytes=-100"})
    assert tail.status_code == 206 and tail.content == generated_slice(size - 100, size, seed)


# Ranges ---------------------------------------------------------------------------------------

def test_range_forms(server):
    data = bytes(range(256)) * 40
    component_id = upload(server, data)
    headers = auth(server)
    first = download(server, component_id, headers={**headers, "Range": "bytes=0-99"})
    assert (first.status_code, first.content) == (206, data[:100])
    assert first.headers["content-range"] == f"bytes 0-99/{len(data)}"
    open_ended = download(server, component_id, headers={**headers, "Range": "bytes=10000-"})
    assert (open_ended.status_code, open_ended.content) == (206, data[10000:])
    suffix = download(server, component_id, headers={**headers, "Range": "bytes=-7"})
    assert (suffix.status_code, suffix.content) == (206, data[-7:])
    beyond = download(server, component_id, headers={**headers, "Range": f"bytes={len(data) + 10}-"})
    assert beyond.status_code == 416
    assert beyond.headers["content-range"] == f"bytes */{len(data)}"


# Rejected uploads -----------------------------------------------------------------------------

def test_shorter_body_than_announced_is_refused(server):
    component_id = new_id()
    answer = metadata(server, component_id, 100)[0]
    response = put(answer["url"], b"x" * 99, {"Content-Type": "application/octet-stream"})
    assert response.status_code == 400
    kind, message = error_of(response)
    assert kind == "ValidationError" and "99" in message and "100" in message
    assert download(server, component_id, headers=auth(server)).status_code == 404


def test_longer_streamed_body_than_announced_is_refused(server):
    component_id = new_id()
    answer = metadata(server, component_id, 10)[0]
    response = put(answer["url"], iter([b"0123456789", b"abc"]))  # chunked: no Content-Length
    assert response.status_code == 400
    assert "10" in error_of(response)[1]
    assert download(server, component_id, headers=auth(server)).status_code == 404
    assert not incoming(server)


def test_wrong_checksum_is_refused_and_keeps_the_old_bytes(server):
    component_id = upload(server, b"good old bytes")
    data = b"new bytes"
    answer = metadata(server, component_id, len(data), checksum=md5_b64(b"other data"))[0]
    response = put(answer["url"], data, answer["headers"])
    assert response.status_code == 400
    kind, message = error_of(response)
    assert kind == "ValidationError" and "checksum" in message
    assert download(server, component_id, headers=auth(server)).content == b"good old bytes"


def test_content_md5_header_must_match_the_announced_checksum(server):
    data = b"payload"
    component_id = new_id()
    answer = metadata(server, component_id, len(data), checksum=md5_b64(data))[0]
    response = put(answer["url"], data, {**answer["headers"], "Content-MD5": md5_b64(b"payloaX")})
    assert response.status_code == 400 and "Content-MD5" in error_of(response)[1]
    garbled = put(answer["url"], data, {**answer["headers"], "Content-MD5": "not base64!"})
    assert garbled.status_code == 400
    # Rejections do not spend the URL: the right bytes still go through.
    assert put(answer["url"], data, answer["headers"]).status_code == 200


def test_content_md5_alone_is_verified(server):
    data = b"no checksum announced"
    answer = metadata(server, new_id(), len(data))[0]
    assert put(answer["url"], data, {"Content-MD5": md5_b64(b"something else......")}).status_code == 400
    assert put(answer["url"], data, {"Content-MD5": md5_b64(data)}).status_code == 200


def test_upload_urls_are_one_time(server):
    data = b"once"
    answer = metadata(server, new_id(), len(data))[0]
    assert put(answer["url"], data, answer["headers"]).status_code == 200
    again = put(answer["url"], data, answer["headers"])
    assert again.status_code == 403
    assert error_of(again)[0] == "PermissionError"
    assert "already been used" in error_of(again)[1]


@pytest.mark.parametrize("tamper", ["no-token", "forged", "other-component", "unknown-id", "garbage"])
def test_bad_tokens_are_refused(server, tamper):
    component_id = new_id()
    data = b"data"
    url = metadata(server, component_id, len(data))[0]["url"]
    base, _, query = url.partition("?")
    params = dict(item.split("=", 1) for item in query.split("&"))
    if tamper == "no-token":
        del params["token"]
    elif tamper == "forged":
        body, _, signature = params["token"].partition(".")
        params["token"] = body + "." + ("A" if signature[0] != "A" else "B") + signature[1:]
    elif tamper == "other-component":
        params["id"] = new_id()
    elif tamper == "unknown-id":
        del params["id"]
    else:
        params["token"] = "not-a-token"
    response = put(base + "?" + "&".join(f"{k}={v}" for k, v in params.items()), data)
    assert response.status_code == 403, response.text
    assert error_of(response)[0] == "PermissionError"
    assert download(server, component_id, headers=auth(server)).status_code == 404


def test_uploads_need_no_ftrack_headers_but_downloads_do(server):
    data = b"auth check"
    component_id = upload(server, data)
    missing = download(server, component_id)
    assert missing.status_code == 401
    assert error_of(missing)[0] == "InvalidCredentialsError"
    wrong = download(server, component_id, username=server.api_user, apiKey="wrong")
    assert wrong.status_code == 401
    by_query = download(server, component_id, username=server.api_user, apiKey=server.api_key)
    assert by_query.status_code == 200 and by_query.content == data


def test_unencoded_plus_in_the_username_is_accepted(server):
    """The official Python client pastes credentials into the URL unencoded."""
    username = f"pipe+{new_id()[:8]}@example.com"
    user_id = new_id()
    created = server.call([{"action": "create", "entity_type": "User",
                            "entity_data": {"id": user_id, "username": username, "is_active": True}},
                           {"action": "reset_remote", "reset_type": "api_key", "entity_type": "User",
                            "entity_key": user_id}])
    assert isinstance(created, list), created
    key = created[1]["data"]["api_key"]
    component_id = upload(server, b"plus")
    response = server.client.get(f"{server.url}/component/get?id={component_id}&username={username}&apiKey={key}")
    assert response.status_code == 200 and response.content == b"plus"


def test_download_of_unknown_or_missing_id(server):
    unknown = download(server, new_id(), headers=auth(server))
    assert unknown.status_code == 404
    assert error_of(unknown)[0] == "NotFoundError"
    no_id = server.client.get(f"{server.url}/component/get", headers=auth(server))
    assert no_id.status_code == 400 and "id" in error_of(no_id)[1]


def test_download_names_the_file_when_the_component_is_known(server):
    component_id = new_id()
    data = b"%PDF-1.4 not really"
    created = server.call([{"action": "create", "entity_type": "FileComponent", "entity_data": {
        "id": component_id, "name": "report", "file_type": ".pdf", "size": len(data)}}])
    assert isinstance(created, list), created
    upload(server, data, component_id)
    response = download(server, component_id, headers=auth(server))
    assert response.headers["content-type"] == "application/pdf"
    assert 'filename="report.pdf"' in response.headers["content-disposition"]


@pytest.mark.parametrize("field, value, words", [
    ("file_size", -1, "file_size"),
    ("file_size", "10", "file_size"),
    ("file_size", 1.5, "file_size"),
    ("file_size", True, "file_size"),
    ("checksum", "abc", "checksum"),
    ("checksum", 42, "checksum"),
    ("component_id", None, "component_id"),
    ("component_id", "", "component_id"),
    ("file_name", None, "file_name"),
    ("parts", 0, "parts"),
    ("parts", 10_001, "parts"),
    ("parts", "3", "parts"),
])
def test_bad_metadata_requests_name_the_field(server, field, value, words):
    operation = {"action": "get_upload_metadata", "component_id": new_id(), "file_name": "a.bin", "file_size": 3}
    operation[field] = value
    reply = server.call([operation])
    assert isinstance(reply, dict), reply
    assert reply["exception"] == "ValidationError" and words in reply["content"]


def test_ids_never_become_paths(server):
    data = b"not a password file"
    hostile = "../../../../outside/" + new_id()
    upload(server, data, hostile)
    assert download(server, hostile, headers=auth(server)).content == data
    root = Path(server.data_dir)
    assert not (root.parent / "outside").exists() and not Path("/outside").exists()
    for path in stored_files(server):
        assert path.relative_to(root / "components" / "files")
        assert len(path.name) == 64 and set(path.name) <= set("0123456789abcdef")


# Remove ---------------------------------------------------------------------------------------

def test_remove_deletes_the_bytes(server):
    component_id = upload(server, b"remove me")
    url = f"{server.url}/component/remove"
    assert server.client.get(url, params={"id": component_id}).status_code == 401
    response = server.client.get(url, params={"id": component_id, "username": server.api_user,
                                              "apiKey": server.api_key})
    assert response.status_code == 200 and response.json() == {"removed": True}
    assert download(server, component_id, headers=auth(server)).status_code == 404
    again = server.client.get(url, params={"id": component_id}, headers=auth(server))
    assert again.status_code == 200 and again.json() == {"removed": False}


# Limits ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def limited_server(tmp_path_factory):
    server = ServerProcess(tmp_path_factory.mktemp("limited") / "data", extra_args=["--max-upload-size", "1M"])
    server.start()
    yield server
    server.stop()


def test_metadata_for_an_oversized_file_is_refused(limited_server):
    reply = metadata(limited_server, new_id(), 2 * 1024 * 1024)
    assert reply["exception"] == "ValidationError"
    assert "1048576" in reply["content"] and "2097152" in reply["content"]
    strict = limited_server.post([{"action": "get_upload_metadata", "component_id": new_id(),
                                   "file_name": "big.mov", "file_size": 2 * 1024 * 1024}],
                                 headers={"ftrack-strict-api": "true"})
    assert strict.status_code == 413


def test_an_oversized_put_gets_413(limited_server):
    component_id = new_id()
    answer = metadata(limited_server, component_id, 1000)[0]
    response = put(answer["url"], b"x" * (1024 * 1024 + 1))
    assert response.status_code == 413
    kind, message = error_of(response)
    assert kind == "ValidationError" and "1048576" in message
    assert download(limited_server, component_id, headers=auth(limited_server)).status_code == 404
    assert not incoming(limited_server)
    fits = b"y" * 1000
    assert put(answer["url"], fits, answer["headers"]).status_code == 200


_LIMIT_WRAPPER = """#!{python}
# Runs the server with a small file size limit (RLIMIT_FSIZE): a stand-in for a full disk.
import os, resource, sys
resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))
os.execv({python!r}, [{python!r}, *sys.argv[1:]])
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_FSIZE behaviour is checked on Linux")
def test_a_full_disk_is_a_clear_error_and_leaves_nothing(tmp_path):
    limit = 24 * 1024 * 1024  # room for the database, not for the upload
    wrapper = tmp_path / "limited-python"
    wrapper.write_text(_LIMIT_WRAPPER.format(python=sys.executable, limit=limit))
    wrapper.chmod(0o755)
    with ServerProcess(tmp_path / "data", python=str(wrapper)) as server:
        size = limit + 1024 * 1024
        component_id = new_id()
        answer = metadata(server, component_id, size)[0]
        response = put(answer["url"], generated(size, 3), answer["headers"])
        assert response.status_code == 507, response.text
        assert error_of(response)[0] == "ServerError"
        message = error_of(response)[1]
        assert "no room" in message and "Nothing was stored" in message
        assert not incoming(server)
        assert download(server, component_id, headers=auth(server)).status_code == 404
        # The server carries on.
        small = upload(server, b"still fine")
        assert download(server, small, headers=auth(server)).content == b"still fine"
