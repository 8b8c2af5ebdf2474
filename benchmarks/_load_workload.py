"""One load process, inside the interpreter of the client under test.

benchmarks/load.py runs this file N times at once per client and server
set-up (``python -I _load_workload.py '<json spec>'``, through
``_clients.Clients``), so whichever ``ftrack_api`` that interpreter has is
the one measured. It uses only the public Session and EventHub API.

The process opens a Session and its event hub, subscribes to a topic of its
own, does each kind of operation once untimed (the warm-up), then writes
``ready-<index>`` into ``spec["rendezvous"]`` and waits for the driver's
``go`` file there, which holds the wall-clock start and end of the run. Until
the end it picks operations with a fixed-seed weighted mix (the same sequence
for both clients) and times each one:

``query``   one of a few projected queries of the seeded project, ``.all()``,
            reading the projected values;
``create``  a Task under the shot of this client's run, then ``commit()``;
``update``  a new ``description`` and ``bid`` on a seeded task, ``commit()``;
``publish`` an event on the process's topic, timed until its own subscriber's
            callback has it back from the server (publish round trip); a
            thread calls ``event_hub.wait()`` throughout, as an application
            listening for events would.

Any exception is an error: counted, the first few messages kept, and the
session rolled back. With ``spec["warm_only"]`` the process only opens and
closes a session, which fills the schema cache before N processes share it. The last line of stdout is one JSON document:
``{"ok": true, "latencies": {kind: [ms, ...]}, "errors": n, ...}`` or
``{"ok": false, "error": traceback}``.
"""

import json
import os
import random
import sys
import threading
import time
import traceback
import uuid

import ftrack_api
from ftrack_api.event.base import Event

MIX = (("query", 50), ("create", 20), ("update", 20), ("publish", 10))
#: Seconds allowed for one event to come back, and for the driver's go.
EVENT_TIMEOUT = 10.0
GO_TIMEOUT = 300.0
KEPT_ERRORS = 5
#: The projected queries, each with the attributes read from every row.
QUERIES = (
    (('select name, status.name, type.name, parent.name from Task where project_id is "{project}" '
     "offset {offset} limit 50"), ("name", "status.name", "type.name", "parent.name")),
    ('select name, bid, status.name from Task where parent_id is "{shot}"', ("name", "bid", "status.name")),
    ('select name, description, parent.name from Shot where project_id is "{project}" limit 50',
     ("name", "description", "parent.name")),
    (('select name, type.name from Task where project_id is "{project}" and status.name is "In progress" '
     "limit 50"), ("name", "type.name")),
)


def new_session(spec):
    return ftrack_api.Session(os.environ["FTRACK_SERVER"], os.environ["FTRACK_API_KEY"],
                              os.environ["FTRACK_API_USER"], auto_connect_event_hub=False,
                              schema_cache_path=spec["schema_cache"], plugin_paths=[])


def _read(entity, path):
    for key in path.split("."):
        entity = entity[key]
        if entity is None:
            return None
    return entity


