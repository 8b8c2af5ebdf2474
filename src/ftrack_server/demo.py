"""The main job: serve on embedded SQLite and show our client talking to it.

    python -m ftrack_server.demo [--data-dir data] [--port 8000] [--exit]

Starts the server, prints the URL and credentials to use, builds a small
project with ``ftrack_api.Session``, queries it back, then keeps serving (unless
`--exit`) until interrupted.
"""

from __future__ import annotations

import argparse
import threading
import uuid
from pathlib import Path

import ftrack_api

from .background import running_server


def demo(session: ftrack_api.Session) -> None:
    """Build a small project with openftrack's Session and query it back."""
    schema = session.query('ProjectSchema where name is "VFX Scheme"').one()
    name = f"demo_{uuid.uuid4().hex[:6]}"
    project = session.create("Project", {"name": name, "full_name": "Demo project",
                                         "project_schema": schema})
    sequence = session.create("Sequence", {"name": "sq010", "parent": project})
    shot = session.create("Shot", {"name": "sh0010", "parent": sequence})
    for task in ("Layout", "Animation", "Compositing"):
        session.create("Task", {"name": task, "parent": shot})
    shot["metadata"]["camera"] = "A"
    session.commit()
    print(f"\nCreated project {name!r} with a sequence, a shot and three tasks (one commit).")
    expression = (f'select name, status.name, type.name, link from Task where project_id is "{project["id"]}" '
                  "order by name")
    print(f"Query: {expression}")
    for task in session.query(expression):
        path = " / ".join(entry["name"] for entry in task["link"])
        print(f"  {path:<45} status={task['status']['name']!r} type={task['type']['name']!r}")
    print(f"Shot metadata: {dict(shot['metadata'])}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default="data")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--admin-user", default="admin")
    parser.add_argument("--admin-api-key")
    parser.add_argument("--exit", action="store_true", help="stop after the demo instead of serving on")
    args = parser.parse_args(argv)

    try:
        with running_server(Path(args.data_dir), args.host, args.port, args.admin_user, args.admin_api_key) as server:
            print(f"openftrack server running on {server.url} (data in {server.data_dir.resolve()})")
            print(f"  export FTRACK_SERVER={server.url}")
            print(f"  export FTRACK_API_USER={server.api_user}")
            print(f"  export FTRACK_API_KEY={server.api_key}")
            with ftrack_api.Session(server.url, server.api_key, server.api_user,
                                    schema_cache_path=False, plugin_paths=[]) as session:
                demo(session)
            if not args.exit:
                print("\nServing; press Ctrl-C to stop.")
                threading.Event().wait()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
