"""File benchmark: upload and download throughput of one large file, official client vs ours.

Generates a file (1 GiB of random-looking bytes by default), starts
``ftrack-server serve`` on a fresh temporary data directory, then with each
client in turn, each in its own interpreter (``python -I
benchmarks/_files_workload.py <spec>``):

1. upload: ``session.create_component(path, location=<ftrack.server>)`` + commit;
2. download through the accessor: ``location.accessor.open(id, "rb").read(...)``
   into a file;
3. download from ``location.get_url(component)``, streamed into a file with
   ``urllib.request`` (the same code for both clients);

and compares each with the floor of a local disk copy of the same file
(``shutil.copyfile``) and of reading it back. The server's memory (RSS, from
``/proc/<pid>/status``) is sampled throughout. Every download is checked
against the source's MD5 in the first repetition. Everything written goes into
one temporary directory, deleted at the end.

    .venv/bin/python benchmarks/files.py [--quick | --size 1G] [--repeat 3]

See benchmarks/README.md for figures.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
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
from server import machine, table  # benchmarks/server.py
from _clients import CLIENTS, Clients, indent  # benchmarks/_clients.py
from support.server import ServerProcess

WORKLOAD = HERE / "_files_workload.py"
CACHE = ROOT / ".cache" / "bench-files"
STEPS = ("upload", "download_accessor", "download_url")
LABELS = {
    "upload": "upload (create_component + commit)",
    "download_accessor": "download (accessor open/read)",
    "download_url": "download (get_url + urllib)",
}
MiB = 1024 * 1024
GiB = 1024 * MiB
FULL = {"size": GiB, "repeat": 3}
QUICK = {"size": 64 * MiB, "repeat": 1}


# The data --------------------------------------------------------------------------------------


def parse_size(text: str) -> int:
    """``"1G"``, ``"64MiB"``, ``"500k"`` or a number of bytes."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*", text.lower())
    if not match:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (for example 1G, 64M, 500k or 1048576)")
    number, unit = float(match.group(1)), match.group(2)
    size = int(number * 1024 ** " kmgt".index(unit or " "))
    if size < 1:
        raise argparse.ArgumentTypeError("the size must be at least one byte")
    return size


