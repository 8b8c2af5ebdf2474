"""Helpers for component storage tests: generated data, upload metadata, uploads, downloads."""

from __future__ import annotations

import base64
import hashlib
import io
import uuid
from collections.abc import Iterator
from typing import Any

import httpx

SERVER_LOCATION_ID = "3a372bde-05bc-11e4-8908-20c9d081909b"
UNMANAGED_LOCATION_ID = "cb268ecc-8809-11e3-a7e2-20c9d081909b"

_BLOCK = 1024 * 1024


def md5_b64(data: bytes) -> str:
    return base64.b64encode(hashlib.md5(data).digest()).decode("ascii")


def _block(seed: int, index: int) -> bytes:
    """Block `index` of the generated stream `seed`: cheap, deterministic, not compressible by accident."""
    head = hashlib.sha256(f"{seed}:{index}".encode()).digest()
    return (head * (_BLOCK // len(head)))[:_BLOCK]


def generated(size: int, seed: int = 0) -> Iterator[bytes]:
    """`size` deterministic bytes, a megabyte at a time (never all in memory)."""
    index = 0
    while size > 0:
        block = _block(seed, index)[: min(_BLOCK, size)]
        size -= len(block)
        index += 1
        yield block


def generated_slice(start: int, stop: int, seed: int = 0) -> bytes:
    """Bytes `start:stop` of `generated(..., seed)`."""
    out = bytearray()
    index = start // _BLOCK
    offset = start - index * _BLOCK
    while len(out) < stop - start:
        out += _block(seed, index)[offset:]
        offset = 0
        index += 1
    return bytes(out[: stop - start])


def generated_md5(size: int, seed: int = 0) -> bytes:
    digest = hashlib.md5()
    for block in generated(size, seed):
        digest.update(block)
    return digest.digest()


def new_id() -> str:
    return str(uuid.uuid4())


def metadata(server, component_id: str, size: int, *, file_name: str = "data.bin", checksum: str | None = None,
             parts: int | None = None, headers: dict | None = None) -> Any:
    """The raw answer to one get_upload_metadata (a list, or an error object)."""
    operation = {"action": "get_upload_metadata", "component_id": component_id, "file_name": file_name,
                 "file_size": size, "checksum": checksum}
    if parts is not None:
        operation["parts"] = parts
    return server.call([operation], headers=headers)


def put(url: str, content: Any, headers: dict | None = None) -> httpx.Response:
    return httpx.put(url, content=content, headers=headers or {}, timeout=120)


def upload(server, data: bytes, component_id: str | None = None, *, file_name: str = "data.bin",
           checksum: bool = True) -> str:
    """Upload `data` for `component_id` (a new id when None) the way the Python client does; return the id."""
    component_id = component_id or new_id()
    reply = metadata(server, component_id, len(data), file_name=file_name,
                     checksum=md5_b64(data) if checksum else None)
    assert isinstance(reply, list), reply
    response = put(reply[0]["url"], data, reply[0]["headers"])
    assert response.status_code == 200, response.text
    return component_id


def download(server, component_id: str, headers: dict | None = None, **params: Any) -> httpx.Response:
    return server.client.get(f"{server.url}/component/get",
                             params={"id": component_id, **params}, headers=headers)


def auth(server) -> dict:
    return {"ftrack-user": server.api_user, "ftrack-api-key": server.api_key}


def register(server, component_id: str, *, name: str = "data", file_type: str = ".bin", size: int = 0,
             location_id: str = SERVER_LOCATION_ID, create_component: bool = True) -> Any:
    """Create the FileComponent (optionally) and its ComponentLocation in one batch, as the JS client does."""
    operations = []
    if create_component:
        operations.append({"action": "create", "entity_type": "FileComponent", "entity_data": {
            "id": component_id, "name": name, "file_type": file_type, "size": size}})
    operations.append({"action": "create", "entity_type": "ComponentLocation", "entity_data": {
        "id": new_id(), "component_id": component_id, "resource_identifier": component_id,
        "location_id": location_id}})
    return server.call(operations)


def image_bytes(width: int, height: int, fmt: str = "JPEG", mode: str = "RGB") -> bytes:
    from PIL import Image

    image = Image.new(mode, (width, height))
    pixels = image.load()
    for x in range(0, width, 8):
        for y in range(0, height, 8):
            colour = ((x * 255) // max(width, 1), (y * 255) // max(height, 1), 128)
            pixels[x, y] = colour + ((200,) if mode == "RGBA" else ())
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


def error_of(response: httpx.Response) -> tuple[str, str]:
    body = response.json()
    assert set(body) >= {"exception", "content", "error_code"}, body
    return body["exception"], body["content"]