class Load:
    """The session, the hub round trip and the four operations."""

    def __init__(self, spec):
        self.spec = spec
        self.session = new_session(spec)
        self.random = random.Random(spec["seed"] * 1000 + spec["index"])
        self.created = 0
        self.name = f"{spec['client']}_p{spec['index']:02d}"
        self.topic = f"bench.load.{uuid.uuid4().hex}"
        self.subscriber_id = f"bench-load-{uuid.uuid4().hex}"
        self.seq = 0
        self.arrived = set()
        self.arrival = threading.Condition()
        hub = self.session.event_hub
        hub.connect()
        hub.subscribe(f"topic={self.topic}", self._on_event, subscriber={"id": self.subscriber_id})
        # As an application listening for events would: a thread handles them as they come.
        threading.Thread(target=hub.wait, daemon=True).start()
        self.parent = self.session.get("Shot", spec["create_shot_id"])
        self.task_type = self.session.get("Type", spec["type_id"])
        self.status = self.session.get("Status", spec["status_id"])

    def _on_event(self, event):
        with self.arrival:
            self.arrived.add(event["data"]["seq"])
            self.arrival.notify_all()

    def query(self):
        template, attributes = self.random.choice(QUERIES)
        expression = template.format(project=self.spec["project_id"], shot=self.random.choice(self.spec["shot_ids"]),
                                     offset=self.random.randrange(0, max(1, self.spec["tasks"] - 50), 10))
        for row in self.session.query(expression).all():
            for path in attributes:
                _read(row, path)

    def create(self):
        self.created += 1
        self.session.create("Task", {"name": f"{self.name}_{self.created:06d}", "parent": self.parent,
                                     "type": self.task_type, "status": self.status})
        self.session.commit()

    def update(self):
        task = self.session.get("Task", self.random.choice(self.spec["task_ids"]))
        task["description"] = f"updated by {self.name} #{self.random.randrange(1_000_000)}"
        task["bid"] = round(self.random.uniform(0.5, 8.0), 2)
        self.session.commit()

    def publish(self, retry=EVENT_TIMEOUT):
        """Publish one event and wait until it is back; publish it again every *retry* seconds."""
        self.seq += 1
        seq = self.seq
        deadline = time.monotonic() + EVENT_TIMEOUT
        with self.arrival:
            while seq not in self.arrived:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"event {seq} on {self.topic} did not come back within {EVENT_TIMEOUT:g} s")
                self.session.event_hub.publish(Event(topic=self.topic, data={"seq": seq, "from": self.name}))
                self.arrival.wait_for(lambda: seq in self.arrived, min(retry, left))
            self.arrived.discard(seq)

    def warm_up(self):
        """Each operation once, untimed; the first publish is repeated until the subscription is live."""
        self.publish(retry=1.0)
        for operation in (self.query, self.create, self.update, self.publish):
            operation()
        self.random = random.Random(self.spec["seed"] * 1000 + self.spec["index"])

    def pick(self):
        return self.random.choices([kind for kind, _ in MIX], weights=[weight for _, weight in MIX])[0]

    def rollback(self):
        try:
            self.session.rollback()
        except Exception:  # noqa: BLE001, S110 - best effort after an error already counted
            pass


def rendezvous(spec):
    """Say ready, then wait for the driver's go; (start, end) in time.time()."""
    folder = spec["rendezvous"]
    with open(os.path.join(folder, f"ready-{spec['index']}"), "w") as handle:
        handle.write(str(os.getpid()))
    go = os.path.join(folder, "go")
    deadline = time.monotonic() + GO_TIMEOUT
    while not os.path.exists(go):
        if time.monotonic() > deadline:
            raise RuntimeError("the driver never said go")
        time.sleep(0.005)
    with open(go) as handle:  # complete: the driver renames it into place
        times = json.load(handle)
    pause = times["start"] - time.time()
    if pause > 0:
        time.sleep(pause)
    return times["start"], times["end"]


def warm(spec):
    """One session, closed at once: fills the schema cache before the concurrent processes read it."""
    new_session(spec).close()
    return {}


def run(spec):
    if spec.get("warm_only"):
        return warm(spec)
    load = Load(spec)
    load.warm_up()
    start, end = rendezvous(spec)
    latencies = {kind: [] for kind, _ in MIX}
    errors, messages = 0, []
    late = time.time() - start
    began = time.perf_counter()
    while time.time() < end:
        kind = load.pick()
        operation = getattr(load, kind)
        started = time.perf_counter()
        try:
            operation()
        except Exception as error:  # noqa: BLE001 - every failure under load is a finding
            errors += 1
            if len(messages) < KEPT_ERRORS:
                messages.append(f"{kind}: {type(error).__name__}: {error}"[:2000])
            load.rollback()
            continue
        latencies[kind].append(round((time.perf_counter() - started) * 1000.0, 3))
    elapsed = time.perf_counter() - began
    return {"latencies": latencies, "errors": errors, "error_messages": messages, "seconds": elapsed,
            "created": load.created, "late_ms": round(late * 1000.0, 2)}


def main():
    spec = json.loads(sys.argv[1])
    try:
        found = {"ok": True, **run(spec)}
    except Exception:  # noqa: BLE001  (any failure is reported; the driver prints it)
        found = {"ok": False, "error": traceback.format_exc()}
    found["ftrack_api"] = getattr(ftrack_api, "__version__", "?")
    sys.stdout.write(json.dumps(found) + "\n")
    sys.stdout.flush()
    # Leave at once, hub connected: a hub thread blocked on its socket must not hold the process.
    os._exit(0)


if __name__ == "__main__":
    main()
