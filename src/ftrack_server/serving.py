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


def worker_app() -> Starlette:
    """uvicorn's app factory in a worker process."""
    from .cli import parser

    app = build_app(parser().parse_args(json.loads(os.environ[OPTIONS_VARIABLE])))
    _freeze()
    return app


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
