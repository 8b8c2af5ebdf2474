"""Event hub benchmark: the official ftrack_api and ours, as publishers and subscribers, on one server.

Starts one `ftrack-server serve` process on loopback (fresh data directory,
free port) and measures, through its event hub:

1. latency: publish -> subscriber callback, events published at a steady
   pace, with 1 subscriber and with 100 (median and 99th percentile);
2. throughput: events published as fast as one publisher can, and how many
   the subscribers had delivered per second (all subscribers together).

Every run is one publisher process and one or more subscriber processes, each
with the interpreter of the client under test (`python -I
benchmarks/_events_workload.py`): with 1 subscriber every pairing of the two
clients (official -> official, official -> ours, ours -> official, ours ->
ours); with 100 subscribers (100 hub connections spread over 4 processes)
each client with itself. The publisher stamps `time.time()` into the event;
the subscriber's callback compares it with its own clock (same machine).

    .venv/bin/python benchmarks/events.py [--quick] [--repeat 3]

See benchmarks/README.md for figures.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import shutil
import statistics
import subprocess
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
from server import machine, table  # benchmarks/server.py
from _clients import CLIENTS, client_env, indent, interpreters  # benchmarks/_clients.py
from support.server import ServerProcess

WORKLOAD = HERE / "_events_workload.py"
CACHE = ROOT / ".cache" / "bench-events"
PAIRS = tuple((publisher, subscriber) for publisher in CLIENTS for subscriber in CLIENTS)
SAME = (("official", "official"), ("ours", "ours"))

#: The issue's aims.
AIM_MEDIAN_MS = 5.0
AIM_DELIVERED = 5_000

FULL = {"repeat": 3, "subscribers": 100, "processes": 4,
        "latency_events": 1_000, "interval_ms": 2.0,             # 1 subscriber: 500 events/s for 2 s
        "throughput_events": 5_000,
        "fan_latency_events": 200, "fan_interval_ms": 20.0,      # 100 subscribers: 50 events/s for 4 s
        "fan_throughput_events": 500}
QUICK = {"repeat": 1, "subscribers": 100, "processes": 4,
         "latency_events": 200, "interval_ms": 2.0,
         "throughput_events": 1_000,
         "fan_latency_events": 50, "fan_interval_ms": 20.0,
         "fan_throughput_events": 100}

#: Seconds without a new event after which a subscriber stops waiting for the rest.
IDLE_SECONDS = 5.0
#: Seconds allowed for the hubs of a run to connect and subscribe.
SETUP_TIMEOUT = 120.0


# Running the workload processes ---------------------------------------------------------------


class WorkerError(RuntimeError):
    """A workload process failed, timed out or printed no report."""


class Worker:
    """One workload process; its stdout lines are read by a thread so that waits can time out."""

    def __init__(self, python: str, spec: dict, env: dict, cwd: Path, log: Path):
        self.name = f"{spec['client']} {spec['role']}"
        self.log = log
        self._stderr = open(log, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [python, "-I", str(WORKLOAD), json.dumps(spec)], cwd=cwd, env=env, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr,
        )
        self._lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._lines.put(line)
        self._lines.put(None)

    def report(self, deadline: float) -> dict:
        """The next JSON line it prints; WorkerError for a failure, an exit or the deadline."""
        while True:
            try:
                line = self._lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise WorkerError(f"{self.name}: no report in time\n{self.stderr()}") from None
            if line is None:
                code = self.process.wait(5)
                raise WorkerError(f"{self.name}: exited ({code}) without a report\n{self.stderr()}")
            try:
                found = json.loads(line)
            except ValueError:
                continue  # stray output
            if not found.get("ok", True):
                raise WorkerError(f"{self.name}:\n{found.get('error')}\n{self.stderr()}")
            return found

    def go(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write("go\n")
        self.process.stdin.flush()

    def stderr(self, lines: int = 30) -> str:
        self._stderr.flush()
        text = self.log.read_text(errors="replace").strip()
        return ("--- stderr ---\n" + "\n".join(text.splitlines()[-lines:])) if text else ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            pass
        self._stderr.close()


class Clients:
    """The interpreter of each client, and how to run one publish/subscribe run."""

    def __init__(self, server: ServerProcess, work: Path, timeout: float, processes: int):
        self.python = interpreters()
        self.server = server
        self.work = work
        self.timeout = timeout
        self.processes = processes
        self.scratch = work / "scratch"
        self.scratch.mkdir(exist_ok=True)
        self.env = client_env(server, work / "xdg")
        self._runs = 0

    def _worker(self, client: str, spec: dict) -> Worker:
        self._runs += 1
        spec = {**spec, "client": client}
        log = self.work / f"run{self._runs:03d}-{client}-{spec['role']}.stderr.log"
        return Worker(self.python[client], spec, self.env, self.scratch, log)

    def run(self, publisher: str, subscriber: str, subscribers: int, count: int, interval_ms: float) -> dict:
        """One run: the subscribers' and the publisher's reports, combined into figures."""
        topic = f"bench.events.{uuid.uuid4().hex[:12]}"
        processes = max(1, min(self.processes, subscribers))
        hubs = [subscribers // processes + (n < subscribers % processes) for n in range(processes)]
        workers: list[Worker] = []
        try:
            listeners = [self._worker(subscriber, {
                "role": "subscribe", "topic": topic, "hubs": n, "expect": count, "idle": IDLE_SECONDS,
                "timeout": self.timeout}) for n in hubs]
            workers += listeners
            deadline = time.monotonic() + SETUP_TIMEOUT
            ready = [listener.report(deadline) for listener in listeners]
            talker = self._worker(publisher, {"role": "publish", "topic": topic, "count": count,
                                              "interval": interval_ms / 1000.0})
            workers.append(talker)
            talker.report(deadline)
            server_pid = self.server.process.pid if self.server.process else None
            cpu_before = cpu_seconds(server_pid) if server_pid else None
            talker.go()
            deadline = time.monotonic() + self.timeout
            published = talker.report(deadline)
            received = [listener.report(deadline) for listener in listeners]
            cpu_after = cpu_seconds(server_pid) if server_pid else None
        finally:
            for worker in workers:
                worker.stop()
        server_cpu = cpu_after - cpu_before if cpu_before is not None and cpu_after is not None else None
        return combine(published, received, subscribers, count, ready, server_cpu)


def combine(published: dict, received: list[dict], subscribers: int, count: int, ready: list[dict],
            server_cpu: float | None) -> dict:
    latencies = [value for report in received for value in report["latencies"]]
    # Per event: when the last subscriber had it.
    reached: dict[int, float] = {}
    for report in received:
        for seq, value in zip(report["seqs"], report["latencies"]):
            reached[seq] = max(reached.get(seq, value), value)
    delivered = sum(sum(report["counts"]) for report in received)
    last = max((report["last"] for report in received if report["last"]), default=None)
    elapsed = (last - published["started"]) if last else None
    publishing = published["ended"] - published["started"]
    return {
        "subscribers": subscribers, "published": count, "delivered": delivered,
        "lost": count * subscribers - delivered,
        "publish_seconds": publishing, "deliver_seconds": elapsed,
        "published_per_second": count / publishing if publishing > 0 else None,
        "delivered_per_second": delivered / elapsed if elapsed else None,
        "latencies_ms": latencies,
        "all_reached_ms": list(reached.values()),
        "connect_seconds": max(report["connect_seconds"] for report in ready),
        "hub_connect_ms": [value for report in received for value in report["hub_connect_ms"]],
        # The server's CPU time from "go" until every subscriber had reported, per delivered event.
        "server_cpu_seconds": server_cpu,
        "server_us_per_delivery": server_cpu / delivered * 1e6 if server_cpu is not None and delivered else None,
    }


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of process `pid` so far (Linux /proc); None where unavailable."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


# The runs ---------------------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))]


class Runs:
    """Every run's figures by case and (publisher, subscriber); the first error of a pairing stops it."""

    def __init__(self):
        self.found: dict[tuple, list[dict]] = {}
        self.errors: dict[tuple, str] = {}

    def add(self, case: tuple, found: dict | None, error: str | None = None) -> None:
        if error is not None:
            self.errors[case] = error
            print("    ! FAILED:\n" + indent(error), flush=True)
        else:
            self.found.setdefault(case, []).append(found)

    def summary(self, case: tuple) -> dict | None:
        runs = self.found.get(case)
        if not runs:
            return None
        latencies = [value for run in runs for value in run["latencies_ms"]]
        reached = [value for run in runs for value in run["all_reached_ms"]]
        rates = [run["delivered_per_second"] for run in runs if run["delivered_per_second"]]
        published = [run["published_per_second"] for run in runs if run["published_per_second"]]
        return {
            "runs": len(runs),
            "median_ms": statistics.median(latencies) if latencies else None,
            "p99_ms": percentile(latencies, 0.99) if latencies else None,
            "max_ms": max(latencies) if latencies else None,
            "all_reached_median_ms": statistics.median(reached) if reached else None,
            "delivered_per_second": statistics.median(rates) if rates else None,
            "published_per_second": statistics.median(published) if published else None,
            "lost": sum(run["lost"] for run in runs),
            "expected": sum(run["published"] * run["subscribers"] for run in runs),
            "hub_connect_ms": statistics.median(value for run in runs for value in run["hub_connect_ms"]),
            "server_us_per_delivery": _median([run["server_us_per_delivery"] for run in runs]),
        }


