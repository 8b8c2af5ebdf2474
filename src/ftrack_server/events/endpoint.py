"""The socket.io 0.9 endpoint: the authenticated handshake and the websocket it unlocks."""

from __future__ import annotations

import logging

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket

from ..store import accounts
from ..store.database import Database
from .bus import EventBus
from .connection import ABORT_KEY, Connection
from .sessions import EventUser

log = logging.getLogger("ftrack_server.events")

#: Close code for a websocket whose sid is unknown, used or expired (sent as HTTP 403 before the upgrade).
_UNKNOWN_SID = 4403


def routes(db: Database, bus: EventBus) -> list:
    """The handshake at ``/socket.io/1/`` and the websocket at ``/socket.io/1/websocket/<sid>``."""

    async def handshake(request: Request) -> Response:
        # The Python client sends headers; the JavaScript client sends query parameters.
        username = request.headers.get("ftrack-user") or request.query_params.get("api_user")
        api_key = request.headers.get("ftrack-api-key") or request.query_params.get("api_key")
        if not username or not api_key:
            return PlainTextResponse(
                "The event hub needs credentials: ftrack-user and ftrack-api-key headers, "
                "or api_user and api_key query parameters.", status_code=401,
            )
        user = await run_in_threadpool(_authenticate, db, username, api_key)
        if user is None:
            log.info("Event hub handshake refused for %r: API key or user not accepted.", username)
            return PlainTextResponse("API key or user not accepted.", status_code=401)
        sid = bus.sessions.issue(user)
        timeout = max(1, round(bus.settings.timeout))
        return PlainTextResponse(f"{sid}:{timeout}:{timeout}:websocket")

    async def websocket(socket: WebSocket) -> None:
        sid = socket.path_params["sid"]
        user = bus.sessions.redeem(sid)
        if user is None:
            log.info("Refused an event websocket: unknown, used or expired session id %r.", sid[:40])
            await socket.close(code=_UNKNOWN_SID)
            return
        await Connection(socket, user, sid, bus).serve()

    return [
        Route("/socket.io/1/", handshake, methods=["GET"]),
        WebSocketRoute("/socket.io/1/websocket/{sid}", websocket),
    ]


def _authenticate(db: Database, username: str, api_key: str) -> EventUser | None:
    with db.transaction(write=False) as conn:
        found = accounts.authenticate(conn, db.tables, username, api_key)
    return EventUser(str(found["id"]), str(found["username"])) if found is not None else None


class ExposeAbort:
    """ASGI middleware offering the event hub a way to cut off a client's TCP connection.

    ASGI can only close a websocket politely, which needs the client to read
    the close frame: a client that stopped reading would keep its socket (and
    the server's write buffer) forever. Where the ASGI server's send is bound
    to a protocol with an asyncio transport (uvicorn's are), the scope gets
    ``openftrack.abort``, a function that aborts that transport.
    """

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "websocket":
            transport = getattr(getattr(send, "__self__", None), "transport", None)
            abort = getattr(transport, "abort", None)
            if callable(abort):
                scope = {**scope, ABORT_KEY: abort}
        await self.app(scope, receive, send)
