"""Load benchmark: N concurrent clients, the official ftrack_api and ours, on three server set-ups.

For each set-up — SQLite with 1 worker, PostgreSQL with 1 worker, PostgreSQL
with 2 workers (events shared through Redis) — the script starts
`ftrack-server serve` on a fresh database, seeds a project through `/api`,
then runs N load processes of the official client for a fixed time, then N
of ours (`python -I benchmarks/_load_workload.py`, each with its client's
own interpreter). Every process does the same fixed-seed mix: 50% projected
queries, 20% creates, 20% updates (each with a commit), 10% event publishes
(timed until the event is back at the process's own subscriber).

Reported per set-up and client: operations per second, p50 and p99 latency
per kind of operation and overall, and the error count, which must be 0:
the exit status is 1 when any operation or process failed.

    .venv/bin/python benchmarks/load.py [--quick] [--clients 8] [--duration 20]

See benchmarks/README.md for figures.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(HERE))
from _clients import CLIENTS, Clients, indent  # benchmarks/_clients.py
from client import new_shot, seed, select  # benchmarks/client.py
from events import cpu_seconds, percentile  # benchmarks/events.py
from files import _family  # benchmarks/files.py
from server import machine  # benchmarks/server.py
from support.postgres import PostgresServer
from support.server import ServerProcess, ServerStartError
from support.services import RedisServer, ServiceUnavailable

WORKLOAD = HERE / "_load_workload.py"
CACHE = ROOT / ".cache" / "bench-load"
SETUPS = ("sqlite-1", "postgresql-1", "postgresql-2")
KINDS = ("query", "create", "update", "publish")
FULL = {"clients": 8, "duration": 20.0, "tasks": 500}
QUICK = {"clients": 2, "duration": 3.0, "tasks": 500}
SEED = 2026
#: Seconds allowed for the load processes of a run to start, connect and warm up.
READY_TIMEOUT = 240.0
#: Exit status when PostgreSQL or Redis cannot be run here.
EXIT_UNAVAILABLE = 3


# Servers --------------------------------------------------------------------------------------


class Services(contextlib.ExitStack):
    """A private PostgreSQL cluster and Redis for the set-ups that need them."""

    def __init__(self, work: Path, setups: list[str]):
        super().__init__()
        self.postgres = self.redis = None
        try:
            if any(name.startswith("postgresql") for name in setups):
                self.postgres = PostgresServer(work / "postgres").start()
                self.callback(self.postgres.stop)
            if any(not name.endswith("-1") for name in setups):
                self.redis = RedisServer(work / "redis").start()
                self.callback(self.redis.stop)
        except BaseException:
            self.close()
            raise

    def server_args(self, setup: str) -> list[str]:
        """The `serve` options of a set-up named `<database>-<workers>`."""
        database, workers = setup.rsplit("-", 1)
        found = []
        if database == "postgresql":
            found += ["--database", self.postgres.url(self.postgres.create_database())]
        if int(workers) > 1:
            found += ["--workers", workers, "--redis-url", self.redis.url]
        return found


def seed_load(server: ServerProcess, tasks: int) -> dict:
    """client.py's project (`tasks` tasks, 50 per shot), with its shot and task ids."""
    data = seed(server, tasks)
    project = data["project_id"]
    data["shot_ids"] = [row["id"] for row in select(server, f'select id from Shot where project_id is "{project}"')]
    data["task_ids"] = [row["id"] for row in select(server, f'select id from Task where project_id is "{project}"')]
    return data


def server_cpu(server: ServerProcess) -> float | None:
    """CPU seconds used so far by the server and its workers."""
    if server.process is None:
        return None
    found = [cpu_seconds(pid) for pid in _family(server.process.pid)]
    return sum(value for value in found if value is not None)


# One run: N processes of one client -----------------------------------------------------------