def _median(values: list) -> float | None:
    values = [value for value in values if value is not None]
    return statistics.median(values) if values else None



def _line(found: dict, mode: str) -> str:
    if mode == "latency":
        values = found["latencies_ms"]
        text = (f"median {statistics.median(values):.2f} ms, p99 {percentile(values, 0.99):.2f} ms"
                if values else "nothing delivered")
    else:
        rate = found["delivered_per_second"]
        text = (f"{found['delivered']:,} delivered, {rate:,.0f}/s" if rate else "nothing delivered") + \
               f"; published {found['published_per_second']:,.0f}/s"
        if found["server_us_per_delivery"]:
            text += f"; server CPU {found['server_us_per_delivery']:.0f} us per delivery"
    if found["lost"]:
        text += f"; LOST {found['lost']:,}"
    return text + f"  (hubs connected in {found['connect_seconds']:.1f} s)"


def benchmark(clients: Clients, sizes: dict) -> Runs:
    runs = Runs()
    fan = sizes["subscribers"]
    cases = [
        ("latency", 1, sizes["latency_events"], sizes["interval_ms"], PAIRS),
        ("throughput", 1, sizes["throughput_events"], 0.0, PAIRS),
        ("latency", fan, sizes["fan_latency_events"], sizes["fan_interval_ms"], SAME),
        ("throughput", fan, sizes["fan_throughput_events"], 0.0, SAME),
    ]
    for mode, subscribers, count, interval, pairs in cases:
        pace = f"one every {interval:g} ms" if interval else "as fast as possible"
        print(f"{mode.capitalize()}, {subscribers} subscriber{'s' * (subscribers > 1)}: "
              f"{count:,} events {pace} ...", flush=True)
        for rep in range(sizes["repeat"]):
            shift = rep % len(pairs)  # a different pairing goes first each time
            for publisher, subscriber in pairs[shift:] + pairs[:shift]:
                case = (mode, subscribers, publisher, subscriber)
                if case in runs.errors:
                    continue
                started = time.perf_counter()
                try:
                    found = clients.run(publisher, subscriber, subscribers, count, interval)
                except WorkerError as error:
                    runs.add(case, None, str(error))
                    continue
                runs.add(case, found)
                print(f"  {rep + 1}/{sizes['repeat']} {publisher:>8s} -> {subscriber:8s} {_line(found, mode)}"
                      f"  {time.perf_counter() - started:.1f} s", flush=True)
    return runs


