"""`ftrack-server serve`: one process, or several worker processes sharing one port.

With workers, the first process prepares the database (schema upgrades, admin
key) once, then uvicorn starts the workers, restarting any that dies. Each
worker builds its own app from the same command-line options, passed down in
an environment variable. Workers share the database, the data dir (component
files and the key that signs upload URLs and event hub sessions) and, through
Redis, events.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import socket
from pathlib import Path

from starlette.applications import Starlette

OPTIONS_VARIABLE = "OPENFTRACK_SERVE_ARGS"


def database_of(args: argparse.Namespace):
    from .store.database import Database

    if args.database:
        return Database(args.database)
    return Database.in_directory(Path(args.data_dir))


def build_app(args: argparse.Namespace) -> Starlette:
    """The app one server process runs for these `serve` options."""
    from .app import create_app
    from .events import EventBus, EventSettings
    from .files import ComponentStorage, FileSettings

    files = ComponentStorage(Path(args.data_dir), FileSettings(max_upload_size=args.max_upload_size))
    events = EventBus(EventSettings(
        heartbeat_interval=args.event_heartbeat, timeout=args.event_timeout, redis_url=args.redis_url or None,
        queue_bytes=int(args.event_queue_mb * 1024 * 1024),
    ), signer=files.signer)
    return create_app(database_of(args), events, files)


def worker_app() -> NoDelay:
    """uvicorn's app factory in a worker process."""
    from .cli import parser

    app = NoDelay(build_app(parser().parse_args(json.loads(os.environ[OPTIONS_VARIABLE]))))
    _freeze()
    return app


class NoDelay:
    """ASGI middleware sending replies at once: Nagle's algorithm off on each HTTP connection.

    uvicorn's workers accept on a socket asyncio does not recognise as TCP, so it
    leaves Nagle's algorithm on, and the end of every reply waits for the
    client's delayed ACK (about 40 ms; uvicorn issue 3149).
    """

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http":
            transport = getattr(getattr(send, "__self__", None), "transport", None)
            sock = transport.get_extra_info("socket") if transport is not None else None
            if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        await self.app(scope, receive, send)


def run(args: argparse.Namespace, argv: list[str]) -> None:
    """Serve until stopped; `argv` are the options `args` came from, for the workers."""
    import uvicorn

    common = dict(host=args.host, port=args.port, log_level=args.log_level, access_log=False,
                  # A graceful stop waits for open connections, but not forever: an event hub client
                  # that stopped reading can hold its socket open indefinitely.
                  timeout_graceful_shutdown=10)
    if args.workers == 1:
        app = build_app(args)
        _freeze()
        uvicorn.run(app, **common)
        return
    os.environ[OPTIONS_VARIABLE] = json.dumps(argv)
    uvicorn.run("ftrack_server.serving:worker_app", factory=True, workers=args.workers, **common)


def _freeze() -> None:
    # Objects alive now live as long as the server: keep the collector from rescanning them.
    gc.collect()
    gc.freeze()
