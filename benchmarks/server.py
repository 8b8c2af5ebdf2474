"""Server benchmark: typical queries through `/api` against raw SQL, and bulk creates.

Generates (once per scale) a production-sized database, starts the real server
on a copy of it, and times end to end through HTTP (request, server, JSON
decoding) the queries a pipeline runs all day. Each query is also run as
hand-written SQL with the sqlite3 module on the same file: the floor any server
on this database could reach. Then one batch creates 10,000 tasks, twice.

    .venv/bin/python benchmarks/server.py [--scale 1.0] [--repeat 7]

Prints a table and writes everything to .cache/bench-server/results.json.
See benchmarks/README.md for figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _data

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".cache" / "bench-server"
PAGE = 500


# Server ------------------------------------------------------------------------------------


class Server:
    """The real server in a subprocess, on a loopback port; logs go to a file."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = data_dir.parent / "server.log"
        self.process: subprocess.Popen | None = None
        self.startup_seconds = 0.0

    def __enter__(self) -> Server:
        command = [
            sys.executable, "-m", "ftrack_server", "serve", "--data-dir", str(self.data_dir),
            "--host", "127.0.0.1", "--port", str(self.port), "--admin-api-key", _data.API_KEY,
        ]
        started = time.perf_counter()
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"The server exited; see {self.log}:\n{self.log.read_text()[-3000:]}")
            try:
                reply = httpx.post(f"{self.url}/api", json=[{"action": "query_server_information"}],
                                   headers=headers(), timeout=5)
                if reply.status_code == 200:
                    self.startup_seconds = time.perf_counter() - started
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise SystemExit(f"The server did not answer within 120 s; see {self.log}")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def memory_mb(self) -> dict[str, float]:
        """Resident memory of the server process now and at its peak (Linux only)."""
        try:
            status = Path(f"/proc/{self.process.pid}/status").read_text()
        except OSError:
            return {}
        found = {}
        for line in status.splitlines():
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                found["rss" if name == "VmRSS" else "peak"] = round(int(value.split()[0]) / 1024, 1)
        return found


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def headers() -> dict[str, str]:
    return {"ftrack-user": _data.API_USER, "ftrack-api-key": _data.API_KEY}


def call(client: httpx.Client, operations: list[dict]) -> list[dict]:
    """POST one batch; return the decoded results or stop on a server error."""
    reply = client.post("/api", json=operations)
    decoded = reply.json()
    if reply.status_code != 200 or not isinstance(decoded, list):
        raise SystemExit(f"Server error for {json.dumps(operations)[:300]}:\n{decoded}")
    return decoded


def query(client: httpx.Client, expression: str) -> dict:
    return call(client, [{"action": "query", "expression": expression}])[0]


# Queries -----------------------------------------------------------------------------------


@dataclass
class Case:
    """One query: through the API, and as raw SQL returning the same rows (id first)."""

    name: str
    expression: str
    sql: str
    params: tuple
    paged: bool = False


def cases(picks: dict) -> list[Case]:
    project, shot = picks["project_id"], picks["shot_id"]
    task_type, shot_type = _data.OBJECT_TYPES["Task"], _data.OBJECT_TYPES["Shot"]
    return [
        Case(
            "tasks + status/type/parent",
            f'select name, bid, status.name, type.name, parent.name from Task where project_id is "{project}" limit {PAGE}',
            """select t.id, t.name, t.bid, s.id, s.name, y.id, y.name, p.id, p.name from context t
               left join Status s on s.id = t.status_id left join Type y on y.id = t.type_id
               left join context p on p.id = t.parent_id
               where t.context_type = 'task' and t.object_type_id = ? and t.project_id = ?
               order by t._rowid limit ?""",
            (task_type, project, PAGE),
        ),
        Case(
            "shots, children any",
            f'select name from Shot where project_id is "{project}" and children any (name is "comp") limit {PAGE}',
            """select s.id, s.name from context s
               where s.context_type = 'task' and s.object_type_id = ? and s.project_id = ?
               and exists (select 1 from context c where c.parent_id = s.id and lower(c.name) = 'comp')
               order by s._rowid limit ?""",
            (shot_type, project, PAGE),
        ),
        Case(
            "tasks, custom attribute",
            f'select name from Task where custom_attributes any (key is "fstart" and value > 1010) '
            f'and project_id is "{project}" limit {PAGE}',
            """select t.id, t.name from context t
               where t.context_type = 'task' and t.object_type_id = ? and t.project_id = ?
               and exists (select 1 from CustomAttributeValue v where v.entity_id = t.id
                           and v.value_family = 'context' and v.key = 'fstart' and v._number > 1010)
               order by t._rowid limit ?""",
            (task_type, project, PAGE),
        ),
        Case(
            f"tasks, all pages of {PAGE}",
            f'select name, bid from Task where project_id is "{project}" offset {{offset}} limit {PAGE}',
            """select t.id, t.name, t.bid from context t
               where t.context_type = 'task' and t.object_type_id = ? and t.project_id = ?
               order by t._rowid limit ? offset ?""",
            (task_type, project, PAGE + 1),
            paged=True,
        ),
        Case(
            "versions of a shot",
            f'select version, asset.name, status.name from AssetVersion where asset.parent.id is "{shot}"',
            """select v.id, v.version, a.id, a.name, s.id, s.name from AssetVersion v
               join Asset a on a.id = v.asset_id left join Status s on s.id = v.status_id
               where a.context_id = ? order by v._rowid""",
            (shot,),
        ),
    ]


