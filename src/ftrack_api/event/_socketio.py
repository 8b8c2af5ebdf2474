"""The socket.io 0.9 transport under :class:`~ftrack_api.event.hub.EventHub`:
the HTTP handshake and the websocket that carries the packets.

Only opening and wrapping the socket lives here; packet framing, acks,
heartbeat replies and reconnection belong to the hub. ``websockets`` is
imported on first use, so sessions that never connect their hub do not pay
for it.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Mapping
from typing import Any, NamedTuple

import httpx

from ftrack_api.exception import EventHubConnectionError
from ftrack_api.transport import _header_value, _ssl_context


class Handshake(NamedTuple):
    """The parts of a handshake answer (``sid:heartbeat:close:transports``)."""

    id: str
    heartbeat_timeout: str
    transports: list[str]


def handshake(
    server_url: str,
    api_user: str,
    api_key: str,
    *,
    headers: Mapping[str, str],
    cookies: Mapping[str, str],
    timeout: float,
) -> Handshake:
    """Ask the event server at *server_url* (``scheme://host[:port]``) for a
    socket.io session.

    The credentials go in the ``ftrack-user`` and ``ftrack-api-key`` headers;
    *headers* are added after them (so they win) and *cookies* are sent too.
    Raise :exc:`~ftrack_api.exception.EventHubConnectionError` unless the
    server answers 200 with a well-formed session.
    """
    url = f"{server_url}/socket.io/1/"
    request_headers: dict[str, str | bytes] = {
        "ftrack-user": _header_value(api_user),
        "ftrack-api-key": _header_value(api_key),
    }
    request_headers.update({name: _header_value(value) for name, value in headers.items()})
    secure = url.startswith("https:")
    try:
        with httpx.Client(
            cookies=dict(cookies),
            timeout=timeout,
            verify=_ssl_context(),  # built once per process; plain http never uses it
        ) as client:
            response = client.get(url, headers=request_headers)
    except httpx.TimeoutException as error:
        raise EventHubConnectionError(f"Timed out connecting to server: {error}.") from error
    except httpx.RequestError as error:
        raise EventHubConnectionError(f"Failed to connect to server: {error}.") from error

    if response.status_code != 200:
        raise EventHubConnectionError(
            f"Received unexpected status code {response.status_code}."
        )
    parts = response.text.strip().split(":")
    if len(parts) < 4 or not parts[0]:
        raise EventHubConnectionError(
            f"Received an unexpected socket.io handshake answer: {response.text[:200]!r}."
        )
    transports = [name.strip() for name in parts[3].split(",")]
    return Handshake(parts[0], parts[1], transports)


def websocket_url(server_url: str, session_id: str) -> str:
    """The websocket address of socket.io session *session_id* on *server_url*."""
    scheme, _, location = server_url.partition("://")
    websocket_scheme = "wss" if scheme == "https" else "ws"
    return f"{websocket_scheme}://{location}/socket.io/1/websocket/{session_id}"


class WebsocketConnection:
    """An open websocket as the hub uses it: text in, text out.

    A closed socket, on sending or receiving, raises
    :exc:`~ftrack_api.exception.EventHubConnectionError`; so does a receive
    that waits longer than *receive_timeout* seconds, because a live server
    sends heartbeats far more often than that.
    """

    def __init__(self, websocket: Any, receive_timeout: float | None):
        from websockets.protocol import State

        self._websocket = websocket
        self._receive_timeout = receive_timeout
        self._open = State.OPEN

    @property
    def connected(self) -> bool:
        """Whether the websocket is open (neither closing nor closed)."""
        return self._websocket.protocol.state is self._open

    def send(self, text: str) -> None:
        from websockets.exceptions import ConnectionClosed

        try:
            self._websocket.send(text)
        except ConnectionClosed as error:
            raise EventHubConnectionError(f"Connection to event server closed: {error}.") from error

    def recv(self) -> str | bytes:
        """The next message (text; bytes only from a misbehaving server)."""
        from websockets.exceptions import ConnectionClosed

        try:
            return self._websocket.recv(timeout=self._receive_timeout)
        except TimeoutError as error:
            raise EventHubConnectionError(
                f"Nothing received from event server in {self._receive_timeout} s."
            ) from error
        except ConnectionClosed as error:
            raise EventHubConnectionError(f"Connection to event server closed: {error}.") from error

    def close(self) -> None:
        self._websocket.close()


@functools.cache
def _direct_connection_option() -> dict[str, Any]:
    """``websockets`` 17 wants ``legacy=True`` to hand back a connection
    that outlives a ``with`` block; earlier versions have no such option."""
    from websockets.sync.client import connect

    if "legacy" in inspect.signature(connect).parameters:
        return {"legacy": True}
    return {}


def open_websocket(
    url: str,
    *,
    headers: Mapping[str, str],
    cookies: Mapping[str, str],
    open_timeout: float,
    receive_timeout: float | None,
    close_timeout: float,
) -> WebsocketConnection:
    """Open the websocket at *url*, sending *headers* and *cookies* (the
    server knows who we are from the session id in the URL)."""
    from websockets.sync.client import connect

    additional_headers = dict(headers)
    if cookies:
        additional_headers["Cookie"] = "; ".join(
            f"{name}={value}" for name, value in cookies.items()
        )
    websocket = connect(
        url,
        **_direct_connection_option(),
        additional_headers=additional_headers,
        ssl=_ssl_context() if url.startswith("wss:") else None,
        open_timeout=open_timeout,
        close_timeout=close_timeout,
        # ftrack events can be large (an update touching many entities).
        max_size=None,
        compression=None,
    )
    return WebsocketConnection(websocket, receive_timeout)
