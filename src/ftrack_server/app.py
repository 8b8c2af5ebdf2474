"""The ASGI application: HTTP in, batches out."""

from __future__ import annotations

import logging

import orjson
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .api.batch import execute
from .errors import ServerError, ValidationError
from .store.database import Database

log = logging.getLogger("ftrack_server")

JSON_TYPE = "application/json; charset=utf-8"


def create_app(db: Database) -> Starlette:
    """An app serving `db`."""

    async def api(request: Request) -> Response:
        strict = request.headers.get("ftrack-strict-api", "").lower() == "true"
        try:
            body = await request.body()
            try:
                operations = orjson.loads(body)
            except orjson.JSONDecodeError as error:
                raise ValidationError(f"The request body is not valid JSON: {error}.") from None
            results = await run_in_threadpool(
                execute,
                db,
                operations,
                request.headers.get("ftrack-user"),
                request.headers.get("ftrack-api-key"),
                _base_url(request),
                "denormalize:1" in request.headers.get("ftrack-api-options", ""),
            )
            return _json(results, 200)
        except ServerError as error:
            return _json(error.payload(), error.status if strict else 200)
        except Exception:  # noqa: BLE001 - the client must always get ftrack's error object
            log.exception("Unexpected failure while running a batch")
            error = ServerError("The server failed to run the request; see the server log.")
            return _json(error.payload(), 500 if strict else 200)

    return Starlette(routes=[Route("/api", api, methods=["POST"])])


def _json(content, status: int) -> Response:
    return Response(orjson.dumps(content), status_code=status, media_type=JSON_TYPE)


def _base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")
