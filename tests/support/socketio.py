"""A raw socket.io 0.9 client for protocol-level tests of the event hub.

It speaks the wire format directly (httpx for the handshake, the
``websockets`` library for the socket) so tests can send exactly the packets
they mean, malformed ones included, and see exactly what the server sends.
:class:`StalledClient` goes one step further down: a bare TCP socket that
completes the websocket upgrade and then never reads, like a client whose
process has frozen.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import struct
import time
import uuid
from typing import Any, Callable, Iterable
from urllib.parse import urlsplit

import httpx
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

EVENT_KEYS = {"id", "topic", "data", "source", "target", "inReplyToEvent", "sent"}


def handshake(url: str, api_user: str | None, api_key: str | None, *, via: str = "headers") -> httpx.Response:
    """``GET /socket.io/1/`` with credentials as headers (Python client) or query (JavaScript client)."""
    headers, params = {}, {}
    if via == "headers":
        if api_user is not None:
            headers["ftrack-user"] = api_user
        if api_key is not None:
            headers["ftrack-api-key"] = api_key
    else:
        if api_user is not None:
            params["api_user"] = api_user
        if api_key is not None:
            params["api_key"] = api_key
    return httpx.get(f"{url}/socket.io/1/", headers=headers, params=params, timeout=10)


def websocket_url(url: str, sid: str) -> str:
    return f"ws{url[len('http'):]}/socket.io/1/websocket/{sid}"


class EventClient:
    """One socket.io connection. Received frames are kept in order in ``frames``.

    With ``answer_heartbeats`` (the default) every ``2::`` is answered with
    ``2:::``, as the Python client does, while reading.
    """

    def __init__(self, url: str, api_user: str, api_key: str, *, via: str = "headers",
                 answer_heartbeats: bool = True) -> None:
        response = handshake(url, api_user, api_key, via=via)
        if response.status_code != 200:
            raise AssertionError(f"handshake refused: {response.status_code} {response.text}")
        self.handshake_text = response.text
        self.sid = response.text.split(":")[0]
        self.hub_id = uuid.uuid4().hex
        self.api_user = api_user
        self.answer_heartbeats = answer_heartbeats
        self.heartbeats = 0
        self.frames: list[str] = []
        self._pending: list[str] = []
        self._next_id = 0
        self.ws: ClientConnection = connect(websocket_url(url, self.sid), max_size=None, proxy=None,
                                            ping_interval=None, open_timeout=10, legacy=True)

    @classmethod
    def of(cls, server: Any, **kw: Any) -> "EventClient":
        return cls(server.url, server.api_user, server.api_key, **kw)

    # Sending --------------------------------------------------------------------------

    def send(self, frame: str | bytes) -> None:
        self.ws.send(frame)

    def emit(self, event: dict, *, ack: bool = True) -> int | None:
        """Send an event packet (``5:<n>+::`` when `ack`, else ``5:::``); return the message id."""
        payload = json.dumps({"name": "ftrack.event", "args": [event]}, ensure_ascii=False)
        if not ack:
            self.send(f"5:::{payload}")
            return None
        self._next_id += 1
        self.send(f"5:{self._next_id}+::{payload}")
        return self._next_id

    def event(self, topic: str, data: Any = None, **fields: Any) -> dict:
        """An envelope as the Python client fills it in."""
        envelope = {
            "id": uuid.uuid4().hex, "topic": topic, "data": {} if data is None else data,
            "source": {"id": self.hub_id, "user": {"username": self.api_user}},
            "target": "", "inReplyToEvent": None, "sent": None,
        }
        envelope.update(fields)
        return envelope

    def publish(self, topic: str, data: Any = None, *, ack: bool = True, **fields: Any) -> dict:
        envelope = self.event(topic, data, **fields)
        message_id = self.emit(envelope, ack=ack)
        if ack:
            result = self.ack(message_id)
            assert result == {"success": True}, result
        return envelope

    def subscribe(self, subscription: str, subscriber_id: str | None = None, *, check: bool = True,
                  **metadata: Any) -> dict:
        """Register a subscriber; return the server's ack result."""
        subscriber = {"id": subscriber_id or uuid.uuid4().hex, **metadata}
        message_id = self.emit(self.event("ftrack.meta.subscribe",
                                          {"subscriber": subscriber, "subscription": subscription}))
        result = self.ack(message_id)
        if check:
            assert result == {"success": True}, result
        return result

    def unsubscribe(self, subscriber_id: str) -> dict:
        message_id = self.emit(self.event("ftrack.meta.unsubscribe", {"subscriber": {"id": subscriber_id}}))
        return self.ack(message_id)

    def subscribe_replies(self) -> None:
        """The reply subscriber every hub registers: ``topic=ftrack.meta.reply`` with the hub id."""
        self.subscribe("topic=ftrack.meta.reply", self.hub_id)

    # Receiving ------------------------------------------------------------------------

    def _read(self, timeout: float) -> str | None:
        """The next frame from the socket other than a heartbeat, or None when none arrives in time."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            try:
                frame = self.ws.recv(timeout=remaining)
            except TimeoutError:
                return None
            assert isinstance(frame, str), f"binary frame from the server: {frame!r}"
            self.frames.append(frame)
            if frame == "2::":
                self.heartbeats += 1
                if self.answer_heartbeats:
                    self.send("2:::")
                continue
            return frame

    def recv(self, timeout: float) -> str | None:
        """The next frame not yet consumed (heartbeats excepted), or None after `timeout` seconds."""
        if self._pending:
            return self._pending.pop(0)
        return self._read(timeout)

    def expect(self, predicate: Callable[[str], bool], timeout: float = 5.0, what: str = "frame") -> str:
        """The first unconsumed frame satisfying `predicate`; frames passed over stay for later reads."""
        for position, frame in enumerate(self._pending):
            if predicate(frame):
                del self._pending[position]
                return frame
        deadline = time.monotonic() + timeout
        while True:
            frame = self._read(max(0.0, deadline - time.monotonic()))
            if frame is None:
                raise AssertionError(f"no {what} within {timeout} s; frames so far: {self.frames[-10:]}")
            if predicate(frame):
                return frame
            self._pending.append(frame)

    def ack(self, message_id: int | None, timeout: float = 5.0) -> dict:
        """The single object of the ack for `message_id`."""
        prefix = f"6:::{message_id}+"
        frame = self.expect(lambda f: f.startswith(prefix), timeout, f"ack {message_id}")
        body = json.loads(frame[len(prefix):])
        assert isinstance(body, list) and len(body) == 1 and isinstance(body[0], dict), frame
        return body[0]

    def next_event(self, timeout: float = 5.0, topic: str | None = None) -> dict:
        """The envelope of the next event packet (of `topic`, when given)."""
        def wanted(frame: str) -> bool:
            return frame.startswith("5:::") and (
                topic is None or json.loads(frame[4:])["args"][0].get("topic") == topic)
        frame = self.expect(wanted, timeout, f"event {topic or ''}".strip())
        payload = json.loads(frame[4:])
        assert payload["name"] == "ftrack.event" and len(payload["args"]) == 1, frame
        return payload["args"][0]

    def events(self, duration: float) -> list[dict]:
        """Every event envelope received during the next `duration` seconds."""
        found = []
        deadline = time.monotonic() + duration
        while (remaining := deadline - time.monotonic()) > 0:
            frame = self.recv(remaining)
            if frame is not None and frame.startswith("5:::"):
                found.append(json.loads(frame[4:])["args"][0])
        return found

    def wait_closed(self, timeout: float) -> list[str]:
        """Read until the server closes the connection; return the frames read meanwhile."""
        seen: list[str] = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                frame = self.ws.recv(timeout=max(0.01, deadline - time.monotonic()))
            except TimeoutError:
                break
            except ConnectionClosed:
                return seen
            seen.append(frame if isinstance(frame, str) else repr(frame))
        raise AssertionError(f"the server kept the connection open for {timeout} s; frames: {seen[-10:]}")

    def close(self) -> None:
        self.ws.close()

    def __enter__(self) -> "EventClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class StalledClient:
    """A websocket client that subscribes and then never reads from its socket.

    Built on a bare TCP socket with a small receive buffer so the server's
    writes back up quickly. Frames it sends are masked text frames, as the
    protocol requires of clients.
    """

    def __init__(self, url: str, api_user: str, api_key: str) -> None:
        response = handshake(url, api_user, api_key)
        assert response.status_code == 200, response.text
        self.sid = response.text.split(":")[0]
        parts = urlsplit(url)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self.sock.settimeout(10)
        self.sock.connect((parts.hostname, parts.port))
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((
            f"GET /socket.io/1/websocket/{self.sid} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
            f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n"
        ).encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(1)
            assert chunk, "connection closed during the upgrade"
            head += chunk
        assert head.startswith(b"HTTP/1.1 101"), head
        # From here on, nothing is read until `drain`.

    def send_text(self, text: str) -> None:
        payload = text.encode()
        mask = os.urandom(4)
        header = bytearray([0x81])
        if len(payload) < 126:
            header.append(0x80 | len(payload))
        elif len(payload) < 1 << 16:
            header.append(0x80 | 126)
            header += struct.pack("!H", len(payload))
        else:
            header.append(0x80 | 127)
            header += struct.pack("!Q", len(payload))
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(bytes(header) + mask + masked)

    def subscribe(self, subscription: str) -> None:
        event = {"id": uuid.uuid4().hex, "topic": "ftrack.meta.subscribe", "source": {}, "target": "",
                 "data": {"subscriber": {"id": uuid.uuid4().hex}, "subscription": subscription}}
        self.send_text("5:::" + json.dumps({"name": "ftrack.event", "args": [event]}))

    def drain(self, timeout: float) -> int:
        """Read everything until the server closes the socket; return how many bytes came."""
        self.sock.settimeout(timeout)
        total = 0
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                chunk = self.sock.recv(1 << 20)
            except (TimeoutError, socket.timeout):
                raise AssertionError(f"the server did not close the stalled connection within {timeout} s")
            except ConnectionResetError:
                return total
            if not chunk:
                return total
            total += len(chunk)
        raise AssertionError(f"the server did not close the stalled connection within {timeout} s")

    def close(self) -> None:
        self.sock.close()


def event_payloads(frames: Iterable[str]) -> list[dict]:
    return [json.loads(f[4:])["args"][0] for f in frames if f.startswith("5:::")]