def run_client(clients: Clients, client: str, data: dict, sizes: dict, folder: Path) -> tuple[list[dict], float | None]:
    """N load processes of `client` started together for `duration` seconds: their reports, the server's CPU."""
    folder.mkdir()
    count = sizes["clients"]
    spec = {"project_id": data["project_id"], "shot_ids": data["shot_ids"], "task_ids": data["task_ids"],
            "tasks": data["tasks"], "type_id": data["type_id"], "status_id": data["status_id"],
            "create_shot_id": data["create_shot_id"][client], "seed": SEED, "rendezvous": str(folder)}
    reports: list[dict | None] = [None] * count

    def one(index: int) -> None:
        reports[index] = clients.run(client, {**spec, "index": index})

    threads = [threading.Thread(target=one, args=(index,), daemon=True) for index in range(count)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        ready = len(list(folder.glob("ready-*")))
        gone = sum(1 for index, report in enumerate(reports)
                   if report is not None and not (folder / f"ready-{index}").exists())
        if ready + gone >= count:
            break
        time.sleep(0.02)
    start = time.time() + 0.2
    end = start + sizes["duration"]
    go = folder / "go.tmp"
    go.write_text(json.dumps({"start": start, "end": end}))
    go.rename(folder / "go")
    cpu = []
    for moment in (start, end):
        time.sleep(max(0.0, moment - time.time()))
        cpu.append(server_cpu(clients.server))
    for thread in threads:
        thread.join()
    used = cpu[1] - cpu[0] if None not in cpu else None
    return [report or {"ok": False, "error": "no report"} for report in reports], used


def summarise(reports: list[dict], cpu: float | None, duration: float | None) -> dict:
    """Operations, rate, p50/p99 per kind and overall, errors with their first messages."""
    done = [report for report in reports if report.get("ok")]
    latencies = {kind: [value for report in done for value in report["latencies"][kind]] for kind in KINDS}
    every = [value for values in latencies.values() for value in values]
    seconds = max((report["seconds"] for report in done), default=0.0)
    messages = [message for report in done for message in report["error_messages"]]
    messages += [f"process failed: {report.get('error', '?')}" for report in reports if not report.get("ok")]
    found = {
        "processes": len(reports), "operations": len(every), "seconds": seconds,
        "per_second": len(every) / seconds if seconds else None,
        "errors": sum(report["errors"] for report in done) + sum(not report.get("ok") for report in reports),
        "error_messages": messages,
        "server_cpu_share": cpu / duration if cpu is not None and duration else None,
        "start_skew_ms": max((report["late_ms"] for report in done), default=None),
        "ftrack_api": sorted({report.get("ftrack_api", "?") for report in reports}),
    }
    for kind, values in (*latencies.items(), ("all", every)):
        found[kind] = {"count": len(values),
                       "p50_ms": statistics.median(values) if values else None,
                       "p99_ms": percentile(values, 0.99) if values else None}
    return found


def run_setup(setup: str, services: Services, work: Path, sizes: dict, timeout: float) -> dict:
    """Start the set-up's server, seed it, run each client in turn; the summaries by client."""
    folder = work / setup
    found = {}
    with ServerProcess(folder / "data", api_key=uuid.uuid4().hex, extra_args=services.server_args(setup),
                       startup_timeout=120) as server:
        clients = Clients(server, folder, timeout, WORKLOAD)
        started = time.perf_counter()
        data = seed_load(server, sizes["tasks"])
        data["create_shot_id"] = {client: new_shot(server, data, f"sh_load_{client}") for client in CLIENTS}
        print(f"{setup}: server on {server.url}, {len(data['task_ids'])} tasks seeded in "
              f"{time.perf_counter() - started:.1f} s", flush=True)
        for client in CLIENTS:
            warm = clients.run(client, {"warm_only": True})  # fills the schema cache once
            if not warm.get("ok"):
                found[client] = summarise([warm], None, None)
                print(f"  {client:8s} FAILED to start a session:\n{indent(warm.get('error', '?'))}", flush=True)
                continue
            reports, cpu = run_client(clients, client, data, sizes, folder / f"run-{client}")
            found[client] = summarise(reports, cpu, sizes["duration"])
            print(f"  {client:8s} {_line(found[client])}", flush=True)
            for message in found[client]["error_messages"]:
                print("    ! " + indent(message).lstrip(), flush=True)
    return found


def _line(summary: dict) -> str:
    text = (f"{summary['processes']} processes, {summary['operations']:,} operations in "
            f"{summary['seconds']:.1f} s, {_number(summary['per_second'])}/s, "
            f"p50 {_ms(summary['all']['p50_ms'])} ms, p99 {_ms(summary['all']['p99_ms'])} ms, "
            f"errors {summary['errors']}")
    if summary["server_cpu_share"] is not None:
        text += f" (server CPU {summary['server_cpu_share'] * 100:.0f}% of one core)"
    return text


# Report ---------------------------------------------------------------------------------------


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}"


