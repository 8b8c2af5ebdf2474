"""Client benchmark: the official ftrack_api and ours, side by side on one server.

Starts our server on a fresh data directory, creates the data through `/api`,
then runs each workload with both clients in turn, alternating which goes
first, and prints the medians and the ratios (official time / our time):

1. session start with a warm schema cache;
2. query().all() of every task of a project (10,000) selecting 8 attributes,
   then reading those 8 attributes of each task, in a fresh session;
3. memory the session holds per loaded task (tracemalloc);
4. create() of 5,000 tasks (name, parent, type, status) and one commit().

Both clients are called `ftrack_api`, so each workload runs in a subprocess
with the client's own interpreter (`python -I benchmarks/_client_workload.py`),
which times itself and prints JSON. "Client side" is the total minus the time
spent in the HTTP client's `post` (sending the request, the server's work and
receiving the reply).

    .venv/bin/python benchmarks/client.py [--quick] [--repeat 5] [--profile query [--profile-only]]

See benchmarks/README.md for figures.
"""

from __future__ import annotations

import argparse
import json
import pstats
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(HERE))
from server import machine, table  # benchmarks/server.py
from _clients import CLIENTS, Clients, indent  # benchmarks/_clients.py
from support.server import ServerProcess

WORKLOAD = HERE / "_client_workload.py"
CACHE = ROOT / ".cache" / "bench-client"
TASKS_PER_SHOT = 50
SHOTS_PER_SEQUENCE = 10
SEED_BATCH = 2_000

FULL = {"tasks": 10_000, "creates": 5_000, "starts": 10, "repeat": 5}
QUICK = {"tasks": 500, "creates": 200, "starts": 3, "repeat": 1}


# Data --------------------------------------------------------------------------------------


def api(server: ServerProcess, operations: list[dict]) -> list[dict]:
    """POST one batch; its results, or stop with the server's error."""
    reply = server.call(operations)
    if not isinstance(reply, list):
        raise SystemExit(f"Server error for {json.dumps(operations)[:300]}:\n{reply}")
    return reply


def select(server: ServerProcess, expression: str) -> list[dict]:
    """Every row of a query, following the pages."""
    rows, offset = [], 0
    while offset is not None:
        reply = api(server, [{"action": "query", "expression": f"{expression} offset {offset} limit 5000"}])[0]
        rows += reply["data"]
        offset = reply["metadata"]["next"]["offset"]
    return rows


def create_operation(entity_type: str, data: dict) -> dict:
    entity_id = str(uuid.uuid4())
    return {"action": "create", "entity_type": entity_type, "entity_key": [entity_id],
            "entity_data": {"__entity_type__": entity_type, "id": entity_id, **data}}


def create(server: ServerProcess, operations: list[dict]) -> list[str]:
    """Ids of the entities the batches create, SEED_BATCH at a time."""
    for start in range(0, len(operations), SEED_BATCH):
        api(server, operations[start:start + SEED_BATCH])
    return [op["entity_data"]["id"] for op in operations]


def by_name(rows: list[dict], wanted: list[str]) -> list[str]:
    """Ids of the wanted names that exist (in that order), else of every row."""
    ids = {row["name"]: row["id"] for row in rows}
    found = [ids[name] for name in wanted if name in ids]
    return found or list(ids.values())


