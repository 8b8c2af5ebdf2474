"""The ASGI application: HTTP in, batches out."""

from __future__ import annotations

import contextlib
import logging

import orjson
from sqlalchemy.exc import DBAPIError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .api.batch import run
from .errors import DatabaseUnavailableError, ServerError, ValidationError, first_line
from .events import EventBus
from .events.endpoint import ExposeAbort
from .events.endpoint import routes as event_routes
from .files import ComponentStorage
from .files.routes import routes as file_routes
from .events.updates import update_events
from .store.database import Database

log = logging.getLogger("ftrack_server")

JSON_TYPE = "application/json; charset=utf-8"


def create_app(db: Database, events: EventBus | None = None, files: ComponentStorage | None = None) -> Starlette:
    """An app serving `db`, with an event hub (this process only unless `events` says otherwise)
    and, given `files`, component storage."""
    bus = events if events is not None else EventBus(signer=files.signer if files is not None else None)

    async def api(request: Request) -> Response:
        strict = request.headers.get("ftrack-strict-api", "").lower() == "true"
        try:
            body = await request.body()
            try:
                operations = orjson.loads(body)
            except orjson.JSONDecodeError as error:
                raise ValidationError(f"The request body is not valid JSON: {error}.") from None
            outcome = await run_in_threadpool(
                run,
                db,
                operations,
                request.headers.get("ftrack-user"),
                request.headers.get("ftrack-api-key"),
                _base_url(request),
                "denormalize:1" in request.headers.get("ftrack-api-options", ""),
                bus.wants_updates,
                files=files,
            )
            if outcome.changes:
                _announce(bus, outcome, request)
            return _json(outcome.results, 200)
        except ServerError as error:
            return _json(error.payload(), error.status if strict else 200)
        except DBAPIError as error:
            log.error("Database failure while running a batch: %s", error)
            failure = DatabaseUnavailableError(
                f"The database failed, so nothing of this request was stored: {first_line(error.orig or error)}. "
                "Try again once the database is back.")
            return _json(failure.payload(), failure.status if strict else 200)
        except Exception:  # noqa: BLE001 - the client must always get ftrack's error object
            log.exception("Unexpected failure while running a batch")
            error = ServerError("The server failed to run the request; see the server log.")
            return _json(error.payload(), 500 if strict else 200)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        await bus.start()
        try:
            yield
        finally:
            await bus.stop()

    routes = [Route("/api", api, methods=["POST"]), *event_routes(db, bus)]
    if files is not None:
        routes += file_routes(db, files)
    app = Starlette(routes=routes, middleware=[Middleware(ExposeAbort)], lifespan=lifespan)
    app.state.events = bus
    return app


def _announce(bus: EventBus, outcome, request: Request) -> None:
    """Publish ``ftrack.update`` for a batch that has committed (never before: a rollback says nothing)."""
    try:
        for event in update_events(
            outcome.changes, outcome.user,
            request.headers.get("ftrack-clienttoken"), request.headers.get("ftrack-pushtoken"),
        ):
            bus.publish(event)
    except Exception:  # noqa: BLE001 - the data is stored; a failed announcement must not say otherwise
        log.exception("Failed to publish ftrack.update for a committed batch")


def _json(content, status: int) -> Response:
    return Response(orjson.dumps(content), status_code=status, media_type=JSON_TYPE)


def _base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")
