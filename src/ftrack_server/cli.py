"""The `ftrack-server` command: serve; administer users and API keys; upgrade, back up and restore the database."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from . import serving
from .errors import first_line
from .serving import database_of
from .store import accounts, backup, schema
from .store.database import BadDatabaseURL, display_url, sqlite_file
from .store.setup import create_database, initialise
from .store.writer import Writer


def serve(args: argparse.Namespace) -> int:
    if args.workers > 1 and not args.redis_url:
        print("ftrack-server: --workers needs --redis-url (or FTRACK_SERVER_REDIS_URL), so that events "
              "published on one worker reach subscribers on the others.", file=sys.stderr)
        return 2
    db = database_of(args)
    credentials = initialise(db, args.admin_user, args.admin_api_key)
    db.dispose()
    url = f"http://{args.host}:{args.port}"
    print(f"openftrack server on {url}" + (f" with {args.workers} workers" if args.workers > 1 else ""), flush=True)
    print(f"  FTRACK_SERVER={url}", flush=True)
    print(f"  FTRACK_API_USER={credentials.username}", flush=True)
    print(f"  FTRACK_API_KEY={credentials.api_key}", flush=True)
    serving.run(args, args.argv)
    return 0


def user_create(args: argparse.Namespace) -> int:
    db = database_of(args)
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
    db = database_of(args)
    create_database(db)
    users = db.tables["Resource"]
    with db.transaction(write=False) as conn:
        for row in conn.execute(select(users).where(users.c.resource_type == "user").order_by(users.c._rowid)).mappings():
            print(f"{row['username']}\t{row['email'] or ''}\t{'active' if row['is_active'] else 'inactive'}\t{row['id']}")
    return 0


def apikey_create(args: argparse.Namespace) -> int:
    db = database_of(args)
    create_database(db)
    with db.transaction() as conn:
        user = accounts.find_user(conn, db.tables, args.username)
        if user is None:
            print(f'No user "{args.username}".', file=sys.stderr)
            return 1
        print(accounts.add_key(conn, db.tables, user["id"], args.key))
    return 0


def apikey_revoke(args: argparse.Namespace) -> int:
    db = database_of(args)
    create_database(db)
    with db.transaction() as conn:
        if not accounts.revoke_key(conn, db.tables, args.key):
            print("No such API key.", file=sys.stderr)
            return 1
    print("revoked")
    return 0


def db_upgrade(args: argparse.Namespace) -> int:
    db = database_of(args)
    before = schema.stored(db)
    create_database(db)
    after = schema.head()
    print(f"database at revision {after}" + (f" (was {before})" if before and before != after else ""))
    return 0


def db_current(args: argparse.Namespace) -> int:
    found = schema.stored(database_of(args))
    head = schema.head()
    if found is None:
        print(f"no openftrack schema yet (newest revision: {head})")
    else:
        print(f"revision {found}" + (" (newest)" if found == head else f" (newest: {head}; run 'ftrack-server db upgrade')"))
    return 0


def db_dump(args: argparse.Namespace) -> int:
    counts = backup.dump(database_of(args), args.file)
    print(f"dumped {backup.describe(counts, args.file)}", file=sys.stderr)
    return 0


def db_restore(args: argparse.Namespace) -> int:
    counts = backup.restore(database_of(args), args.file)
    print(f"restored {backup.describe(counts, args.file)}", file=sys.stderr)
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
        sub.add_argument("--database", default=os.environ.get("FTRACK_SERVER_DATABASE"),
                         help="database URL instead of SQLite in --data-dir, e.g. postgresql://user:password@host/"
                              "ftrack (default: $FTRACK_SERVER_DATABASE)")
        return sub

    run = with_store(commands.add_parser("serve", help="run the server"))
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8000)
    run.add_argument("--admin-user", default="admin", help="the admin user created on first start")
    run.add_argument("--admin-api-key", help="API key for the admin user (generated when not given)")
    run.add_argument("--log-level", default="warning")
    run.add_argument("--workers", type=int, default=1, metavar="N",
                     help="serve with N processes (needs --redis-url when N > 1; default: 1)")
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

    database = commands.add_parser("db", help="database schema and backups").add_subparsers(
        dest="db_command", required=True)
    upgrade = with_store(database.add_parser("upgrade", help="create the schema, or upgrade it to this version's"))
    upgrade.set_defaults(handler=db_upgrade)
    current = with_store(database.add_parser("current", help="show the database's schema revision"))
    current.set_defaults(handler=db_current)
    dump = with_store(database.add_parser("dump", help="write a consistent snapshot of the database, "
                                                       "even while the server runs"))
    dump.add_argument("file", help="where to write (.gz: compressed; -: standard output)")
    dump.set_defaults(handler=db_dump)
    restore = with_store(database.add_parser("restore", help="load a dump into a new, empty database"))
    restore.add_argument("file", help="a file written by 'db dump' (-: standard input)")
    restore.set_defaults(handler=db_restore)
    return main


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    argv = sys.argv[1:] if argv is None else argv
    args = parser().parse_args(argv)
    args.argv = argv
    try:
        return args.handler(args)
    except DBAPIError as error:
        where = display_url(args.database) if getattr(args, "database", None) else sqlite_file(Path(args.data_dir))
        print(f"ftrack-server: the database at {where} cannot be used: {first_line(error.orig or error)}",
              file=sys.stderr)
        return 1
    except (schema.SchemaError, backup.BackupError, BadDatabaseURL) as error:
        print(f"ftrack-server: {error}", file=sys.stderr)
        return 1
