"""The HTTP side of component storage.

| route | what |
| --- | --- |
| ``PUT /component/upload?id=&token=[&part=]`` | receive bytes for an URL `get_upload_metadata` handed out |
| ``GET /component/get?id=`` | download (streamed, with ``Range`` support) |
| ``GET /component/remove?id=`` | delete the stored bytes |
| ``GET /component/thumbnail?id=[&size=]`` | a scaled image, or the placeholder |
| ``GET /img/thumbnail2.png`` | the placeholder |

Downloads, removals and thumbnails need credentials (see `access`); uploads
are authorised by their token. Failures answer ftrack's error object as JSON
with a fitting HTTP status.
"""

from __future__ import annotations

import logging
import mimetypes
from collections.abc import AsyncIterator, Mapping

import orjson
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from ..errors import ServerError
from ..store.database import Database
from . import access, uploads
from .errors import NotFoundError, ValidationError
from .placeholder import placeholder_png
from .service import ComponentStorage
from .storage import is_full, storage_full
from .thumbnails import NoThumbnail, thumbnail

log = logging.getLogger("ftrack_server.files")

JSON_TYPE = "application/json; charset=utf-8"


def error_response(error: ServerError) -> Response:
    return Response(orjson.dumps(error.payload()), status_code=error.status, media_type=JSON_TYPE)


def _guarded(handler):
    """Answer every failure of `handler` with ftrack's error object."""

    async def endpoint(request: Request) -> Response:
        try:
            return await handler(request)
        except ServerError as error:
            return error_response(error)
        except OSError as error:
            if is_full(error):
                return error_response(storage_full(error))
            log.exception("Component storage failed for %s %s", request.method, request.url.path)
            return error_response(ServerError(f"Component storage failed: {error.strerror or error}."))

    return endpoint


def routes(db: Database, files: ComponentStorage) -> list[Route]:
    storage = files.storage

    def look_up(request: Request, resource_id: str | None) -> Mapping | None:
        """Check the caller's credentials; return the component row of `resource_id`, if any."""
        username, api_key = access.credentials(request)
        with db.transaction(write=False) as conn:
            access.authenticate(conn, db.tables, username, api_key)
            if not resource_id:
                return None
            components = db.tables["Component"]
            return conn.execute(
                select(components.c.name, components.c.file_type).where(components.c.id == resource_id)
            ).mappings().first()

    def resource_id(request: Request) -> str:
        value = request.query_params.get("id")
        if not value:
            raise ValidationError('The "id" query parameter (the resource identifier) is missing.')
        return value

    async def upload(request: Request) -> Response:
        headers, body, close = request.headers, request.stream(), False
        if _empty_but_chunked(headers):
            # requests (the official Python client) PUTs an empty file with
            # "Content-Length: 0" and "Transfer-Encoding: chunked", then sends
            # no chunk at all: waiting for one would hang both sides.
            body, close = _no_body(), True
        try:
            etag = await uploads.receive(
                files, request.query_params.get("id"), request.query_params.get("token"),
                request.query_params.get("part"), headers, body,
            )
            response = Response(status_code=200, headers={"ETag": etag})
        except ServerError as error:
            response = error_response(error)
        if close:  # the connection holds an unfinished chunked body: it cannot be reused
            response.headers["Connection"] = "close"
        return response

    async def download(request: Request) -> Response:
        wanted = resource_id(request)
        component = await run_in_threadpool(look_up, request, wanted)
        stat = storage.stat(wanted)
        if stat is None:
            raise NotFoundError(f'No data is stored for "{wanted}" in the ftrack.server location.')
        file_name = None
        if component is not None and component["name"]:
            file_name = f"{component['name']}{component['file_type'] or ''}"
        media_type = (mimetypes.guess_type(file_name, strict=False)[0] if file_name else None) or "application/octet-stream"
        return _Download(
            storage.path(wanted), stat_result=stat, media_type=media_type, filename=file_name,
            content_disposition_type="inline",
        )

    async def remove(request: Request) -> Response:
        wanted = resource_id(request)
        await run_in_threadpool(look_up, request, None)
        removed = await run_in_threadpool(storage.remove, wanted)
        return Response(orjson.dumps({"removed": removed}), media_type=JSON_TYPE)

    async def thumbnail_of(request: Request) -> Response:
        wanted = request.query_params.get("id")
        await run_in_threadpool(look_up, request, None)
        size = _size(request.query_params.get("size"), files)
        if not wanted:
            return await _placeholder(size, "no-component")
        try:
            found = await run_in_threadpool(thumbnail, storage, wanted, size)
        except NoThumbnail as reason:
            return await _placeholder(size, str(reason))
        return FileResponse(found.path, media_type=found.media_type, headers={"Cache-Control": "private, max-age=3600"})

    async def default_thumbnail(request: Request) -> Response:
        return await _placeholder(files.settings.default_thumbnail_size, None)

    return [
        Route("/component/upload", _guarded(upload), methods=["PUT"]),
        Route("/component/get", _guarded(download), methods=["GET", "HEAD"]),
        Route("/component/remove", _guarded(remove), methods=["GET", "DELETE"]),
        Route("/component/thumbnail", _guarded(thumbnail_of), methods=["GET", "HEAD"]),
        Route("/img/thumbnail2.png", _guarded(default_thumbnail), methods=["GET", "HEAD"]),
    ]


class _Download(FileResponse):
    """A stored file, sent a MiB at a time: each read is a trip to a worker thread."""

    chunk_size = 1024 * 1024


def _empty_but_chunked(headers: Mapping[str, str]) -> bool:
    return headers.get("content-length", "").strip() == "0" and "chunked" in headers.get("transfer-encoding", "").lower()


async def _no_body() -> AsyncIterator[bytes]:
    return
    yield b""


def _size(text: str | None, files: ComponentStorage) -> int:
    largest = files.settings.max_thumbnail_size
    if text is None or text == "":
        return files.settings.default_thumbnail_size
    if not text.strip().isdigit() or not 1 <= int(text) <= largest:
        raise ValidationError(f'"size" must be a number of pixels from 1 to {largest}, not {text!r}.')
    return int(text)


async def _placeholder(size: int, reason: str | None) -> Response:
    """The placeholder image; `reason` (when there is one) says why in ``X-Thumbnail-Placeholder``."""
    headers = {"Cache-Control": "public, max-age=86400"}
    if reason:
        headers = {"Cache-Control": "private, max-age=60", "X-Thumbnail-Placeholder": reason}
    return Response(await run_in_threadpool(placeholder_png, size), media_type="image/png", headers=headers)