def _ratio(ours: float | None, official: float | None) -> str:
    return f"{ours / official:.2f}" if ours and official else "-"


def markdown(rows: list[list], headings: list[str]) -> str:
    """A markdown table, the first column left-aligned and the others right-aligned."""
    lines = ["| " + " | ".join(headings) + " |", "|---" + "|---:" * (len(headings) - 1) + "|"]
    return "\n".join(lines + ["| " + " | ".join(str(value) for value in row) + " |" for row in rows])


def report(results: dict) -> int:
    """Print the tables and the error count; the total number of errors."""
    sizes = results["sizes"]
    print()
    print(f"{sizes['clients']} processes per client, {sizes['duration']:g} s each, one client at a time; "
          f"mix: 50% query, 20% create, 20% update, 10% publish; latencies in ms (p50 / p99)")
    rows, ratios = [], []
    total = sum(summary["errors"] for by_client in results["setups"].values() for summary in by_client.values())
    for setup, by_client in results["setups"].items():
        for client in CLIENTS:
            summary = by_client.get(client)
            if summary is not None:
                rows.append([setup, client, f"{summary['operations']:,}", _number(summary["per_second"]),
                             *(f"{_ms(summary[kind]['p50_ms'])} / {_ms(summary[kind]['p99_ms'])}"
                               for kind in ("all", *KINDS)), summary["errors"]])
        official, ours = by_client.get("official"), by_client.get("ours")
        if official and ours:
            ratios.append([setup, _ratio(ours["per_second"], official["per_second"]),
                           _ratio(ours["all"]["p50_ms"], official["all"]["p50_ms"]),
                           _ratio(ours["all"]["p99_ms"], official["all"]["p99_ms"]),
                           *(_ratio(ours[kind]["p50_ms"], official[kind]["p50_ms"]) for kind in KINDS)])
    print(markdown(rows, ["set-up", "client", "operations", "ops/s", "all", *KINDS, "errors"]))
    print()
    print("Ours / official (ops/s: above 1 ours is faster; latencies: below 1 ours is faster):")
    print()
    print(markdown(ratios, ["set-up", "ops/s", "p50", "p99", *(f"{kind} p50" for kind in KINDS)]))
    print()
    if total:
        print(f"!!! ERRORS: {total} operation(s) or process(es) failed !!!")
        for setup, by_client in results["setups"].items():
            for client, summary in by_client.items():
                for message in summary["error_messages"]:
                    print(f"  {setup} {client}: " + indent(message).lstrip())
    else:
        print("Errors: 0")
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help=f"{QUICK['clients']} processes per client for {QUICK['duration']:g} s: a smoke run")
    parser.add_argument("--clients", type=int, help=f"load processes per client (default {FULL['clients']})")
    parser.add_argument("--duration", type=float, help=f"seconds per client and set-up (default {FULL['duration']:g})")
    parser.add_argument("--tasks", type=int, help=f"tasks seeded in the queried project (default {FULL['tasks']})")
    parser.add_argument("--setup", choices=SETUPS, action="append", help="run only this set-up (repeatable)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds allowed per load process")
    parser.add_argument("--results", type=Path, default=CACHE / "results.json")
    args = parser.parse_args(argv)
    sizes = dict(QUICK if args.quick else FULL)
    for name in ("clients", "duration", "tasks"):
        if getattr(args, name) is not None:
            sizes[name] = getattr(args, name)
    setups = args.setup or list(SETUPS)

    results = {"machine": machine(), "sizes": sizes, "setups": {}}
    work = Path(tempfile.mkdtemp(prefix="bench-load-"))
    try:
        try:
            services = Services(work, setups)
        except ServiceUnavailable as error:
            print(f"Cannot run the load benchmark: {error}", file=sys.stderr)
            return EXIT_UNAVAILABLE
        with services:
            for setup in setups:
                try:
                    results["setups"][setup] = run_setup(setup, services, work, sizes, args.timeout)
                except ServerStartError as error:
                    print(f"{setup}: the server did not start:\n{indent(str(error))}", flush=True)
                    results["setups"][setup] = {"server": {"errors": 1, "error_messages": [str(error)[:3000]]}}
        errors = report(results)
        results["errors"] = errors
        args.results.parent.mkdir(parents=True, exist_ok=True)
        args.results.write_text(json.dumps(results, indent=2))
        print(f"\nResults written to {args.results}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