def run_api(client: httpx.Client, case: Case) -> tuple[list[str], int]:
    """Ids of every entity the query returns, and the number of requests made."""
    if not case.paged:
        return [e["id"] for e in query(client, case.expression)["data"]], 1
    ids, offset, pages = [], 0, 0
    while offset is not None:
        reply = query(client, case.expression.format(offset=offset))
        ids += [e["id"] for e in reply["data"]]
        offset = reply["metadata"]["next"]["offset"]
        pages += 1
    return ids, pages


def run_sql(db: sqlite3.Connection, case: Case) -> tuple[list[str], int]:
    """The same through sqlite3; paged queries fetch PAGE + 1 rows to know if more follow, as the server does."""
    if not case.paged:
        return [row[0] for row in db.execute(case.sql, case.params).fetchall()], 1
    ids, offset, pages = [], 0, 0
    while True:
        rows = db.execute(case.sql, case.params + (offset,)).fetchall()
        ids += [row[0] for row in rows[:PAGE]]
        pages += 1
        if len(rows) <= PAGE:
            return ids, pages
        offset += PAGE


def timed(function: Callable[[], object], repeat: int) -> tuple[list[float], object]:
    """Milliseconds of `repeat` runs after one warm-up run, and the warm-up's result."""
    result = function()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return samples, result


