"""The event hub: local subscribers, publishing, replies, and the connection
to an ftrack event server.

Events reach subscribers two ways. A *synchronous* publish runs this
process's matching callbacks at once, in the publisher's thread, and returns
their results; nothing leaves the process. Everything else goes through the
server: an asynchronous publish sends the event, the server routes it back
to every interested connection, a background thread puts what arrives on
``_event_queue``, and :meth:`EventHub.wait` runs the callbacks in the thread
that calls it. A callback's return value is sent back as a reply, which the
publisher's ``on_reply`` receives.

The connection itself is socket.io 0.9 over a websocket. Everything above the
transport (subscribers, queues, packets, acks, replies, reconnection) lives
here; opening the transport (:meth:`EventHub._open_connection`) is in
:mod:`ftrack_api.event._socketio`.
"""

from __future__ import annotations

import collections.abc
import functools
import json
import logging
import operator
import platform
import queue
import threading
import time
import urllib.parse
import uuid
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Any, NamedTuple, Protocol

from ftrack_api.event.base import Event
from ftrack_api.event.expression import Parser
from ftrack_api.event.subscriber import Subscriber
from ftrack_api.exception import (
    EventHubConnectionError,
    EventHubPacketError,
    NotFoundError,
    NotUniqueError,
)

__all__ = ["EventHub", "ServerDetails", "SocketIoSession"]

#: Topics the hub itself publishes or consumes.
SUBSCRIBE_TOPIC = "ftrack.meta.subscribe"
UNSUBSCRIBE_TOPIC = "ftrack.meta.unsubscribe"
REPLY_TOPIC = "ftrack.meta.reply"
CONNECTED_TOPIC = "ftrack.meta.connected"
DISCONNECTED_TOPIC = "ftrack.meta.disconnected"

# Reply callbacks are kept for every reply an event gets; beyond this many
# published events the oldest callbacks are forgotten.
_MAX_REPLY_CALLBACKS = 10_000

_by_priority = operator.attrgetter("priority")


class ServerDetails(NamedTuple):
    """Where the event server is."""

    scheme: str
    hostname: str
    port: int | None


class SocketIoSession(NamedTuple):
    """The answer to a socket.io handshake."""

    id: str
    heartbeatTimeout: str
    supportedTransports: list[str]


class _Connection(Protocol):
    """What the hub needs from an open transport (a websocket)."""

    @property
    def connected(self) -> bool: ...

    def send(self, text: str) -> Any: ...

    def recv(self) -> str: ...

    def close(self) -> Any: ...


def _as_dict(mapping: Any, name: str) -> dict[str, Any]:
    if not isinstance(mapping, collections.abc.Mapping):
        raise TypeError(f"Expected {name} to be a mapping, got {mapping!r}.")
    return dict(mapping)