# Report -----------------------------------------------------------------------------------------


def figures(runs: Runs, fan: int) -> list[dict]:
    """The same-client rows: official -> official against ours -> ours, with ratios (>1: ours better)."""
    rows = []

    def add(measure: str, unit: str, mode: str, subscribers: int, key: str, better: str) -> None:
        values = {}
        for client in CLIENTS:
            summary = runs.summary((mode, subscribers, client, client))
            values[client] = summary[key] if summary else None
        ratio = None
        if values["official"] and values["ours"]:
            ratio = (values["official"] / values["ours"] if better == "lower"
                     else values["ours"] / values["official"])
        rows.append({"measure": measure, "unit": unit, **values, "ratio": ratio})

    for subscribers in (1, fan):
        label = f"{subscribers} subscriber{'s' * (subscribers > 1)}"
        add(f"{label}: latency, median", "ms", "latency", subscribers, "median_ms", "lower")
        add(f"{label}: latency, p99", "ms", "latency", subscribers, "p99_ms", "lower")
        if subscribers > 1:
            add(f"{label}: all reached, median", "ms", "latency", subscribers, "all_reached_median_ms", "lower")
        add(f"{label}: delivered", "events/s", "throughput", subscribers, "delivered_per_second", "higher")
        add(f"{label}: published", "events/s", "throughput", subscribers, "published_per_second", "higher")
    add("hub connect (handshake + websocket)", "ms", "latency", fan, "hub_connect_ms", "lower")
    return rows


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return "FAILED"
    if unit == "ms":
        return f"{value:.2f}"
    if unit == "us":
        return f"{value:.1f}"
    return f"{value:,.0f}"


