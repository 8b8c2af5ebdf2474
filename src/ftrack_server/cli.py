"""The `ftrack-server` command: serve, and administer users and API keys."""

from __future__ import annotations

import argparse
import gc
import logging
import os
import sys
from pathlib import Path

from sqlalchemy import select

from .store import accounts
from .store.database import Database
from .store.setup import create_database, initialise
from .store.writer import Writer


def _database(args: argparse.Namespace) -> Database:
    if getattr(args, "database", None):
        return Database(args.database)
    return Database.in_directory(Path(args.data_dir))


def serve(args: argparse.Namespace) -> int:
    import uvicorn

    from .app import create_app

    db = _database(args)
    credentials = initialise(db, args.admin_user, args.admin_api_key)
    url = f"http://{args.host}:{args.port}"
    print(f"openftrack server on {url}", flush=True)
    print(f"  FTRACK_SERVER={url}", flush=True)
    print(f"  FTRACK_API_USER={credentials.username}", flush=True)
    print(f"  FTRACK_API_KEY={credentials.api_key}", flush=True)
    from .events import EventBus, EventSettings

    events = EventBus(EventSettings(
        heartbeat_interval=args.event_heartbeat, timeout=args.event_timeout, redis_url=args.redis_url or None,
        queue_bytes=int(args.event_queue_mb * 1024 * 1024),
    ))
    from .files import ComponentStorage, FileSettings

    files = ComponentStorage(Path(args.data_dir), FileSettings(max_upload_size=args.max_upload_size))
    app = create_app(db, events, files)
    # Objects alive now live as long as the server: keep the collector from rescanning them.
    gc.collect()
    gc.freeze()
    # A graceful stop waits for open connections, but not forever: an event hub client that stopped
    # reading can hold its socket open indefinitely.
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level, access_log=False,
                timeout_graceful_shutdown=10)
    return 0


def user_create(args: argparse.Namespace) -> int:
    db = _database(args)
    create_database(db)
    with db.transaction() as conn:
        writer = Writer(db.model, db.tables, conn, None)
        data = {"username": args.username, "first_name": args.first_name, "last_name": args.last_name,
                "email": args.email, "is_active": True}
        user = writer.create("User", data)
        writer.finish()
        key = accounts.add_key(conn, db.tables, user["id"], args.api_key)
    print(f"{args.username} {key}")
    return 0


def user_list(args: argparse.Namespace) -> int:
    db = _database(args)
    create_database(db)
    users = db.tables["Resource"]
    with db.transaction(write=False) as conn:
        for row in conn.execute(select(users).where(users.c.resource_type == "user").order_by(users.c._rowid)).mappings():
            print(f"{row['username']}\t{row['email'] or ''}\t{'active' if row['is_active'] else 'inactive'}\t{row['id']}")
    return 0


def apikey_create(args: argparse.Namespace) -> int:
    db = _database(args)
    create_database(db)
    with db.transaction() as conn:
        user = accounts.find_user(conn, db.tables, args.username)
        if user is None:
            print(f'No user "{args.username}".', file=sys.stderr)
            return 1
        print(accounts.add_key(conn, db.tables, user["id"], args.key))
    return 0


def apikey_revoke(args: argparse.Namespace) -> int:
    db = _database(args)
    create_database(db)
    with db.transaction() as conn:
        if not accounts.revoke_key(conn, db.tables, args.key):
            print("No such API key.", file=sys.stderr)
            return 1
    print("revoked")
    return 0


def _positive(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}")
    return value


def _byte_size(text: str) -> int:
    from .files.settings import parse_size

    try:
        return parse_size(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="ftrack-server", description="An ftrack-compatible server.")
    commands = main.add_subparsers(dest="command", required=True)

    def with_store(sub: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sub.add_argument("--data-dir", default="data", help="folder for the SQLite database and files (default: ./data)")
        sub.add_argument("--database", help="SQLAlchemy database URL instead of SQLite in --data-dir")
        return sub

    run = with_store(commands.add_parser("serve", help="run the server"))
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8000)
    run.add_argument("--admin-user", default="admin", help="the admin user created on first start")
    run.add_argument("--admin-api-key", help="API key for the admin user (generated when not given)")
    run.add_argument("--log-level", default="warning")
    run.add_argument("--redis-url", default=os.environ.get("FTRACK_SERVER_REDIS_URL"),
                     help="share events with other server processes through this Redis, e.g. "
                          "redis://127.0.0.1:6379/0 (default: $FTRACK_SERVER_REDIS_URL; none: this process only)")
    run.add_argument("--event-heartbeat", type=_positive, default=10.0, metavar="SECONDS",
                     help="seconds between heartbeats sent to event hub clients (default: 10)")
    run.add_argument("--event-timeout", type=_positive, default=60.0, metavar="SECONDS",
                     help="close event hub connections silent for this long (default: 60)")
    run.add_argument("--event-queue-mb", type=_positive, default=32.0, metavar="MB",
                     help="drop an event hub client once this much waits for it to read (default: 32)")
    run.add_argument("--max-upload-size", type=_byte_size, default=None, metavar="SIZE",
                     help="refuse component uploads larger than this, e.g. 500M or 20G (default: no limit)")
    run.set_defaults(handler=serve)

    user = commands.add_parser("user", help="manage users").add_subparsers(dest="user_command", required=True)
    create = with_store(user.add_parser("create", help="create a user and print its API key"))
    create.add_argument("username")
    create.add_argument("--first-name", default="")
    create.add_argument("--last-name", default="")
    create.add_argument("--email", default="")
    create.add_argument("--api-key", help="the new user's API key (generated when not given)")
    create.set_defaults(handler=user_create)
    listing = with_store(user.add_parser("list", help="list users"))
    listing.set_defaults(handler=user_list)

    apikey = commands.add_parser("apikey", help="manage API keys").add_subparsers(dest="apikey_command", required=True)
    new = with_store(apikey.add_parser("create", help="issue an API key for a user"))
    new.add_argument("username")
    new.add_argument("--key", help="the key to issue (generated when not given)")
    new.set_defaults(handler=apikey_create)
    revoke = with_store(apikey.add_parser("revoke", help="revoke an API key"))
    revoke.add_argument("key")
    revoke.set_defaults(handler=apikey_revoke)
    return main


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    args = parser().parse_args(argv)
    return args.handler(args)