def pick(db: sqlite3.Connection, dataset: dict, bulk: int) -> dict:
    """Ids the queries use: the big project, its shot with the most versions, shots to create tasks under."""
    project = dataset["big_project_id"]
    shot = db.execute(
        """select a.context_id from Asset a join AssetVersion v on v.asset_id = a.id
           join context s on s.id = a.context_id where s.project_id = ?
           group by a.context_id order by count(*) desc, min(s._rowid) limit 1""",
        (project,),
    ).fetchone()[0]
    shots = [row[0] for row in db.execute(
        "select id from context where object_type_id = ? and project_id != ? order by _rowid limit ?",
        (_data.OBJECT_TYPES["Shot"], project, max(1, bulk // 10)),
    )]
    tasks = db.execute("select count(*) from context where object_type_id = ? and project_id = ?",
                       (_data.OBJECT_TYPES["Task"], project)).fetchone()[0]
    return {"project_id": project, "project_tasks": tasks, "shot_id": shot, "bulk_parent_ids": shots}


# Bulk create -----------------------------------------------------------------------------


def bulk_create(client: httpx.Client, parents: list[str], count: int, run: int) -> dict:
    """One batch creating `count` tasks under `parents`, as the official client sends them (with ids)."""
    operations = []
    for number in range(count):
        task_id = str(uuid.uuid4())
        operations.append({
            "action": "create", "entity_type": "Task", "entity_key": [task_id],
            "entity_data": {
                "__entity_type__": "Task", "id": task_id, "name": f"bulk{run}_{number:05d}",
                "parent": {"__entity_type__": "Shot", "id": parents[number % len(parents)]},
            },
        })
    started = time.perf_counter()
    results = call(client, operations)
    seconds = time.perf_counter() - started
    if len(results) != count or any(r.get("action") != "create" for r in results):
        raise SystemExit(f"Bulk create {run}: expected {count} create results, got {len(results)}")
    return {"run": run, "entities": count, "seconds": round(seconds, 2), "per_second": round(count / seconds, 1)}


# Report -----------------------------------------------------------------------------------


def table(rows: list[list], headings: list[str]) -> str:
    """Plain text columns: the first left-aligned, the others right-aligned."""
    widths = [max(len(str(r[i])) for r in rows + [headings]) for i in range(len(headings))]

    def line(row: list) -> str:
        return "  ".join(str(v).rjust(w) if i else str(v).ljust(w) for i, (v, w) in enumerate(zip(row, widths)))

    return "\n".join([line(headings), "  ".join("-" * w for w in widths)] + [line(r) for r in rows])


def machine() -> dict:
    """Where and on what code the figures were taken."""
    def git(*args: str) -> str:
        found = subprocess.run(["git", *args], check=False, cwd=ROOT, capture_output=True, text=True)
        return found.stdout.strip() if found.returncode == 0 else ""
    return {
        "commit": git("rev-parse", "--short", "HEAD") + (" (with local changes)" if git("status", "--porcelain", "src") else ""),
        "cores": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
    }


def measure(client: httpx.Client, raw: sqlite3.Connection, case: Case, repeat: int) -> dict:
    """Median API and raw SQL times of one case, and whether both returned the same rows."""
    api_ms, (api_ids, requests) = timed(lambda: run_api(client, case), repeat)
    sql_ms, (sql_ids, _) = timed(lambda: run_sql(raw, case), repeat)
    found = {
        "rows": len(api_ids), "requests": requests, "same_rows": api_ids == sql_ids, "sql_rows": len(sql_ids),
        "api_ms": round(statistics.median(api_ms), 2), "sql_ms": round(statistics.median(sql_ms), 3),
        "api_samples_ms": [round(s, 2) for s in api_ms], "sql_samples_ms": [round(s, 3) for s in sql_ms],
    }
    found["ratio"] = round(found["api_ms"] / max(found["sql_ms"], 1e-6), 1)
    if not found["same_rows"]:
        print(f"  ! {case.name}: the API returned {len(api_ids)} rows, SQL {len(sql_ids)} (or in another order)")
    return found


def report(results: dict) -> None:
    """The results as readable tables."""
    queries = results["queries"]
    print()
    print(table(
        [[q["name"], f"{q['rows']:,}", q["requests"], f"{q['api_ms']:.1f}", f"{q['sql_ms']:.2f}", f"{q['ratio']:.1f}x",
          "yes" if q["same_rows"] else "NO"] for q in queries],
        ["query", "rows", "requests", "API ms", "raw SQL ms", "ratio", "same rows"],
    ))
    print(f"One request without a query (query_server_information): {results['round_trip_ms']:.1f} ms")
    print()
    print(table(
        [[f"create {c['run']}", f"{c['entities']:,}", f"{c['seconds']:.1f}", f"{c['per_second']:,.0f}"]
         for c in results["bulk_create"]],
        ["bulk batch", "tasks", "seconds", "tasks/s"],
    ))
    expected = 3 * sum(c["entities"] for c in results["bulk_create"])
    print(f"\nContextAncestor rows of the created tasks: {results['created_closure_rows']:,} (expected {expected:,})")
    memory = results["server_memory_mb"]
    print("Server memory, MB: " + ", ".join(f"{k} {v.get('rss')} (peak {v.get('peak')})" for k, v in memory.items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, default=CACHE / "data",
                        help="where the generated database is cached (default: .cache/bench-server/data)")
    parser.add_argument("--scale", type=float, default=1.0, help="dataset size; 1.0 = 20,000 shots, 100,000 tasks")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per query (median reported)")
    parser.add_argument("--bulk", type=int, default=10_000, help="tasks created per bulk batch")
    parser.add_argument("--results", type=Path, default=CACHE / "results.json")
    args = parser.parse_args(argv)
    results = {"machine": machine(), "repeat": args.repeat}  # load average taken before the run

    print(f"Dataset at scale {args.scale} in {args.data_dir / 'seed'} ...", flush=True)
    dataset = results["dataset"] = _data.ensure(args.data_dir / "seed", args.scale)
    how = "reused" if dataset["reused"] else "generated"
    print(f"  {how}; generation took {dataset['seconds']} s, {dataset['size_mb']} MB")
    print("  " + ", ".join(f"{name} {count:,}" for name, count in dataset["counts"].items()))

    # Serve a copy, so the bulk creates never change the cached dataset.
    run_dir = args.data_dir / "run"
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir(parents=True)
    shutil.copyfile(args.data_dir / "seed" / _data.DATABASE, run_dir / _data.DATABASE)
    raw = sqlite3.connect(run_dir / _data.DATABASE)
    raw.execute("PRAGMA cache_size=-65536")  # as the server's connections
    picks = pick(raw, dataset, args.bulk)
    print(f"  queries use the big project ({picks['project_tasks']:,} tasks) and its shot {picks['shot_id']}")

    memory = results["server_memory_mb"] = {}
    with Server(run_dir) as server, httpx.Client(base_url=server.url, headers=headers(), timeout=600) as client:
        print(f"Server on {server.url} answered after {server.startup_seconds:.1f} s", flush=True)
        results["server_startup_seconds"] = round(server.startup_seconds, 2)
        memory["started"] = server.memory_mb()
        # The fixed cost of one request (HTTP, authentication, transaction), for reading the ratios.
        round_trip, _ = timed(lambda: call(client, [{"action": "query_server_information"}]), args.repeat)
        results["round_trip_ms"] = round(statistics.median(round_trip), 2)
        results["queries"] = []
        for case in cases(picks):
            print(f"  {case.name} ...", flush=True)
            results["queries"].append({
                "name": case.name, "expression": case.expression, "sql": " ".join(case.sql.split()),
                **measure(client, raw, case, args.repeat),
            })
        memory["after_queries"] = server.memory_mb()
        results["bulk_create"] = []
        for run in (1, 2):
            print(f"Bulk create {run}: {args.bulk:,} tasks in one batch ...", flush=True)
            results["bulk_create"].append(bulk_create(client, picks["bulk_parent_ids"], args.bulk, run))
            memory[f"after_create_{run}"] = server.memory_mb()
    # Each created task needs closure rows to its shot, sequence and project: a check, not a timing.
    results["created_closure_rows"] = raw.execute(
        "select count(*) from ContextAncestor where descendant_id in (select id from context where name like 'bulk%')"
    ).fetchone()[0]
    raw.close()

    report(results)
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps(results, indent=2))
    print(f"Results written to {args.results}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