def report(results: dict, runs: Runs) -> None:
    sizes = results["sizes"]
    fan = sizes["subscribers"]
    print()
    print(f"One server process; {sizes['repeat']} run(s) per pairing. Latency: {sizes['latency_events']:,} events "
          f"one every {sizes['interval_ms']:g} ms (1 subscriber), {sizes['fan_latency_events']:,} one every "
          f"{sizes['fan_interval_ms']:g} ms ({fan} subscribers on {sizes['processes']} processes); "
          f"throughput: {sizes['throughput_events']:,} and {sizes['fan_throughput_events']:,} events as fast as "
          f"one publisher can. 'official' is official -> official, 'ours' is ours -> ours.")
    print(table(
        [[f["measure"], f["unit"], _number(f["official"], f["unit"]), _number(f["ours"], f["unit"]),
          f"{f['ratio']:.1f}x" if f["ratio"] else "-"] for f in results["figures"]],
        ["measure", "unit", "official", "ours", "ratio"],
    ))
    print("ratio: official latency / our latency (rates: ours / official); above 1 ours is better")

    print()
    print("Every pairing (publisher -> subscriber):")
    rows = []
    for subscribers, pairs in ((1, PAIRS), (fan, SAME)):
        for publisher, subscriber in pairs:
            latency = runs.summary(("latency", subscribers, publisher, subscriber))
            rate = runs.summary(("throughput", subscribers, publisher, subscriber))
            lost = sum(s["lost"] for s in (latency, rate) if s)
            rows.append([
                f"{publisher} -> {subscriber}", subscribers,
                _number(latency and latency["median_ms"], "ms"), _number(latency and latency["p99_ms"], "ms"),
                _number(latency and latency["all_reached_median_ms"], "ms"),
                _number(rate and rate["delivered_per_second"], "/s"),
                _number(rate and rate["published_per_second"], "/s"),
                _number(rate and rate["server_us_per_delivery"], "us"), f"{lost:,}",
            ])
    print(table(rows, ["publisher -> subscriber", "subscribers", "median ms", "p99 ms", "all reached ms",
                       "delivered/s", "published/s", "server us/delivery", "lost"]))
    print("all reached: per event, the latency of the last subscriber to get it (median over events); "
          "server us/delivery: the server process's CPU time during a throughput run / events delivered")

    print()
    ours_1 = runs.summary(("latency", 1, "ours", "ours"))
    ours_fan = runs.summary(("latency", fan, "ours", "ours"))
    for label, found in (("1 subscriber", ours_1), (f"{fan} subscribers", ours_fan)):
        if found:
            verdict = "met" if found["median_ms"] < AIM_MEDIAN_MS else "NOT met"
            print(f"Aim: median latency < {AIM_MEDIAN_MS:g} ms, ours -> ours, {label}: "
                  f"{found['median_ms']:.2f} ms, {verdict}")
    best = max(((s["delivered_per_second"], case) for case in runs.found
                if case[0] == "throughput" and (s := runs.summary(case)) and s["delivered_per_second"]),
               default=None)
    if best:
        rate, (_, subscribers, publisher, subscriber) = best
        verdict = "met" if rate >= AIM_DELIVERED else "NOT met"
        print(f"Aim: >= {AIM_DELIVERED:,} events/s delivered by one server process: best {rate:,.0f}/s "
              f"({publisher} -> {subscriber}, {subscribers} subscriber{'s' * (subscribers > 1)}), {verdict}")
    for (mode, subscribers, publisher, subscriber), error in runs.errors.items():
        print(f"\nFAILED {mode}, {subscribers} subscriber(s), {publisher} -> {subscriber}:\n{indent(error)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer events and one run: a smoke run")
    parser.add_argument("--repeat", type=int, help=f"runs per pairing (default {FULL['repeat']}, "
                                                   f"--quick {QUICK['repeat']})")
    parser.add_argument("--subscribers", type=int, help=f"hub connections of the fan-out runs "
                                                        f"(default {FULL['subscribers']})")
    parser.add_argument("--processes", type=int, help=f"subscriber processes they are spread over "
                                                      f"(default {FULL['processes']})")
    parser.add_argument("--timeout", type=float, default=300, help="seconds allowed per run once publishing starts")
    parser.add_argument("--results", type=Path, default=CACHE / "results.json")
    args = parser.parse_args(argv)
    sizes = dict(QUICK if args.quick else FULL)
    for name in ("repeat", "subscribers", "processes"):
        if getattr(args, name) is not None:
            sizes[name] = getattr(args, name)
    if sizes["subscribers"] < 2:
        parser.error("--subscribers must be at least 2 (the 1-subscriber runs are always made)")

    results = {"machine": machine(), "sizes": sizes}
    work = Path(tempfile.mkdtemp(prefix="bench-events-"))
    runs = Runs()
    try:
        with ServerProcess(work / "data", api_key=uuid.uuid4().hex, startup_timeout=120) as server:
            clients = Clients(server, work, args.timeout, sizes["processes"])
            print(f"Server on {server.url}", flush=True)
            runs = benchmark(clients, sizes)
        results["figures"] = figures(runs, sizes["subscribers"])
        results["summaries"] = {" ".join(map(str, case)): runs.summary(case) for case in runs.found}
        results["errors"] = {" ".join(map(str, case)): error for case, error in runs.errors.items()}
        report(results, runs)
        args.results.parent.mkdir(parents=True, exist_ok=True)
        args.results.write_text(json.dumps(results, indent=2))
        print(f"\nResults written to {args.results}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if runs.errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
