"""The main job: serve on embedded SQLite and show our client talking to it.

    python -m ftrack_server.demo [--data-dir data] [--port 8000] [--exit]

Starts the server, prints the URL and credentials to use, builds a small
project through the JSON API, queries it back, then keeps serving (unless
`--exit`) until interrupted.
"""

from __future__ import annotations

import argparse
import threading
import uuid
from pathlib import Path

from ftrack_api.client import Client

from .background import running_server


def demo(client: Client) -> None:
    """Build a small project with openftrack's low-level client and query it back."""
    schema = client.query('select id from ProjectSchema where name is "VFX Scheme"')["data"][0]
    name = f"demo_{uuid.uuid4().hex[:6]}"
    project, sequence, shot = (str(uuid.uuid4()) for _ in range(3))
    client.call([
        {"action": "create", "entity_type": "Project", "entity_data": {
            "id": project, "name": name, "full_name": "Demo project", "project_schema_id": schema["id"]}},
        {"action": "create", "entity_type": "Sequence", "entity_data": {"id": sequence, "name": "sq010", "parent_id": project}},
        {"action": "create", "entity_type": "Shot", "entity_data": {"id": shot, "name": "sh0010", "parent_id": sequence}},
        *({"action": "create", "entity_type": "Task", "entity_data": {"name": task, "parent_id": shot}}
          for task in ("Layout", "Animation", "Compositing")),
    ])
    print(f"\nCreated project {name!r} with a sequence, a shot and three tasks.")
    expression = (f'select name, status.name, type.name, link from Task where project_id is "{project}" '
                  "order by name")
    print(f"Query: {expression}")
    for task in client.query(expression)["data"]:
        path = " / ".join(entry["name"] for entry in task["link"])
        print(f"  {path:<45} status={task['status']['name']!r} type={task['type']['name']!r}")


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
            with Client(server.url, server.api_user, server.api_key) as client:
                demo(client)
            if not args.exit:
                print("\nServing; press Ctrl-C to stop.")
                threading.Event().wait()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
