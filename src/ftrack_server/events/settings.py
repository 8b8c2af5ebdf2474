"""How the event hub behaves: heartbeats, timeouts, queue bounds, Redis."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EventSettings:
    heartbeat_interval: float = 10.0
    """Seconds between the server's heartbeats; the JavaScript client gives up after 15 s without one."""
    timeout: float = 60.0
    """Seconds without any frame from a client before its connection is closed as dead."""
    queue_frames: int = 10_000
    """Packets waiting for one slow client before it is dropped."""
    queue_bytes: int = 32 * 1024 * 1024
    """Characters waiting for one slow client before it is dropped."""
    redis_url: str | None = None
    """Share events with other server processes through this Redis; None: this process only."""
    redis_channel: str = "openftrack:events"
