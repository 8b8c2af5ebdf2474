"""A small socket.io 0.9 event server to test the client's event hub against.

It implements the part of the event hub protocol (``/work/shared/spec``
event-hub.md §1, §3, §7.1) a client exercises: the handshake with header or
query credentials, the websocket, ``1::`` then heartbeats, subscribe and
unsubscribe, routing events once per interested connection with targets, and
acks. On top of that it has knobs for faults that are hard to provoke on the
real server: dropping every connection (with or without ``0::`` first),
refusing handshakes, going silent, restarting on the same port.

It runs in threads of the test process on the ``websockets`` library's
threading server; the HTTP handshake is answered from ``process_request``.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from typing import Any

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import Server, ServerConnection, serve

from ftrack_api.event.expression import Expression, Parser

_HANDSHAKE_PATH = "/socket.io/1/"
_WEBSOCKET_PREFIX = "/socket.io/1/websocket/"
_META_TOPICS = {"ftrack.meta.subscribe", "ftrack.meta.unsubscribe"}
_ENVELOPE_KEYS = ("id", "topic", "data", "source", "target", "inReplyToEvent", "sent")


@dataclass
class _Client:
    """One open websocket and what it subscribed to."""

    sid: str
    user: str
    connection: ServerConnection
    subscribers: dict[str, tuple[dict[str, Any], Expression]] = field(default_factory=dict)
    send_lock: threading.Lock = field(default_factory=threading.Lock)

    def send(self, packet: str) -> None:
        with self.send_lock:
            try:
                self.connection.send(packet)
            except ConnectionClosed:
                pass


class SocketIoTestServer:
    """An event server on ``127.0.0.1``; use as a context manager.

    Attributes for tests to read: ``handshakes`` (the headers and query of
    every handshake request), ``upgrades`` (the headers of every websocket
    request), ``received`` (every packet clients sent),
    ``heartbeat_replies`` (how many ``2::``/``2:::`` came back) and
    ``connection_count`` (websockets opened so far). Knobs:
    ``refuse_handshakes`` (answer 503), ``silent`` (send nothing, not even
    ``1::`` or heartbeats).
    """

    def __init__(
        self,
        api_user: str = "admin",
        api_key: str = "secret",
        *,
        port: int = 0,
        heartbeat_interval: float = 10.0,
        transports: str = "websocket",
    ) -> None:
        self.api_user = api_user
        self.api_key = api_key
        self.port = port
        self.heartbeat_interval = heartbeat_interval
        self.transports = transports
        self.refuse_handshakes = False
        self.silent = False
        self.handshakes: list[dict[str, Any]] = []
        self.upgrades: list[dict[str, str]] = []
        self.received: list[str] = []
        self.heartbeat_replies = 0
        self.connection_count = 0
        self._lock = threading.Lock()
        self._sessions: dict[str, str] = {}  # sid -> user, until the websocket opens
        self._clients: list[_Client] = []
        self._server: Server | None = None
        self._thread: threading.Thread | None = None
        self._parser = Parser()

    # ------------------------------------------------------------------
    # Lifecycle

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> SocketIoTestServer:
        sock = socket.create_server(("127.0.0.1", self.port))
        self.port = sock.getsockname()[1]
        self._server = serve(
            self._handle_websocket,
            sock=sock,
            process_request=self._process_request,
            compression=None,
            max_size=None,
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="socketio-test-server", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening and close every connection (without ``0::``)."""
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        self.drop_connections(send_disconnect=False)
        if self._thread is not None:
            self._thread.join(10)
            self._thread = None

    def restart(self, downtime: float = 0.0) -> None:
        """Stop, stay down for *downtime* seconds, start on the same port."""
        self.stop()
        time.sleep(downtime)
        self.start()

    def __enter__(self) -> SocketIoTestServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # ------------------------------------------------------------------
    # Faults and inspection

    def drop_connections(self, send_disconnect: bool = True) -> None:
        """Close every open websocket from the server side, sending ``0::``
        first when *send_disconnect*."""
        with self._lock:
            clients, self._clients = list(self._clients), []
        for client in clients:
            if send_disconnect:
                client.send("0::")
            try:
                client.connection.close()
            except Exception:  # noqa: BLE001 - already gone is fine
                pass

    def send_to_all(self, packet: str) -> None:
        """Send a raw *packet* to every open connection."""
        for client in self.clients():
            client.send(packet)

    def clients(self) -> list[_Client]:
        with self._lock:
            return list(self._clients)

    def subscriber_ids(self) -> set[str]:
        """The ids of every subscriber registered on any open connection."""
        return {identifier for client in self.clients() for identifier in client.subscribers}

    # ------------------------------------------------------------------
    # HTTP: the handshake, and checking the websocket's session id

    def _process_request(self, connection: ServerConnection, request: Any) -> Any:
        parsed = urllib.parse.urlsplit(request.path)
        if parsed.path == _HANDSHAKE_PATH:
            return self._handshake(connection, request, parsed)
        if parsed.path.startswith(_WEBSOCKET_PREFIX):
            sid = parsed.path[len(_WEBSOCKET_PREFIX):]
            self.upgrades.append(
                {name.lower(): value for name, value in request.headers.raw_items()})
            with self._lock:
                known = sid in self._sessions
            if not known:
                return connection.respond(404, "Unknown session id.\n")
            return None
        return connection.respond(404, "Not found.\n")

    def _handshake(self, connection: ServerConnection, request: Any, parsed: Any) -> Any:
        query = dict(urllib.parse.parse_qsl(parsed.query))
        headers = {name.lower(): value for name, value in request.headers.raw_items()}
        self.handshakes.append({"headers": headers, "query": query})
        if self.refuse_handshakes:
            return connection.respond(503, "Not now.\n")
        user = headers.get("ftrack-user") or query.get("api_user")
        key = headers.get("ftrack-api-key") or query.get("api_key")
        if user != self.api_user or key != self.api_key:
            return connection.respond(401, "Bad credentials.\n")
        sid = uuid.uuid4().hex
        with self._lock:
            self._sessions[sid] = user
        return connection.respond(200, f"{sid}:60:60:{self.transports}")

    # ------------------------------------------------------------------
    # Websocket: packets

    def _handle_websocket(self, connection: ServerConnection) -> None:
        sid = urllib.parse.urlsplit(connection.request.path).path[len(_WEBSOCKET_PREFIX):]
        with self._lock:
            user = self._sessions.pop(sid)
            client = _Client(sid, user, connection)
            self._clients.append(client)
            self.connection_count += 1
        stop_heartbeat = threading.Event()
        if not self.silent:
            client.send("1::")
            threading.Thread(
                target=self._heartbeat, args=(client, stop_heartbeat), daemon=True
            ).start()
        try:
            for message in connection:
                if isinstance(message, str):
                    self._receive(client, message)
        except ConnectionClosed:
            pass
        finally:
            stop_heartbeat.set()
            with self._lock:
                if client in self._clients:
                    self._clients.remove(client)

    def _heartbeat(self, client: _Client, stop: threading.Event) -> None:
        while not stop.wait(self.heartbeat_interval):
            if not self.silent:
                client.send("2::")

    def _receive(self, client: _Client, packet: str) -> None:
        self.received.append(packet)
        code, packet_id, _endpoint, data = (packet.split(":", 3) + ["", "", ""])[:4]
        if code == "2":
            self.heartbeat_replies += 1
            return
        if code != "5":
            return
        try:
            payload = json.loads(data)
            (event,) = payload["args"]
            topic = event["topic"]
        except (ValueError, KeyError, TypeError):
            self._ack(client, packet_id, {"success": False, "message": "Bad event packet."})
            return
        if topic == "ftrack.meta.subscribe":
            result = self._subscribe(client, event.get("data") or {})
        elif topic == "ftrack.meta.unsubscribe":
            subscriber = (event.get("data") or {}).get("subscriber") or {}
            client.subscribers.pop(subscriber.get("id"), None)
            result = {"success": True}
        else:
            result = self._route(event)
        self._ack(client, packet_id, result)

    def _subscribe(self, client: _Client, data: dict[str, Any]) -> dict[str, Any]:
        metadata = data.get("subscriber") or {}
        try:
            expression = self._parser.parse(data.get("subscription") or "")
        except Exception as error:  # noqa: BLE001 - any parse failure is a bad expression
            return {"success": False, "message": f"Bad subscription: {error}"}
        client.subscribers[metadata.get("id")] = (metadata, expression)
        return {"success": True}

    def _route(self, event: dict[str, Any]) -> dict[str, Any]:
        target = None
        if event.get("target"):
            try:
                target = self._parser.parse(event["target"])
            except Exception:  # noqa: BLE001
                return {"success": False, "message": "Bad target."}
        envelope = {key: event[key] for key in _ENVELOPE_KEYS if key in event}
        packet = "5:::" + json.dumps({"name": "ftrack.event", "args": [envelope]})
        for client in self.clients():
            if any(
                _matches(expression, envelope)
                and (target is None or _matches(target, metadata))
                for metadata, expression in list(client.subscribers.values())
            ):
                client.send(packet)
        return {"success": True}

    def _ack(self, client: _Client, packet_id: str, result: dict[str, Any]) -> None:
        if packet_id.endswith("+"):
            client.send(f"6:::{packet_id}{json.dumps([result])}")


def _matches(expression: Expression, candidate: Any) -> bool:
    try:
        return bool(expression.match(candidate))
    except Exception:  # noqa: BLE001 - comparing against non-strings is no match
        return False
