"""One client's websocket: reading packets, a bounded send queue, heartbeats.

Three tasks share a connection: the reader handles what the client sends,
the writer drains the send queue into the socket, and the ticker sends
heartbeats and closes the connection when the client has been silent too
long. A client that stops reading fills its queue and is dropped, so one slow
client never holds more than the queue's bound in server memory.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import time
from typing import TYPE_CHECKING

from starlette.websockets import WebSocket

from . import envelope as envelopes
from . import packets
from .router import SubscriptionError, parse_expression
from .sessions import EventUser

if TYPE_CHECKING:
    from .bus import EventBus

log = logging.getLogger("ftrack_server.events")

#: Where `endpoint.ExposeAbort` puts the function that cuts a client's connection.
ABORT_KEY = "openftrack.abort"
#: Malformed packets logged per connection before the rest are only counted.
_MALFORMED_LOGGED = 20
#: Seconds allowed for the goodbye packet and close frame of a connection we end.
_CLOSE_WAIT = 2.0


class Connection:
    """A connected client: `send` queues a packet; `serve` runs until the connection ends."""

    def __init__(self, websocket: WebSocket, user: EventUser, sid: str, bus: EventBus):
        self.websocket = websocket
        self.user = user
        self.sid = sid
        self.bus = bus
        self.settings = bus.settings
        self._queue: collections.deque[str] = collections.deque()
        self._queued_chars = 0
        self._ready = asyncio.Event()
        self._ended = asyncio.Event()
        self._end_reason = ""
        self._last_seen = time.monotonic()
        self._malformed = 0
        client = websocket.client
        self.name = f"{user.username}@{client.host}:{client.port}" if client else user.username

    def __repr__(self) -> str:
        return f"<Connection {self.name} sid={self.sid[-8:]}>"

    # Sending --------------------------------------------------------------------------

    def send(self, frame: str) -> bool:
        """Queue `frame`; False when the connection is ending or was dropped for being full."""
        if self._ended.is_set():
            return False
        settings = self.settings
        if self._queue and (
            len(self._queue) >= settings.queue_frames or self._queued_chars + len(frame) > settings.queue_bytes
        ):
            log.warning(
                "Dropping event connection %s: it stopped reading and its send queue is full "
                "(%d packets, %d characters waiting).",
                self.name, len(self._queue), self._queued_chars,
            )
            self._queue.clear()
            self._queued_chars = 0
            self.end("overflow")
            return False
        self._queue.append(frame)
        self._queued_chars += len(frame)
        self._ready.set()
        return True

    # Lifetime -------------------------------------------------------------------------

    async def serve(self) -> None:
        """Accept the websocket and run until the client leaves or is dropped."""
        await self.websocket.accept()
        router = self.bus.router
        router.add(self)
        self.send(packets.CONNECT_PACKET)
        log.info("Event connection %s opened.", self.name)
        tasks = [
            asyncio.create_task(self._read(), name=f"events-read-{self.sid[-8:]}"),
            asyncio.create_task(self._write(), name=f"events-write-{self.sid[-8:]}"),
            asyncio.create_task(self._tick(), name=f"events-tick-{self.sid[-8:]}"),
            asyncio.create_task(self._ended.wait()),
        ]
        try:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                if not task.cancelled() and task.exception() is not None:
                    log.error("Event connection %s failed.", self.name, exc_info=task.exception())
        finally:
            router.remove(self)
            self.end(self._end_reason or "closed")
            self._queue.clear()
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await self._close()
            log.info("Event connection %s closed (%s).", self.name, self._end_reason)

    def end(self, reason: str) -> None:
        """Stop serving this connection (`serve` then cleans up), remembering why."""
        if not self._ended.is_set():
            self._end_reason = reason
            self._ended.set()

    async def _close(self) -> None:
        """Say goodbye when we chose to end the connection; cut it when the client cannot hear it."""
        if self._end_reason == "overflow":
            # The client stopped reading: a close frame would never get through.
            self._abort()
            return
        if self._end_reason not in ("timeout", "server"):
            return  # the client left already
        try:
            await asyncio.wait_for(self.websocket.send_text(packets.DISCONNECT_PACKET), _CLOSE_WAIT)
            await asyncio.wait_for(self.websocket.close(), _CLOSE_WAIT)
        except asyncio.TimeoutError:
            self._abort()
        except Exception:  # noqa: BLE001 - the client is gone already
            pass

    def _abort(self) -> None:
        """Cut the TCP connection, dropping what is still buffered for it (see `endpoint.ExposeAbort`)."""
        abort = self.websocket.scope.get(ABORT_KEY)
        if abort is not None:
            with contextlib.suppress(Exception):
                abort()

    async def _write(self) -> None:
        queue = self._queue
        while True:
            while not queue:
                self._ready.clear()
                await self._ready.wait()
            frame = queue.popleft()
            self._queued_chars -= len(frame)
            try:
                await self.websocket.send_text(frame)
            except Exception:  # noqa: BLE001 - any failure to write means the client is gone
                self.end("gone")
                return

    async def _tick(self) -> None:
        interval = self.settings.heartbeat_interval
        timeout = self.settings.timeout
        while True:
            await asyncio.sleep(min(interval, timeout))
            silent = time.monotonic() - self._last_seen
            if silent > timeout:
                log.warning("Closing event connection %s: nothing received for %.0f s.", self.name, silent)
                self.end("timeout")
                return
            self.send(packets.HEARTBEAT_PACKET)

    # Receiving ------------------------------------------------------------------------

    async def _read(self) -> None:
        while True:
            try:
                message = await self.websocket.receive()
            except Exception:  # noqa: BLE001 - a broken socket ends the connection
                self.end("gone")
                return
            if message["type"] == "websocket.disconnect":
                self.end("client")
                return
            self._last_seen = time.monotonic()
            text = message.get("text")
            if text is None:
                self._malformed_packet("a binary frame (only text frames are understood)")
                continue
            try:
                self.handle(text)
            except Exception:  # noqa: BLE001 - one bad packet must not end the connection
                log.exception("Event connection %s: failed to handle a packet.", self.name)

    def handle(self, frame: str) -> None:
        """Act on one received frame."""
        try:
            packet = packets.parse(frame)
        except packets.PacketError as error:
            self._malformed_packet(str(error))
            return
        if packet.type == packets.EVENT:
            self._event(packet)
        elif packet.type == packets.DISCONNECT:
            self.end("client")
        elif packet.type != packets.HEARTBEAT:
            log.debug("Event connection %s: ignored packet type %s.", self.name, packet.type)

    def _event(self, packet: packets.Packet) -> None:
        try:
            payload = packets.loads(packet.data)
        except ValueError as error:
            self._malformed_packet(f"event data is not JSON ({error})")
            self._ack(packet, False, f"The event packet data is not JSON: {error}")
            return
        try:
            event = envelopes.from_payload(payload)
        except envelopes.EnvelopeError as error:
            self._malformed_packet(str(error))
            self._ack(packet, False, str(error))
            return
        topic = event["topic"]
        router = self.bus.router
        try:
            if topic == envelopes.SUBSCRIBE_TOPIC:
                subscriber = router.subscribe(self, event["data"])
                log.debug("Event connection %s subscribed %s to %r.", self.name, subscriber.id, subscriber.subscription)
            elif topic == envelopes.UNSUBSCRIBE_TOPIC:
                router.unsubscribe(self, event["data"])
            else:
                if event["target"]:
                    parse_expression(event["target"], "target")
                self.bus.publish(event)
        except SubscriptionError as error:
            log.warning("Event connection %s: %s", self.name, error)
            self._ack(packet, False, str(error))
            return
        self._ack(packet, True)

    def _ack(self, packet: packets.Packet, success: bool, message: str | None = None) -> None:
        if not packet.wants_ack:
            return
        result: dict = {"success": success}
        if message is not None:
            result["message"] = message
        self.send(packets.ack(packet.message_id, result))

    def _malformed_packet(self, reason: str) -> None:
        self._malformed += 1
        if self._malformed <= _MALFORMED_LOGGED:
            log.warning("Event connection %s sent a malformed packet: %s", self.name, reason)
            if self._malformed == _MALFORMED_LOGGED:
                log.warning("Event connection %s: further malformed packets are not logged.", self.name)