class EventHub:
    """Routes events between local subscribers and an ftrack event server.

    *server_url* must have a scheme and a hostname (``ValueError``
    otherwise); only those and the port are used. *headers* and *cookies*
    are optional mappings sent when connecting (``TypeError`` otherwise).
    """

    def __init__(
        self,
        server_url: str,
        api_user: str,
        api_key: str,
        headers: Mapping[str, str] | None = None,
        cookies: Mapping[str, str] | None = None,
    ):
        self.logger = logging.getLogger(f"{__name__}.{type(self).__name__}")
        self.id: str = uuid.uuid4().hex

        self._server_url = server_url
        self._api_user = api_user
        self._api_key = api_key
        parsed = urllib.parse.urlparse(server_url)
        if not parsed.scheme:
            raise ValueError("Could not determine scheme from server url.")
        if not parsed.hostname:
            raise ValueError("Could not determine hostname from server url.")
        self.server = ServerDetails(parsed.scheme, parsed.hostname, parsed.port)
        self._headers = _as_dict(headers or {}, "headers")
        self._cookies = _as_dict(cookies or {}, "cookies")
        self._host = platform.node()

        # Guards subscribers, the connection state and the send queue.
        self._lock = threading.RLock()
        self._subscribers: list[Subscriber] = []
        self._reply_callbacks: dict[str, Callable[[Event], Any]] = {}
        self._expression_parser = Parser()

        #: Events received (or made locally, such as meta events) waiting
        #: for :meth:`wait` to handle them.
        self._event_queue: queue.Queue[Event] = queue.Queue()
        #: ``(event, synchronous, callback, on_reply)`` published while the
        #: connection was still being made; sent once connected.
        self._event_send_queue: queue.Queue[tuple[Any, ...]] = queue.Queue()

        # Connection state. ``_connection_initialised`` means "a connection is
        # wanted": publishes queue instead of failing while it is not up.
        self._connection: _Connection | None = None
        self._connection_initialised = False
        self._intentional_disconnect = False
        self._receiver: _ReceiverThread | None = None
        # A connect or reconnect is under way; a ``disconnect()`` meanwhile
        # cancels it (setting ``_stop_reconnecting``).
        self._connecting = False
        self._reconnecting = False
        self._stop_reconnecting = threading.Event()

        # Packet layer.
        self._event_namespace = "ftrack.event"
        self._send_lock = threading.Lock()
        self._unique_packet_id = 0
        self._packet_callbacks: dict[int, Callable[..., Any]] = {}
        self._code_name_mapping: dict[str, str] = {
            "0": "disconnect",
            "1": "connect",
            "2": "heartbeat",
            "3": "message",
            "4": "json",
            "5": "event",
            "6": "acknowledge",
            "7": "error",
        }
        self._code_name_mapping.update(
            {name: code for code, name in list(self._code_name_mapping.items())}
        )

        # Timings (seconds).
        self._auto_reconnect_attempts = 30
        self._auto_reconnect_delay = 10.0
        #: Handshake and websocket opening.
        self._connect_timeout = 60.0
        #: Silence from the server longer than this counts as a lost
        #: connection (servers send heartbeats every few seconds).
        self._receive_timeout = 60.0
        self._close_timeout = 5.0
        self._send_retry_delay = 15.0
        self._wait_timeout = 4.0
        self._wait_poll_interval = 1.0

    # ------------------------------------------------------------------
    # Server address

    def get_server_url(self) -> str:
        """Return ``scheme://host[:port]`` of the event server."""
        return f"{self.server.scheme}://{self.get_network_location()}"

    def get_network_location(self) -> str:
        """Return ``host[:port]`` of the event server."""
        if self.server.port:
            return f"{self.server.hostname}:{self.server.port}"
        return self.server.hostname

    @property
    def secure(self) -> bool:
        """Whether the server is reached over TLS (an ``https`` URL)."""
        return self.server.scheme == "https"

    # ------------------------------------------------------------------
    # Connection lifecycle

    @property
    def connected(self) -> bool:
        """Whether a connection to the server is open."""
        connection = self._connection
        return connection is not None and connection.connected

    def init_connection(self) -> None:
        """Mark that a connection is wanted, so asynchronous publishes queue
        (and :meth:`wait` works) until it is up."""
        self.logger.debug("Connection initialised.")
        self._connection_initialised = True
        self._ensure_reply_subscriber()

    def connect(self) -> None:
        """Connect to the event server.

        Then announce every subscriber and send the queued publishes. Raise
        :exc:`~ftrack_api.exception.EventHubConnectionError` if already
        connected or if connecting fails.
        """
        if not self._connection_initialised:
            self.init_connection()
        if self.connected:
            raise EventHubConnectionError("Already connected.")

        self._intentional_disconnect = False
        self._connecting = True
        try:
            connection = self._open_connection()
        except Exception as error:
            details = {"error": str(error), "server_url": self.get_server_url()}
            message = 'Failed to connect to event server at {server_url} with error: "{error}".'
            self.logger.debug(message.format(**details), exc_info=True)
            raise EventHubConnectionError(message, details=details) from error
        finally:
            self._connecting = False
        self._on_connected(connection)

    def disconnect(self, unsubscribe: bool = True, reconnect: bool = False) -> None:
        """Close the connection to the server.

        With *unsubscribe*, every subscriber is removed first. With
        *reconnect*, the connection stays wanted, so publishes keep queueing.
        Raise :exc:`~ftrack_api.exception.EventHubConnectionError` when not
        connected.
        """
        if not self.connected:
            if not reconnect and (self._connecting or self._reconnecting):
                # Connecting in the background (auto-connect, or reconnecting
                # after a lost connection): stop that instead.
                self.logger.debug("Disconnect while connecting: connecting stops.")
                self._connection_initialised = False
                self._stop_reconnecting.set()
            raise EventHubConnectionError("Not currently connected.")

        self._intentional_disconnect = True
        if not reconnect:
            self._connection_initialised = False
        if unsubscribe:
            for subscriber in list(self._subscribers):
                self.unsubscribe(subscriber.metadata["id"])
        self._close_connection()

    def reconnect(self, attempts: int = 10, delay: float = 5) -> None:
        """Disconnect if needed, then try :meth:`connect` *attempts* times,
        *delay* seconds apart. Subscribers are announced again on success.

        Raise :exc:`~ftrack_api.exception.EventHubConnectionError` when every
        attempt failed.
        """
        self._stop_reconnecting.clear()
        self._reconnecting = True
        try:
            try:
                self.disconnect(unsubscribe=False, reconnect=True)
            except EventHubConnectionError:
                pass

            for attempt in range(1, attempts + 1):
                if self._stop_reconnecting.is_set():
                    self.logger.debug("Reconnecting stopped by disconnect().")
                    break
                self.logger.debug("Reconnect attempt %s of %s.", attempt, attempts)
                try:
                    self.connect()
                except EventHubConnectionError as error:
                    self.logger.debug("Reconnect attempt %s failed: %s", attempt, error)
                    if attempt < attempts:
                        self._stop_reconnecting.wait(delay)
                else:
                    break
        finally:
            self._reconnecting = False

        if not self.connected:
            raise EventHubConnectionError(
                "Failed to reconnect to event server at {server_url} after {attempts} attempts.",
                details={"server_url": self.get_server_url(), "attempts": attempts},
            )

    # Transport hooks: the only parts that know about sockets. ----------

    def _open_connection(self) -> _Connection:
        """Open the transport to the server and return it: the socket.io
        handshake, then the websocket of the session it grants."""
        from ftrack_api.event import _socketio

        session = self._get_socket_io_session()
        if "websocket" not in session.supportedTransports:
            raise ValueError("Server does not support websocket sessions.")
        return _socketio.open_websocket(
            _socketio.websocket_url(self.get_server_url(), session.id),
            headers=self._headers,
            cookies=self._cookies,
            open_timeout=self._connect_timeout,
            receive_timeout=self._receive_timeout,
            close_timeout=self._close_timeout,
        )

    def _get_socket_io_session(self) -> SocketIoSession:
        """Shake hands with the server: return the socket.io session it grants.

        Raise :exc:`~ftrack_api.exception.EventHubConnectionError` when the
        server cannot be reached, refuses (bad credentials) or answers
        something else than a session.
        """
        from ftrack_api.event import _socketio

        answer = _socketio.handshake(
            self.get_server_url(),
            self._api_user,
            self._api_key,
            headers=self._headers,
            cookies=self._cookies,
            timeout=self._connect_timeout,
        )
        return SocketIoSession(answer.id, answer.heartbeat_timeout, answer.transports)

    def _on_connected(self, connection: _Connection) -> None:
        """Adopt the open *connection*: start receiving, then announce every
        subscriber and flush the publishes queued meanwhile."""
        with self._lock:
            if not self._connection_initialised:
                # disconnect() was called while this connection was made.
                try:
                    connection.close()
                except Exception:
                    self.logger.debug("Error closing unwanted connection.", exc_info=True)
                raise EventHubConnectionError(
                    "Connection to event server abandoned: disconnect() was called "
                    "while connecting."
                )
            self._connection = connection
            self._start_receiver()
            self._ensure_reply_subscriber()
            # Subscribing while this runs is safe: a subscriber added after
            # this snapshot sees ``connected`` and announces itself.
            for subscriber in list(self._subscribers):
                self._notify_server_about_subscriber(subscriber)
            while True:
                try:
                    queued = self._event_send_queue.get_nowait()
                except queue.Empty:
                    break
                self._publish(*queued)

    def _close_connection(self) -> None:
        """Close the transport and stop the receiver thread."""
        with self._lock:
            connection, self._connection = self._connection, None
            receiver, self._receiver = self._receiver, None
        if receiver is not None:
            receiver.cancel()
        if connection is not None:
            try:
                connection.close()
            except Exception:
                self.logger.debug("Error closing connection.", exc_info=True)
        if receiver is not None and receiver is not threading.current_thread():
            receiver.join(self._wait_timeout)

    def _start_receiver(self) -> None:
        """Start the daemon thread that reads packets from the connection."""
        self._receiver = _ReceiverThread(self, self._connection)
        self._receiver.start()

    # ------------------------------------------------------------------
    # Handling received events

    def wait(self, duration: float | None = None) -> None:
        """Handle received events in this thread, forever or for *duration*
        seconds; stop early after handling ``ftrack.meta.disconnected``.

        Raise :exc:`~ftrack_api.exception.EventHubConnectionError` if no
        connection was ever wanted (see :meth:`init_connection`).
        """
        if not self._connection_initialised:
            raise EventHubConnectionError(
                "Event hub does not have a connection to the event server and "
                "will therefore only be able to receive synchronous events. "
                "Connect it first (or create the session with "
                "auto_connect_event_hub=True)."
            )

        deadline = None if duration is None else time.monotonic() + duration
        while True:
            if deadline is None:
                timeout = self._wait_poll_interval
            else:
                timeout = min(max(0.0, deadline - time.monotonic()), self._wait_poll_interval)
            try:
                event = self._event_queue.get(timeout=timeout)
            except queue.Empty:
                pass
            else:
                self._handle(event)
                if event.get("topic") == DISCONNECTED_TOPIC:
                    break
            if deadline is not None and time.monotonic() >= deadline:
                break

    def _handle(self, event: Event, synchronous: bool = False) -> list[Any]:
        """Run the local subscribers interested in *event*; return their results.

        Subscribers run in ascending priority; a ``target`` on the event
        limits them to those whose metadata it matches. A callback that
        raises is logged and left out of the results. Unless *synchronous*,
        a result other than ``None`` is published as a reply.
        """
        subscribers = sorted(self._subscribers, key=_by_priority)
        results: list[Any] = []

        target = event.get("target")
        target_expression = None
        if target:
            try:
                target_expression = self._expression_parser.parse(target)
            except Exception:
                self.logger.exception(
                    "Cannot handle event as failed to parse event target information: %s",
                    event,
                )
                return results

        for subscriber in subscribers:
            if target_expression is not None and not target_expression.match(
                subscriber.metadata
            ):
                continue
            if not subscriber.interested_in(event):
                continue

            try:
                response = subscriber.callback(event)
            except Exception:
                self.logger.exception(
                    "Error calling subscriber %s for event %s.", subscriber, event
                )
            else:
                results.append(response)
                if not synchronous and response is not None:
                    try:
                        # A copy: preparing the reply fills in its source.
                        self.publish_reply(event, data=response, source=dict(subscriber.metadata))
                    except Exception:
                        self.logger.exception(
                            "Error publishing response %s from subscriber %s for event %s.",
                            response,
                            subscriber,
                            event,
                        )

            if event.is_stopped():
                self.logger.debug(
                    "Subscriber %s stopped event %s; later subscribers are skipped.",
                    subscriber,
                    event,
                )
                break

        return results

    def _handle_reply(self, event: Event) -> None:
        """Pass a reply *event* to the ``on_reply`` of the event it answers."""
        callback = self._reply_callbacks.get(event.get("in_reply_to_event") or "")
        if callback is not None:
            callback(event)

    # ------------------------------------------------------------------
    # Subscribers

    def subscribe(
        self,
        subscription: str,
        callback: Callable[[Event], Any],
        subscriber: dict[str, Any] | None = None,
        priority: int = 100,
    ) -> str:
        """Call *callback* for each event matching the expression *subscription*.

        *subscriber* is metadata describing this subscriber (what event
        targets match against); an ``id`` is added when missing. Lower
        *priority* runs first. Works before connecting: the server learns of
        every subscriber when the hub connects. Return the subscriber id.

        Raise :exc:`~ftrack_api.exception.NotUniqueError` if the id is taken
        and :exc:`~ftrack_api.exception.ParseError` for a bad expression.
        """
        added = self._add_subscriber(subscription, callback, subscriber, priority)
        self._notify_server_about_subscriber(added)
        return added.metadata["id"]

    def unsubscribe(self, subscriber_identifier: str) -> None:
        """Remove the subscriber with *subscriber_identifier*, telling the
        server when connected.

        Raise :exc:`~ftrack_api.exception.NotFoundError` if there is none.
        """
        with self._lock:
            subscriber = self.get_subscriber_by_identifier(subscriber_identifier)
            if subscriber is None:
                raise NotFoundError(
                    "Cannot unsubscribe missing subscriber with identifier {identifier}",
                    details={"identifier": subscriber_identifier},
                )
            self._subscribers.remove(subscriber)

        if not self.connected:
            self.logger.debug(
                "Not telling the server to unsubscribe %s: not connected.",
                subscriber_identifier,
            )
            return
        self._publish(
            Event(topic=UNSUBSCRIBE_TOPIC, data={"subscriber": subscriber.metadata}),
            callback=functools.partial(self._on_unsubscribed, subscriber),
        )

    def get_subscriber_by_identifier(self, identifier: str) -> Subscriber | None:
        """Return the subscriber whose metadata ``id`` is *identifier*, or None."""
        for subscriber in list(self._subscribers):
            if subscriber.metadata.get("id") == identifier:
                return subscriber
        return None

    def subscription(
        self,
        subscription: str,
        callback: Callable[[Event], Any],
        subscriber: dict[str, Any] | None = None,
        priority: int = 100,
    ) -> _SubscriptionContext:
        """Return a context manager that subscribes *callback* on entry and
        unsubscribes it on exit (arguments as for :meth:`subscribe`)."""
        return _SubscriptionContext(self, subscription, callback, subscriber, priority)

    def _add_subscriber(
        self,
        subscription: str,
        callback: Callable[[Event], Any],
        subscriber: dict[str, Any] | None = None,
        priority: int = 100,
    ) -> Subscriber:
        """Store a subscriber locally without telling the server."""
        metadata = subscriber if subscriber is not None else {}
        metadata.setdefault("id", uuid.uuid4().hex)
        added = Subscriber(
            subscription=subscription, callback=callback, metadata=metadata, priority=priority
        )
        with self._lock:
            if self.get_subscriber_by_identifier(metadata["id"]) is not None:
                raise NotUniqueError(
                    "Subscriber with identifier {identifier} already exists.",
                    details={"identifier": metadata["id"]},
                )
            self._subscribers.append(added)
        return added

    def _ensure_reply_subscriber(self) -> None:
        """Subscribe the internal handler that routes replies to ``on_reply``."""
        try:
            self._add_subscriber(
                f"topic={REPLY_TOPIC}", self._handle_reply, subscriber={"id": self.id}
            )
        except NotUniqueError:
            pass

    def _notify_server_about_subscriber(self, subscriber: Subscriber) -> None:
        """Tell the server about *subscriber* when connected (every
        subscriber is announced on connect anyway)."""
        if not self.connected:
            self.logger.debug(
                "Not telling the server about subscriber %s yet: not connected.",
                subscriber.metadata["id"],
            )
            return
        self._publish(
            Event(
                topic=SUBSCRIBE_TOPIC,
                data={
                    "subscriber": subscriber.metadata,
                    "subscription": str(subscriber.subscription),
                },
            ),
            callback=functools.partial(self._on_subscribed, subscriber),
        )

    def _on_subscribed(self, subscriber: Subscriber, response: Mapping[str, Any]) -> None:
        if response.get("success") is False:
            self.logger.warning(
                "Server failed to subscribe subscriber %s: %s",
                subscriber.metadata["id"],
                response.get("message"),
            )

    def _on_unsubscribed(self, subscriber: Subscriber, response: Mapping[str, Any]) -> None:
        if response.get("success") is not True:
            self.logger.warning(
                "Server failed to unsubscribe subscriber %s: %s",
                subscriber.metadata["id"],
                response.get("message"),
            )

    # ------------------------------------------------------------------
    # Publishing

    def publish(
        self,
        event: Event,
        synchronous: bool = False,
        on_reply: Callable[[Event], Any] | None = None,
        on_error: str = "raise",
    ) -> Any:
        """Publish *event*.

        Synchronous: run the local subscribers now and return the list of
        their results (nothing is sent, no replies are made). Otherwise send
        it to the server (or queue it and return True while the connection
        is being made); *on_reply* is then called with every reply. Raise
        :exc:`~ftrack_api.exception.EventHubConnectionError` when not
        connected and no connection is wanted, unless *on_error* is
        ``"ignore"``.
        """
        try:
            return self._publish(event, synchronous=synchronous, on_reply=on_reply)
        except Exception:
            if on_error == "ignore":
                return None
            raise

    def publish_reply(
        self, source_event: Event, data: Any, source: dict[str, Any] | None = None
    ) -> None:
        """Publish *data* as a reply to *source_event* (from *source* if given)."""
        reply_event = Event(REPLY_TOPIC, data=data)
        self._prepare_reply_event(reply_event, source_event, source=source)
        self.publish(reply_event)

    def _publish(
        self,
        event: Event,
        synchronous: bool = False,
        callback: Callable[..., Any] | None = None,
        on_reply: Callable[[Event], Any] | None = None,
    ) -> Any:
        """Publish *event*; *callback* gets the server's acknowledgement."""
        self._prepare_event(event)

        if synchronous:
            return self._handle(event, synchronous=True)

        with self._lock:
            if not self.connected:
                if not self._connection_initialised:
                    raise EventHubConnectionError(
                        "Cannot publish event asynchronously as not connected to server."
                    )
                if on_reply is not None:
                    self._add_reply_callback(event["id"], on_reply)
                self._event_send_queue.put((event, synchronous, callback, on_reply))
                self.logger.debug("Connection not up yet; queued event %s.", event)
                return True

        if on_reply is not None:
            self._add_reply_callback(event["id"], on_reply)
        if callback is None:
            callback = functools.partial(self._on_published, event)
        try:
            try:
                self._emit_event_packet(self._event_namespace, event, callback=callback)
            except EventHubConnectionError:
                # The connection may come back on its own: give it a moment.
                time.sleep(self._send_retry_delay)
                self._emit_event_packet(self._event_namespace, event, callback=callback)
        except Exception:
            # A failed send must not break the publisher.
            self.logger.exception("Error sending event %s.", event)
        return None

    def _add_reply_callback(self, event_id: str, on_reply: Callable[[Event], Any]) -> None:
        callbacks = self._reply_callbacks
        callbacks[event_id] = on_reply
        while len(callbacks) > _MAX_REPLY_CALLBACKS:
            callbacks.pop(next(iter(callbacks)), None)

    def _on_published(self, event: Event, response: Mapping[str, Any]) -> None:
        if response.get("success", False) is False:
            self.logger.error(
                "Server responded with error while publishing event %s. Error was: %s",
                event,
                response.get("message"),
            )

    def _prepare_event(self, event: Event) -> None:
        """Fill in the missing parts of *event*'s source from this hub."""
        source = event["source"]
        source.setdefault("id", self.id)
        source.setdefault("user", {"username": self._api_user})
        source.setdefault("host", self._host)

    def _prepare_reply_event(
        self, event: Event, source_event: Event, source: dict[str, Any] | None = None
    ) -> None:
        """Address *event* as a reply to *source_event*."""
        event["target"] = f"id={source_event['source']['id']}"
        event["in_reply_to_event"] = source_event["id"]
        if source is not None:
            event["source"] = source

    # ------------------------------------------------------------------
    # Packets (socket.io 0.9 framing: ``code:id:endpoint:data``)

    def _add_packet_callback(self, callback: Callable[..., Any]) -> str:
        """Store *callback* under a new packet id; return the id as sent (``n+``)."""
        with self._lock:
            self._unique_packet_id += 1
            identifier = self._unique_packet_id
            self._packet_callbacks[identifier] = callback
        return f"{identifier}+"

    def _pop_packet_callback(self, packet_identifier: int) -> Callable[..., Any]:
        return self._packet_callbacks.pop(packet_identifier)

    def _emit_event_packet(
        self, namespace: str, event: Event, callback: Callable[..., Any] | None
    ) -> None:
        """Send *event* as a socket.io event named *namespace*."""
        data = self._encode({"name": namespace, "args": [event]})
        self._send_packet(self._code_name_mapping["event"], data=data, callback=callback)

    def _acknowledge_packet(self, packet_identifier: str, *args: Any) -> None:
        """Acknowledge the received packet *packet_identifier*."""
        data = str(packet_identifier).rstrip("+")
        if args:
            data += "+" + self._encode(args)
        self._send_packet(self._code_name_mapping["acknowledge"], data=data)

    def _send_packet(
        self, code: str, data: str = "", callback: Callable[..., Any] | None = None
    ) -> None:
        """Send one packet; raise EventHubConnectionError if that fails."""
        connection = self._connection
        if connection is None:
            raise EventHubConnectionError("Not currently connected.")
        packet_identifier = self._add_packet_callback(callback) if callback else ""
        packet = f"{code}:{packet_identifier}::{data}"
        try:
            with self._send_lock:
                connection.send(packet)
        except OSError as error:
            raise EventHubConnectionError(
                "Failed to send packet: {error}", details={"error": str(error)}
            ) from error
        self.logger.debug("Sent packet: %s", packet)

    def _receive_packet(
        self, connection: _Connection | None = None
    ) -> tuple[str, str | None, str | None, str | None]:
        """Read one packet from *connection* (default: the current one);
        return ``(code, packet_identifier, path, data)``."""
        if connection is None:
            connection = self._connection
        try:
            packet = connection.recv()  # type: ignore[union-attr]
        except Exception as error:
            raise EventHubConnectionError(
                "Error receiving packet: {error}", details={"error": str(error)}
            ) from error

        if not isinstance(packet, str):
            raise EventHubPacketError(
                "Received invalid packet {packet!r}", details={"packet": packet}
            )
        parts = packet.split(":", 3)
        if len(parts) == 4:
            code, packet_identifier, path, data = parts
        elif len(parts) == 3:
            (code, packet_identifier, path), data = parts, None
        elif len(parts) == 1:
            code, packet_identifier, path, data = parts[0], None, None, None
        else:
            raise EventHubPacketError(
                "Received invalid packet {packet!r}", details={"packet": packet}
            )
        self.logger.debug("Received packet: %s", packet)
        return code, packet_identifier, path, data

    def _handle_packet(
        self, code: str, packet_identifier: str | None, path: str | None, data: str | None
    ) -> None:
        """Act on one received packet (runs in the receiver thread)."""
        code_name = self._code_name_mapping.get(code)

        if code_name == "connect":
            self.logger.debug("Connected to event server.")
            self._queue_meta_event(CONNECTED_TOPIC)

        elif code_name == "disconnect":
            self.logger.debug("Disconnected from event server.")
            if not self._intentional_disconnect:
                self.logger.debug("Disconnected unexpectedly; reconnecting.")
                try:
                    self.reconnect(
                        attempts=self._auto_reconnect_attempts,
                        delay=self._auto_reconnect_delay,
                    )
                except EventHubConnectionError:
                    self.logger.debug("Failed to reconnect automatically.")
                else:
                    self.logger.debug("Reconnected successfully.")
            if not self.connected:
                self._queue_meta_event(DISCONNECTED_TOPIC)

        elif code_name == "heartbeat":
            self._send_packet(self._code_name_mapping["heartbeat"])

        elif code_name == "event":
            self._receive_event(data or "")

        elif code_name == "acknowledge":
            self._receive_acknowledgement(data or "")

        elif code_name == "error":
            self.logger.error("Event server reported error: %s.", data)

        else:
            self.logger.debug("Ignoring %s packet: %s", code_name or f"unknown ({code!r})", data)

    def _receive_event(self, data: str) -> None:
        """Queue the event carried by an event packet's *data*."""
        try:
            payload = self._decode(data)
        except ValueError:
            self.logger.debug("Ignoring event packet that is not JSON: %s", data)
            return
        args = payload.get("args", []) if isinstance(payload, Mapping) else []
        if len(args) != 1 or not isinstance(args[0], Mapping):
            self.logger.debug("Ignoring event packet without one event: %s", data)
            return
        try:
            event = Event(**args[0])
        except Exception:
            self.logger.exception("Failed to convert payload into event: %s", args[0])
            return
        self._event_queue.put(event)

    def _receive_acknowledgement(self, data: str) -> None:
        """Call the callback waiting for the acknowledgement in *data* (``n+[result]``)."""
        identifier_text, _, body = data.partition("+")
        try:
            callback = self._pop_packet_callback(int(identifier_text))
        except (KeyError, ValueError):
            return
        try:
            args = self._decode(body) if body else []
        except ValueError:
            args = None
        if not isinstance(args, list) or len(args) != 1 or not isinstance(args[0], Mapping):
            self.logger.debug("Ignoring malformed acknowledgement: %s", data)
            return
        try:
            callback(args[0])
        except Exception:
            self.logger.exception("Error handling acknowledgement %s.", data)

    def _queue_meta_event(self, topic: str) -> None:
        event = Event(topic)
        self._prepare_event(event)
        self._event_queue.put(event)

    # ------------------------------------------------------------------
    # JSON codec (``in_reply_to_event`` is ``inReplyToEvent`` on the wire)

    def _encode(self, data: Any) -> str:
        """Return *data* as JSON, with events in their wire form."""
        return json.dumps(data, default=self._encode_object_hook, ensure_ascii=False)

    def _encode_object_hook(self, item: Any) -> Any:
        if isinstance(item, Event):
            encoded = dict(item.items())
            if "in_reply_to_event" in encoded:
                encoded["inReplyToEvent"] = encoded.pop("in_reply_to_event")
            return encoded
        raise TypeError(f"{item!r} is not JSON serializable")

    def _decode(self, string: str) -> Any:
        """Return the JSON *string* decoded, with reply ids in Python form."""
        return json.loads(string, object_hook=self._decode_object_hook)

    def _decode_object_hook(self, item: dict[str, Any]) -> dict[str, Any]:
        if "inReplyToEvent" in item:
            item["in_reply_to_event"] = item.pop("inReplyToEvent")
        return item


