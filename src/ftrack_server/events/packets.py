"""socket.io 0.9 packets: ``type:id:endpoint[:data]`` text frames.

Only the subset ftrack clients use: the server sends connect, heartbeat,
event, ack, error and disconnect packets; clients send heartbeats and events
(the Python client with an ack request, ``5:7+::{...}``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import orjson

DISCONNECT = "0"
CONNECT = "1"
HEARTBEAT = "2"
MESSAGE = "3"
JSON = "4"
EVENT = "5"
ACK = "6"
ERROR = "7"
NOOP = "8"

KNOWN_TYPES = frozenset("012345678")

#: What the server sends for the packets that carry no data.
CONNECT_PACKET = "1::"
HEARTBEAT_PACKET = "2::"
DISCONNECT_PACKET = "0::"

_MESSAGE_ID = re.compile(r"(\d*)(\+?)")


class PacketError(ValueError):
    """A frame that is not a socket.io packet."""


@dataclass(frozen=True)
class Packet:
    """One received packet. ``message_id`` is set when the sender asked for an ack."""

    type: str
    message_id: str
    wants_ack: bool
    endpoint: str
    data: str


def parse(frame: str) -> Packet:
    """Split a frame on its first three colons; raise PacketError when it is not a packet."""
    parts = frame.split(":", 3)
    if len(parts) < 3 and not (len(parts) == 1 and frame in KNOWN_TYPES):
        raise PacketError(f"not a socket.io packet: {_show(frame)}")
    kind = parts[0]
    if kind not in KNOWN_TYPES:
        raise PacketError(f"unknown packet type {_show(kind)}")
    message_id = parts[1] if len(parts) > 1 else ""
    found = _MESSAGE_ID.fullmatch(message_id)
    if found is None:
        raise PacketError(f"invalid message id {_show(message_id)}")
    endpoint = parts[2] if len(parts) > 2 else ""
    data = parts[3] if len(parts) > 3 else ""
    return Packet(kind, found.group(1), bool(found.group(2)) and bool(found.group(1)), endpoint, data)


def event(payload_json: str) -> str:
    """An event packet around an already encoded ``{"name": ..., "args": [...]}``.

    Always ``5:::`` exactly: the JavaScript client strips a fixed prefix.
    """
    return "5:::" + payload_json


def ack(message_id: str, result: dict) -> str:
    """An ack carrying exactly one object: the Python client calls its callback with it."""
    return f"6:::{message_id}+{dumps([result])}"


def error(reason: str) -> str:
    return f"7:::{reason}"


def dumps(value: Any) -> str:
    """JSON text, non-ASCII unescaped; falls back to the standard library for what orjson refuses."""
    try:
        return orjson.dumps(value).decode()
    except TypeError:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


#: A run of digits long enough to be an integer orjson may not keep exact.
_LONG_NUMBER = re.compile(r"\d{19}")


def loads(text: str) -> Any:
    """Parse JSON text; raise ValueError when it is not JSON."""
    if _LONG_NUMBER.search(text) is None:
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError:
            pass  # orjson refuses NaN and some huge integers, which Python's json accepts
    # The standard library keeps integers of any size exact (orjson may give floats).
    return json.loads(text)


def _show(text: str, limit: int = 80) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "...")