def generate(path: Path, size: int, seed: int = 2026) -> str:
    """Write *size* random-looking bytes to *path* (no block repeats); return their MD5."""
    randomness = random.Random(seed)
    pool = randomness.randbytes(64 * MiB if size > 64 * MiB else max(size, MiB) + MiB)
    digest = hashlib.md5()
    written = 0
    with open(path, "wb") as handle:
        while written < size:
            offset = randomness.randrange(0, len(pool) - MiB)
            block = (written // MiB).to_bytes(8, "little") + pool[offset:offset + MiB - 8]
            block = block[:size - written]
            handle.write(block)
            digest.update(block)
            written += len(block)
    return digest.hexdigest()


def disk_floor(source: Path, work: Path, repeat: int) -> dict:
    """Median seconds of ``shutil.copyfile`` of *source*, and of reading the copy back in 1 MiB chunks."""
    copies, reads = [], []
    target = work / "disk-copy.bin"
    for _ in range(repeat):
        started = time.perf_counter()
        shutil.copyfile(source, target)
        copies.append(time.perf_counter() - started)
        started = time.perf_counter()
        with open(target, "rb") as handle:
            while handle.read(MiB):
                pass
        reads.append(time.perf_counter() - started)
        target.unlink()
    return {"copy_seconds": statistics.median(copies), "read_seconds": statistics.median(reads)}


# The server's memory ---------------------------------------------------------------------------


def _status_kib(pid: int, field: str) -> int:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _family(pid: int) -> list[int]:
    """*pid* and its descendants (the server may run workers)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    todo += [int(child) for child in handle.read().split()]
        except OSError:
            pass
    return found


class MemorySampler:
    """The server's RSS every 20 ms, and its peak per labelled stretch of the run."""

    def __init__(self, pid: int, interval: float = 0.02) -> None:
        self.pid = pid
        self.interval = interval
        self.label = "start"
        self.peaks: dict[str, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def rss(self) -> int:
        return sum(_status_kib(pid, "VmRSS") for pid in _family(self.pid)) * 1024

    def high_water_mark(self) -> int:
        """VmHWM: the kernel's own record of the peak, over the process's life."""
        return sum(_status_kib(pid, "VmHWM") for pid in _family(self.pid)) * 1024

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            value, label = self.rss(), self.label
            self.peaks[label] = max(self.peaks.get(label, 0), value)

    def __enter__(self) -> MemorySampler:
        self.peaks[self.label] = self.rss()
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()


# Running the clients ---------------------------------------------------------------------------





def benchmark(clients: Clients, sampler: MemorySampler, paths: dict, size: int, md5: str, repeat: int) -> dict:
    """Seconds per step and client, server RSS peaks, checks and errors."""
    seconds: dict[str, dict[str, list[float]]] = {step: {client: [] for client in CLIENTS} for step in STEPS}
    errors: dict[str, str] = {}
    checks: list[str] = []

    def step(client: str, name: str, spec: dict) -> dict | None:
        sampler.label = f"{name}:{client}"
        found = clients.run(client, {"step": name, **spec})
        sampler.label = "between"
        if not found.get("ok"):
            errors[client] = f"{name}: {found.get('error', '?')}"
            print(f"    ! {client} failed {name}:\n" + indent(found.get("error", "?")), flush=True)
            return None
        return found

    for rep in range(repeat):
        for client in CLIENTS if rep % 2 == 0 else CLIENTS[::-1]:
            if client in errors:
                continue
            common = {"warm_up_file": str(paths["warm_up"]), "target": str(paths["target"])}
            uploaded = step(client, "upload", {**common, "file": str(paths["source"])})
            if uploaded is None:
                continue
            seconds["upload"][client].append(uploaded["seconds"])
            line = [f"upload {_rate(size, uploaded['seconds'])}"]
            for name in ("download_accessor", "download_url"):
                found = step(client, name, {**common, "component_id": uploaded["component_id"], "verify": rep == 0})
                if found is None:
                    break
                seconds[name][client].append(found["seconds"])
                line.append(f"{name.replace('_', ' ')} {_rate(size, found['seconds'])}")
                if rep == 0:
                    good = found["size"] == size and found.get("md5") == md5
                    checks.append(f"{client} {name}: {'same bytes' if good else 'DIFFERENT BYTES'}")
                    if not good:
                        errors[client] = f"{name}: the downloaded bytes differ from the source"
            step(client, "remove", {"component_id": uploaded["component_id"]})
            print(f"  {rep + 1}/{repeat} {client:8s} " + ", ".join(line), flush=True)
    return {"seconds": seconds, "errors": errors, "checks": checks}


def _rate(size: int, seconds: float) -> str:
    return f"{size / MiB / seconds:,.0f} MiB/s"


# Report ----------------------------------------------------------------------------------------


def figures(size: int, runs: dict, floor: dict, peaks: dict) -> list[dict]:
    rows = []
    copy_rate = size / MiB / floor["copy_seconds"]
    for name in STEPS:
        rate = {client: size / MiB / statistics.median(values)
                for client, values in runs["seconds"][name].items() if values}
        rows.append({
            "measure": LABELS[name], "official": rate.get("official"), "ours": rate.get("ours"),
            "ratio": rate["ours"] / rate["official"] if len(rate) == 2 else None,
            "ours_of_floor": rate["ours"] / copy_rate if "ours" in rate else None,
            "official_of_floor": rate["official"] / copy_rate if "official" in rate else None,
            "server_peak_official": peaks.get(f"{name}:official"), "server_peak_ours": peaks.get(f"{name}:ours"),
        })
    return rows


def _mib(value: int | None) -> str:
    return "-" if value is None else f"{value / MiB:,.0f}"


def report(results: dict) -> None:
    size, floor = results["size"], results["floor"]
    copy_rate = size / MiB / floor["copy_seconds"]
    read_rate = size / MiB / floor["read_seconds"]
    print()
    print(f"{size / MiB:,.0f} MiB file over loopback, median of {results['repeat']} runs per client")
    print(table(
        [[row["measure"],
          f"{row['official']:,.0f}" if row["official"] else "FAILED",
          f"{row['ours']:,.0f}" if row["ours"] else "FAILED",
          f"{row['ratio']:.2f}x" if row["ratio"] else "-",
          f"{row['official_of_floor'] * 100:.0f}%" if row["official_of_floor"] else "-",
          f"{row['ours_of_floor'] * 100:.0f}%" if row["ours_of_floor"] else "-",
          _mib(row["server_peak_official"]), _mib(row["server_peak_ours"])]
         for row in results["figures"]]
        + [["disk floor: shutil.copyfile", f"{copy_rate:,.0f}", f"{copy_rate:,.0f}", "", "100%", "100%", "", ""],
           ["disk floor: read back", f"{read_rate:,.0f}", f"{read_rate:,.0f}", "", "", "", "", ""]],
        ["MiB/s", "official", "ours", "ours/official", "official/copy", "ours/copy",
         "server MiB (official)", "server MiB (ours)"],
    ))
    memory = results["server_memory"]
    print(f"server RSS: {_mib(memory['start'])} MiB at start, peak {_mib(memory['peak_sampled'])} MiB sampled, "
          f"VmHWM {_mib(memory['high_water_mark'])} MiB")
    for check in results["checks"]:
        print(f"check: {check}")
    for client, error in results["errors"].items():
        print(f"\n{client} FAILED {error.splitlines()[0]}\n{indent(error)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=parse_size, help="file size, for example 1G (default) or 256M")
    parser.add_argument("--quick", action="store_true", help="64 MiB, one run: a smoke run")
    parser.add_argument("--repeat", type=int, help="runs per client (default 3, --quick 1); medians are reported")
    parser.add_argument("--work-dir", type=Path, help="where the temporary directory goes (default: the system's)")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds allowed per step")
    parser.add_argument("--results", type=Path, default=CACHE / "results.json")
    args = parser.parse_args(argv)
    sizes = dict(QUICK if args.quick else FULL)
    if args.size:
        sizes["size"] = args.size
    if args.repeat:
        sizes["repeat"] = args.repeat
    size, repeat = sizes["size"], sizes["repeat"]

    results: dict = {"machine": machine(), "size": size, "repeat": repeat}
    if args.work_dir:
        args.work_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="bench-files-", dir=args.work_dir))
    try:
        paths = {"source": work / "source.bin", "warm_up": work / "warm-up.bin", "target": work / "download.bin"}
        print(f"Generating {size / MiB:,.0f} MiB in {work} ...", flush=True)
        md5 = generate(paths["source"], size)
        paths["warm_up"].write_bytes(os.urandom(256 * 1024))
        print("Disk floor (shutil.copyfile, then reading the copy back) ...", flush=True)
        results["floor"] = disk_floor(paths["source"], work, repeat)
        print(f"  copy {_rate(size, results['floor']['copy_seconds'])}, "
              f"read {_rate(size, results['floor']['read_seconds'])}", flush=True)
        with ServerProcess(work / "data", api_key=uuid.uuid4().hex, startup_timeout=120) as server:
            assert server.process is not None
            clients = Clients(server, work, args.timeout, WORKLOAD, temp_dirs=True)
            print(f"Server on {server.url} (pid {server.process.pid}) ...", flush=True)
            with MemorySampler(server.process.pid) as sampler:
                runs = benchmark(clients, sampler, paths, size, md5, repeat)
            peaks = dict(sampler.peaks)
            results["server_memory"] = {"start": peaks.get("start"), "peak_sampled": max(peaks.values()),
                                        "high_water_mark": sampler.high_water_mark(), "peaks": peaks}
        results["figures"] = figures(size, runs, results["floor"], peaks)
        results["checks"], results["errors"], results["seconds"] = runs["checks"], runs["errors"], runs["seconds"]
        report(results)
        args.results.parent.mkdir(parents=True, exist_ok=True)
        args.results.write_text(json.dumps(results, indent=2))
        print(f"\nResults written to {args.results}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if results.get("errors") else 0


if __name__ == "__main__":
    raise SystemExit(main())
