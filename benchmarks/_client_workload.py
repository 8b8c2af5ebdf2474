"""One client workload, timed inside the process of the client under test.

benchmarks/client.py runs this file once per (workload, client, repetition)
with the interpreter of the client under test: the official client's venv or
ours, both with ``python -I`` from a scratch directory, so whichever
``ftrack_api`` that interpreter has is the one measured. It uses only the
public Session API, plus one private hook per client to time the HTTP calls.

    python -I _client_workload.py '<json spec>'

The spec names the workload (``start``, ``query``, ``memory`` or ``create``)
and its parameters; the server and credentials come from ``FTRACK_SERVER``,
``FTRACK_API_USER`` and ``FTRACK_API_KEY``. The last line of stdout is one JSON
document: ``{"ok": true, ...figures}`` or ``{"ok": false, "error": traceback}``.
"""

import gc
import hashlib
import json
import os
import sys
import time
import traceback

import ftrack_api

QUERY_ATTRIBUTES = ("id", "name", "status_id", "type_id", "parent_id", "bid", "start_date", "end_date")


class HttpTimer:
    """Time spent in the HTTP client's ``post`` (request out, whole reply in), and how many."""

    def __init__(self):
        self.seconds = 0.0
        self.requests = 0

    def reset(self):
        self.seconds = 0.0
        self.requests = 0

    def attach(self, session, client):
        http = _http_client(session, client)
        post = http.post

        def timed_post(*args, **kwargs):
            started = time.perf_counter()
            try:
                return post(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - started
                self.requests += 1

        http.post = timed_post
        return self


def _http_client(session, client):
    """The object whose ``post`` sends a batch: requests.Session (official), httpx.Client (ours)."""
    if client == "ours":
        try:
            return session._client.transport._http
        except AttributeError:
            pass  # fall back to the attribute both clients have
    return session._request


def new_session(spec):
    return ftrack_api.Session(
        schema_cache_path=spec["schema_cache"],
        auto_connect_event_hub=False,
        plugin_paths=[],
    )


# Workloads -------------------------------------------------------------------------------


def start(spec):
    """Median-able session start times with a warm schema cache (the first start fills it)."""
    new_session(spec).close()
    samples, http = [], []
    profiler = _profiler(spec)
    for _ in range(spec["count"]):
        timer = HttpTimer()
        gc.collect()
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        session = _started_session(spec, timer)
        if profiler:
            profiler.disable()
        samples.append(time.perf_counter() - started)
        http.append(timer.seconds)
        session.close()
    if profiler:
        profiler.dump_stats(spec["profile"])
    return {"seconds": samples, "http_seconds": http, "requests": timer.requests}


def _started_session(spec, timer):
    # The HTTP client exists only once the constructor runs, so its requests
    # are timed by wrapping the class's post for the duration of the start.
    if spec["client"] == "ours":
        import httpx
        cls = httpx.Client
    else:
        import requests
        cls = requests.Session
    post = cls.post

    def timed_post(self, *args, **kwargs):
        started = time.perf_counter()
        try:
            return post(self, *args, **kwargs)
        finally:
            timer.seconds += time.perf_counter() - started
            timer.requests += 1

    cls.post = timed_post
    try:
        return new_session(spec)
    finally:
        cls.post = post


def _read_tasks(session, spec, rows):
    """Query every task of the project, then read the 8 attributes of each."""
    expression = f'select {", ".join(QUERY_ATTRIBUTES)} from Task where project_id is "{spec["project_id"]}"'
    tasks = session.query(expression, page_size=spec["page_size"]).all()
    append = rows.append
    for task in tasks:
        append((task["id"], task["name"], task["status_id"], task["type_id"], task["parent_id"],
                task["bid"], task["start_date"], task["end_date"]))
    return tasks


def _warm_up(spec):
    """Run the same code paths once on a few tasks, in a session thrown away afterwards."""
    session = new_session(spec)
    expression = f'select {", ".join(QUERY_ATTRIBUTES)} from Task where parent_id is "{spec["warm_up_parent_id"]}"'
    for task in session.query(expression, page_size=spec["page_size"]).all():
        [task[name] for name in QUERY_ATTRIBUTES]
    session.close()
    gc.collect()


def checksum(rows):
    """A digest of the values read, to check that both clients read the same data."""
    def text(value):
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        return repr(value)

    lines = sorted("|".join(text(v) for v in row) for row in rows)
    return hashlib.sha1("\n".join(lines).encode()).hexdigest()[:16]


def query(spec):
    """query().all() of every task in the project and reading 8 attributes; fresh session."""
    _warm_up(spec)
    session = new_session(spec)
    timer = HttpTimer().attach(session, spec["client"])
    rows = []
    profiler = _profiler(spec)
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    tasks = _read_tasks(session, spec, rows)
    if profiler:
        profiler.disable()
    seconds = time.perf_counter() - started
    if profiler:
        profiler.dump_stats(spec["profile"])
    found = {
        "seconds": seconds, "http_seconds": timer.seconds, "requests": timer.requests,
        "rows": len(rows), "distinct": len({row[0] for row in rows}), "checksum": checksum(rows),
        "sample": [str(v) for v in rows[0]] if rows else None,
    }
    del tasks
    session.close()
    return found


def memory(spec):
    """Bytes the session holds per task after loading every task (tracemalloc)."""
    import tracemalloc

    _warm_up(spec)
    session = new_session(spec)
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    rows = []
    tasks = _read_tasks(session, spec, rows)
    del rows  # our own list of the values read; the entities stay in the session's cache
    gc.collect()
    after, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    found = {"rows": len(tasks), "retained_bytes": after - before, "peak_bytes": peak - before}
    del tasks
    session.close()
    return found


def create(spec):
    """session.create() of N tasks under an existing shot, then one commit; fresh session."""
    warm = new_session(spec)  # the same calls on a few tasks, never committed
    shot, task_type, status = _create_parents(warm, spec)
    for number in range(20):
        warm.create("Task", {"name": f"warm_{number:02d}", "parent": shot, "type": task_type,
                             "status": status})
    warm.close()
    gc.collect()

    session = new_session(spec)
    shot, task_type, status = _create_parents(session, spec)
    timer = HttpTimer().attach(session, spec["client"])
    profiler = _profiler(spec)
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    for number in range(spec["count"]):
        session.create("Task", {"name": f"task_{number:05d}", "parent": shot, "type": task_type,
                                "status": status})
    created = time.perf_counter()
    session.commit()
    if profiler:
        profiler.disable()
    finished = time.perf_counter()
    if profiler:
        profiler.dump_stats(spec["profile"])
    session.close()
    return {
        "seconds": finished - started, "create_seconds": created - started,
        "commit_seconds": finished - created, "http_seconds": timer.seconds,
        "requests": timer.requests, "count": spec["count"],
    }


def _create_parents(session, spec):
    return (session.get("Shot", spec["shot_id"]), session.get("Type", spec["type_id"]),
            session.get("Status", spec["status_id"]))


def _profiler(spec):
    if not spec.get("profile"):
        return None
    import cProfile
    return cProfile.Profile()


WORKLOADS = {"start": start, "query": query, "memory": memory, "create": create}


def main():
    spec = json.loads(sys.argv[1])
    try:
        found = {"ok": True, **WORKLOADS[spec["workload"]](spec)}
    except Exception:  # noqa: BLE001  (any failure is reported; the caller prints it and goes on)
        found = {"ok": False, "error": traceback.format_exc()}
    found["ftrack_api"] = getattr(ftrack_api, "__version__", "?")
    found["ftrack_api_file"] = os.path.dirname(ftrack_api.__file__)
    sys.stdout.flush()
    print(json.dumps(found))


if __name__ == "__main__":
    main()