def seed(server: ServerProcess, tasks: int) -> dict:
    """A project of `tasks` tasks (50 per shot) to query, and a sequence to create tasks under."""
    schema_id = select(server, "select id from ProjectSchema")[0]["id"]
    types = by_name(select(server, "select id, name from Type"),
                    ["Animation", "Modeling", "Previz", "FX", "Lighting", "Compositing", "Tracking"])
    statuses = by_name(select(server, "select id, name from Status"),
                       ["Not started", "In progress", "Awaiting approval", "Approved"])
    suffix = uuid.uuid4().hex[:8]

    def project(name: str) -> str:
        return create(server, [create_operation("Project", {
            "name": f"{name}_{suffix}", "full_name": f"{name} {suffix}", "project_schema_id": schema_id})])[0]

    query_project = project("bench_query")
    shot_count = max(1, -(-tasks // TASKS_PER_SHOT))
    sequences = create(server, [create_operation("Sequence", {"name": f"sq{n:03d}", "parent_id": query_project})
                                for n in range(-(-shot_count // SHOTS_PER_SEQUENCE))])
    shots = create(server, [create_operation("Shot", {
        "name": f"sh{n:04d}", "parent_id": sequences[n // SHOTS_PER_SEQUENCE]}) for n in range(shot_count)])
    operations = []
    for n in range(tasks):
        day = n % 200
        operations.append(create_operation("Task", {
            "name": f"task_{n % TASKS_PER_SHOT:02d}", "parent_id": shots[n // TASKS_PER_SHOT],
            "type_id": types[n % len(types)], "status_id": statuses[n % len(statuses)],
            "bid": round(0.5 + (n % 17) * 0.25, 2),
            "start_date": {"__type__": "datetime", "value": f"2026-{1 + day // 28:02d}-{1 + day % 28:02d}T09:00:00"},
            "end_date": {"__type__": "datetime", "value": f"2026-{1 + day // 28:02d}-{1 + day % 28:02d}T18:30:00"},
        }))
    create(server, operations)
    create_project = project("bench_create")
    create_sequence = create(server, [create_operation("Sequence", {"name": "sq_create", "parent_id": create_project})])[0]
    return {"project_id": query_project, "warm_up_parent_id": shots[0], "create_sequence_id": create_sequence,
            "type_id": types[0], "status_id": statuses[0], "tasks": tasks}


def new_shot(server: ServerProcess, data: dict, name: str) -> str:
    return create(server, [create_operation("Shot", {"name": name, "parent_id": data["create_sequence_id"]})])[0]


def children(server: ServerProcess, shot_id: str) -> int:
    return len(select(server, f'select id from Task where parent_id is "{shot_id}"'))


# Running the clients -------------------------------------------------------------------------




def order(rep: int) -> tuple[str, ...]:
    """Alternate which client goes first."""
    return CLIENTS if rep % 2 == 0 else CLIENTS[::-1]


class Runs:
    """Every run's report by workload and client; the first error of each stops its repetitions."""

    def __init__(self):
        self.reports: dict[str, dict[str, list[dict]]] = {}
        self.errors: dict[str, dict[str, str]] = {}

    def failed(self, workload: str, client: str) -> bool:
        return client in self.errors.get(workload, {})

    def add(self, workload: str, client: str, report: dict) -> None:
        if report.get("ok"):
            self.reports.setdefault(workload, {}).setdefault(client, []).append(report)
            return
        self.errors.setdefault(workload, {})[client] = report.get("error", "?")
        print(f"    ! {client} failed {workload}:\n" + indent(report.get("error", "?")), flush=True)

    def of(self, workload: str, client: str) -> list[dict]:
        return self.reports.get(workload, {}).get(client, [])



def benchmark(clients: Clients, server: ServerProcess, data: dict, sizes: dict, page_size: int) -> Runs:
    runs = Runs()
    repeat = sizes["repeat"]

    def each(workload: str, label: str, spec_for) -> None:
        print(f"{label} ...", flush=True)
        for rep in range(repeat):
            for client in order(rep):
                if runs.failed(workload, client):
                    continue
                started = time.perf_counter()
                report = clients.run(client, {"workload": workload, **spec_for(client, rep)})
                runs.add(workload, client, report)
                if report.get("ok"):
                    print(f"  {rep + 1}/{repeat} {client:8s} {_summary(workload, report)}"
                          f"  ({time.perf_counter() - started:.1f} s with the process)", flush=True)

    query_spec = {"project_id": data["project_id"], "warm_up_parent_id": data["warm_up_parent_id"],
                  "page_size": page_size}
    each("start", "Session start, warm schema cache", lambda client, rep: {"count": sizes["starts"]})
    each("query", f"Query + read {data['tasks']:,} tasks, 8 attributes", lambda client, rep: query_spec)
    print("Memory per loaded task (tracemalloc) ...", flush=True)
    for client in CLIENTS:
        report = clients.run(client, {"workload": "memory", **query_spec})
        runs.add("memory", client, report)
        if report.get("ok"):
            print(f"  {client:8s} {_summary('memory', report)}", flush=True)

    shots: dict[tuple[str, int], str] = {}

    def create_spec(client: str, rep: int) -> dict:
        shots[client, rep] = new_shot(server, data, f"sh_{client}_{rep:02d}")
        return {"shot_id": shots[client, rep], "type_id": data["type_id"], "status_id": data["status_id"],
                "count": sizes["creates"]}

    each("create", f"Create + commit {sizes['creates']:,} tasks", create_spec)
    for (client, rep), shot in shots.items():  # a check, not a timing
        found = children(server, shot)
        if not runs.failed("create", client) and found != sizes["creates"]:
            runs.errors.setdefault("create", {})[client] = (
                f"run {rep + 1}: the shot has {found} tasks after the commit, expected {sizes['creates']}")
    return runs


def _summary(workload: str, report: dict) -> str:
    if workload == "start":
        return f"median {statistics.median(report['seconds']) * 1000:.1f} ms over {len(report['seconds'])} starts"
    if workload == "query":
        return (f"{report['rows']:,} rows in {report['seconds']:.3f} s, HTTP {report['http_seconds']:.3f} s "
                f"({report['requests']} requests), client side {report['seconds'] - report['http_seconds']:.3f} s")
    if workload == "memory":
        return f"{report['retained_bytes'] / max(report['rows'], 1):,.0f} bytes per task ({report['rows']:,} tasks)"
    return (f"{report['count']:,} tasks in {report['seconds']:.3f} s (create {report['create_seconds']:.3f}, "
            f"commit {report['commit_seconds']:.3f}), HTTP {report['http_seconds']:.3f} s")


# Report --------------------------------------------------------------------------------------


def figures(runs: Runs) -> list[dict]:
    """One row per measure: official and our median, and the ratio (>1: ours is better)."""
    rows = []

    def add(measure: str, unit: str, values: dict, better: str) -> None:
        official_value, ours = values.get("official"), values.get("ours")
        ratio = None
        if official_value and ours:
            ratio = official_value / ours if better == "lower" else ours / official_value
        rows.append({"measure": measure, "unit": unit, "official": official_value, "ours": ours, "ratio": ratio})

    def per_client(workload: str, value) -> dict:
        return {c: statistics.median(value(r) for r in runs.of(workload, c)) for c in CLIENTS if runs.of(workload, c)}

    starts = {c: statistics.median(s for r in runs.of("start", c) for s in r["seconds"]) * 1000
              for c in CLIENTS if runs.of("start", c)}
    add("session start, warm schema cache", "ms", starts, "lower")
    starts_http = {c: statistics.median(s for r in runs.of("start", c) for s in r["http_seconds"]) * 1000
                   for c in CLIENTS if runs.of("start", c)}
    add("  of which HTTP", "ms", starts_http, "lower")

    rows_read = per_client("query", lambda r: r["rows"])
    total = per_client("query", lambda r: r["seconds"])
    client_side = per_client("query", lambda r: r["seconds"] - r["http_seconds"])
    add("query + read tasks, total", "rows/s", {c: rows_read[c] / total[c] for c in total}, "higher")
    add("query + read tasks, client side", "rows/s", {c: rows_read[c] / client_side[c] for c in client_side}, "higher")
    add("  total time", "s", total, "lower")
    add("  HTTP time", "s", per_client("query", lambda r: r["http_seconds"]), "lower")
    add("  client-side time", "s", client_side, "lower")

    memory = {c: runs.of("memory", c)[0]["retained_bytes"] / max(runs.of("memory", c)[0]["rows"], 1)
              for c in CLIENTS if runs.of("memory", c)}
    add("memory per cached task", "bytes", memory, "lower")

    count = per_client("create", lambda r: r["count"])
    total = per_client("create", lambda r: r["seconds"])
    client_side = per_client("create", lambda r: r["seconds"] - r["http_seconds"])
    add("create + commit tasks, total", "tasks/s", {c: count[c] / total[c] for c in total}, "higher")
    add("create + commit tasks, client side", "tasks/s", {c: count[c] / client_side[c] for c in client_side}, "higher")
    add("  create() calls", "s", per_client("create", lambda r: r["create_seconds"]), "lower")
    add("  commit()", "s", per_client("create", lambda r: r["commit_seconds"]), "lower")
    add("  HTTP time", "s", per_client("create", lambda r: r["http_seconds"]), "lower")
    return rows


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return "FAILED"
    if unit == "s":
        return f"{value:.3f}"
    if unit == "ms":
        return f"{value:.1f}"
    return f"{value:,.0f}"


def report(results: dict) -> None:
    sizes = results["sizes"]
    print()
    print(f"{sizes['tasks']:,} tasks queried (page size {results['page_size']}), {sizes['creates']:,} created; "
          f"median of {sizes['repeat']} runs per client ({sizes['starts']} session starts per run)")
    print(table(
        [[f["measure"], f["unit"], _number(f["official"], f["unit"]), _number(f["ours"], f["unit"]),
          f"{f['ratio']:.1f}x" if f["ratio"] else "-"] for f in results["figures"]],
        ["measure", "unit", "official", "ours", "ratio"],
    ))
    print("ratio: official time / our time (rates: ours / official; memory: official / ours); above 1 ours is better")
    checks = results["checks"]
    if checks.get("same_values") is not None:
        print(f"Both clients read the same values: {'yes' if checks['same_values'] else 'NO'} "
              f"(checksums {checks['checksums']})")
    for workload, failed in results["errors"].items():
        for client, error in failed.items():
            print(f"\n{client} FAILED {workload}:\n{indent(error)}")


def print_profile(path: Path, limit: int) -> None:
    for order_by in ("cumulative", "tottime"):
        print(f"\nTop {limit} by {order_by}:")
        pstats.Stats(str(path)).strip_dirs().sort_stats(order_by).print_stats(limit)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help=f"small sizes for a smoke run: {QUICK['tasks']} tasks, {QUICK['creates']} creates")
    parser.add_argument("--repeat", type=int, help=f"runs per workload and client (default {FULL['repeat']}, "
                                                   f"--quick {QUICK['repeat']})")
    parser.add_argument("--tasks", type=int, help="tasks in the queried project")
    parser.add_argument("--creates", type=int, help="tasks created per commit")
    parser.add_argument("--page-size", type=int, default=500, help="query page size (default 500, as the client's)")
    parser.add_argument("--profile", choices=["start", "query", "create"], action="append", default=[],
                        help="afterwards, run this workload once more under cProfile and print the top "
                             "functions (may be given more than once); the stats go to .cache/bench-client/")
    parser.add_argument("--profile-client", choices=CLIENTS, default="ours")
    parser.add_argument("--profile-only", action="store_true", help="skip the timed runs, only profile")
    parser.add_argument("--timeout", type=float, default=900, help="seconds allowed per workload process")
    parser.add_argument("--results", type=Path, default=CACHE / "results.json")
    args = parser.parse_args(argv)
    sizes = dict(QUICK if args.quick else FULL)
    for name in ("repeat", "tasks", "creates"):
        if getattr(args, name) is not None:
            sizes[name] = getattr(args, name)

    results = {"machine": machine(), "sizes": sizes, "page_size": args.page_size}
    work = Path(tempfile.mkdtemp(prefix="bench-client-"))
    try:
        with ServerProcess(work / "data", api_key=uuid.uuid4().hex, startup_timeout=120) as server:
            clients = Clients(server, work, args.timeout, WORKLOAD)
            print(f"Server on {server.url}; creating {sizes['tasks']:,} tasks ...", flush=True)
            started = time.perf_counter()
            data = seed(server, sizes["tasks"])
            print(f"  done in {time.perf_counter() - started:.1f} s", flush=True)
            runs = Runs() if args.profile_only else benchmark(clients, server, data, sizes, args.page_size)
            results["figures"] = figures(runs)
            results["errors"] = runs.errors
            results["runs"] = runs.reports
            checksums = {c: runs.of("query", c)[0]["checksum"] for c in CLIENTS if runs.of("query", c)}
            results["checks"] = {"checksums": checksums,
                                 "same_values": len(set(checksums.values())) == 1 if len(checksums) == 2 else None}
            profiles = []
            for workload in args.profile:
                path = CACHE / f"{workload}-{args.profile_client}.prof"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.unlink(missing_ok=True)
                spec = {"workload": workload, "profile": str(path)}
                if workload == "start":
                    spec["count"] = sizes["starts"]
                elif workload == "query":
                    spec |= {"project_id": data["project_id"], "warm_up_parent_id": data["warm_up_parent_id"],
                             "page_size": args.page_size}
                else:
                    spec |= {"shot_id": new_shot(server, data, "sh_profile"), "type_id": data["type_id"],
                             "status_id": data["status_id"], "count": sizes["creates"]}
                found = clients.run(args.profile_client, spec)
                profiles.append((workload, path, found))
        if not args.profile_only:
            report(results)
        for workload, path, found in profiles:
            print(f"\ncProfile of {args.profile_client} on {workload}:")
            if found.get("ok") and path.exists():
                print(f"{_summary(workload, found)} (slower under the profiler)")
                print_profile(path, 15)
            else:
                print(indent(found.get("error", "no profile written")))
        if not args.profile_only:
            args.results.parent.mkdir(parents=True, exist_ok=True)
            args.results.write_text(json.dumps(results, indent=2))
            print(f"\nResults written to {args.results}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if results.get("errors") else 0


if __name__ == "__main__":
    raise SystemExit(main())