class _SubscriptionContext:
    """Subscribes on entry and unsubscribes on exit; see :meth:`EventHub.subscription`."""

    def __init__(
        self,
        hub: EventHub,
        subscription: str,
        callback: Callable[[Event], Any],
        subscriber: dict[str, Any] | None,
        priority: int,
    ):
        self._hub = hub
        self._subscription = subscription
        self._callback = callback
        self._subscriber = subscriber
        self._priority = priority
        self._identifier: str | None = None

    def __enter__(self) -> str:
        self._identifier = self._hub.subscribe(
            self._subscription, self._callback, subscriber=self._subscriber, priority=self._priority
        )
        return self._identifier

    def __exit__(
        self,
        exception_type: type[BaseException] | None,
        exception: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._identifier is not None:
            self._hub.unsubscribe(self._identifier)
            self._identifier = None


class _ReceiverThread(threading.Thread):
    """Reads packets from the hub's connection and handles them until cancelled."""

    def __init__(self, hub: EventHub, connection: _Connection | None = None):
        super().__init__(name="ftrack-event-hub-receiver", daemon=True)
        self.logger = logging.getLogger(f"{__name__}.{type(self).__name__}")
        self.hub = hub
        # Read from the connection this thread was started for, never from
        # one made after it (a reconnect starts a new thread).
        self.connection = connection
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            try:
                packet = self.hub._receive_packet(self.connection)
            except EventHubPacketError as error:
                self.logger.debug("Ignoring invalid packet: %s", error)
                continue
            except EventHubConnectionError:
                self.cancel()
                # Treat a dead connection as a disconnect packet, which
                # reconnects unless the disconnect was asked for; but not
                # when the hub has moved on to a newer connection already.
                if self.hub._connection in (self.connection, None):
                    self.hub._handle_packet("0", "", "", "")
                break
            if packet[0] == "0":
                # The server ends this connection; handling the packet
                # reconnects, and a new thread reads the new connection.
                self.cancel()
            try:
                self.hub._handle_packet(*packet)
            except EventHubConnectionError as error:
                # Answering (a heartbeat, an ack) failed: the connection is
                # going away, and the next receive notices.
                self.logger.debug("Could not answer packet %s: %s", packet, error)
            except Exception:
                self.logger.exception("Error handling packet %s.", packet)

    def cancel(self) -> None:
        """Stop after the current packet."""
        self.done.set()
