"""One side of an event hub benchmark run, inside the process of the client under test.

benchmarks/events.py runs this file with the interpreter of the client under
test (the official client's venv or ours, ``python -I`` from a scratch
directory), so whichever ``ftrack_api`` that interpreter has is the one
measured. It uses only the public ``EventHub`` API: ``connect``,
``subscribe``, ``publish``, ``wait`` and ``disconnect``.

    python -I _events_workload.py '<json spec>'

Two roles, named by ``spec["role"]``:

``subscribe``
    Opens ``hubs`` hubs, each subscribing to ``topic``, and checks that the
    server has registered each subscription (the hub publishes an event
    targeted at its own subscriber and waits for it to come back). Then it
    prints ``{"ready": true}`` and handles events, one thread per hub calling
    ``hub.wait``, until every hub has received ``expect`` events, nothing has
    arrived for ``idle`` seconds, or ``timeout`` seconds have passed. The
    callback records ``time.time()`` on arrival and the publisher's stamp.

``publish``
    Opens one hub, prints ``{"ready": true}``, waits for a ``go`` line on
    stdin, then publishes ``count`` events on ``topic``, each carrying its
    sequence number and ``time.time()`` just before ``publish``: every
    ``interval`` seconds (latency runs) or as fast as it can (``interval``
    0, throughput runs).

The server and credentials come from ``FTRACK_SERVER``, ``FTRACK_API_USER``
and ``FTRACK_API_KEY``. The last line of stdout is one JSON document:
``{"ok": true, ...}`` or ``{"ok": false, "error": traceback}``.
"""

import json
import os
import sys
import threading
import time
import traceback
import uuid

import ftrack_api
from ftrack_api.event.base import Event
from ftrack_api.event.hub import EventHub

#: Seconds allowed for all hubs of a process to see their own probe event.
READY_TIMEOUT = 60.0
#: Hubs to disconnect once the report is out (closing is not part of any figure).
_OPEN_HUBS = []


def _say(document):
    sys.stdout.write(json.dumps(document) + "\n")
    sys.stdout.flush()


def _new_hub():
    return EventHub(os.environ["FTRACK_SERVER"], os.environ["FTRACK_API_USER"], os.environ["FTRACK_API_KEY"])


def _close(hubs):
    """Disconnect every hub, in parallel and bounded: the figures are already taken."""
    def close(hub):
        try:
            hub.disconnect(unsubscribe=False)
        except Exception:  # noqa: BLE001, S110 - closing is best effort
            pass

    threads = [threading.Thread(target=close, args=(hub,), daemon=True) for hub in hubs]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 10
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))


class Listener:
    """One subscribing hub: what it received and when."""

    def __init__(self, expect):
        self.expect = expect
        self.subscriber_id = f"bench-{uuid.uuid4().hex}"
        self.ready = threading.Event()
        self.done = threading.Event()
        self.latencies = []  # seconds from the publisher's stamp to the callback
        self.seqs = []  # the publisher's sequence number of each
        self.first = None
        self.last = None

    def on_event(self, event):
        """Record the event; returns None, so no reply is sent."""
        now = time.time()
        data = event["data"]
        if data.get("probe"):
            self.ready.set()
            return
        self.latencies.append(now - data["t"])
        self.seqs.append(data["seq"])
        if self.first is None:
            self.first = now
        self.last = now
        if len(self.latencies) >= self.expect:
            self.done.set()


def subscribe(spec):
    topic = spec["topic"]
    started = time.monotonic()
    deadline = started + spec["timeout"]
    hubs, listeners, connects = [], [], []
    for _ in range(spec["hubs"]):
        hub = _new_hub()
        before = time.perf_counter()
        hub.connect()
        connects.append(time.perf_counter() - before)
        listener = Listener(spec["expect"])
        hub.subscribe(f"topic={topic}", listener.on_event, subscriber={"id": listener.subscriber_id})
        hubs.append(hub)
        listeners.append(listener)
    connected = time.monotonic() - started

    stop = threading.Event()

    def handle(hub, listener):
        while not listener.done.is_set() and not stop.is_set():
            hub.wait(0.05)

    threads = [threading.Thread(target=handle, args=pair, daemon=True) for pair in zip(hubs, listeners)]
    for thread in threads:
        thread.start()
    # A probe targeted at the hub's own subscriber comes back only once the
    # server has registered that subscriber (one connection's packets are
    # handled in order).
    for hub, listener in zip(hubs, listeners):
        hub.publish(Event(topic, data={"probe": True}, target=f"id={listener.subscriber_id}"))
    ready_by = time.monotonic() + READY_TIMEOUT
    for listener in listeners:
        listener.ready.wait(max(0.0, ready_by - time.monotonic()))
    missing = sum(not listener.ready.is_set() for listener in listeners)
    if missing:
        stop.set()
        raise RuntimeError(f"{missing} of {len(hubs)} hubs never received their own probe event")
    _say({"ready": True, "connect_seconds": connected})

    idle = spec["idle"]
    while True:
        if all(listener.done.is_set() for listener in listeners):
            break
        now = time.monotonic()
        if now > deadline:
            break
        last = max((listener.last or 0.0) for listener in listeners)
        if last and time.time() - last > idle:
            break
        time.sleep(0.05)
    stop.set()
    for thread in threads:
        thread.join(1.0)
    found = {
        "hubs": len(hubs),
        "counts": [len(listener.latencies) for listener in listeners],
        "latencies": [round(value * 1000.0, 4) for listener in listeners for value in listener.latencies],
        "seqs": [seq for listener in listeners for seq in listener.seqs],
        "first": min((listener.first for listener in listeners if listener.first), default=None),
        "last": max((listener.last for listener in listeners if listener.last), default=None),
        "connect_seconds": connected,
        "hub_connect_ms": [round(value * 1000.0, 3) for value in connects],
    }
    _OPEN_HUBS.extend(hubs)
    return found


def publish(spec):
    hub = _new_hub()
    hub.connect()
    topic, count, interval = spec["topic"], spec["count"], spec["interval"]
    _say({"ready": True})
    if sys.stdin.readline().strip() != "go":
        raise RuntimeError("expected 'go' on stdin")
    started = time.time()
    clock = time.perf_counter()
    for seq in range(count):
        if interval:
            pause = clock + seq * interval - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
        hub.publish(Event(topic, data={"seq": seq, "t": time.time()}))
    ended = time.time()
    # Let the server's acknowledgements come back before leaving.
    time.sleep(0.2)
    _OPEN_HUBS.append(hub)
    return {"started": started, "ended": ended, "count": count}


ROLES = {"subscribe": subscribe, "publish": publish}


def main():
    spec = json.loads(sys.argv[1])
    try:
        found = {"ok": True, **ROLES[spec["role"]](spec)}
    except Exception:  # noqa: BLE001  (any failure is reported; the caller prints it)
        found = {"ok": False, "error": traceback.format_exc()}
    found["ftrack_api"] = getattr(ftrack_api, "__version__", "?")
    _say(found)
    _close(_OPEN_HUBS)
    # Leave at once: a hub thread still blocked on its socket must not hold the process.
    os._exit(0)


if __name__ == "__main__":
    main()
