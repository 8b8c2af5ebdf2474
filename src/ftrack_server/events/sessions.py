"""Handshake session ids: issued after authentication, redeemed once by the websocket."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class EventUser:
    """Who a connection belongs to."""

    id: str
    username: str


class SessionIds:
    """Single-use sids bound to the user who asked for them, valid for `lifetime` seconds."""

    def __init__(self, lifetime: float = 60.0, clock=time.monotonic):
        self.lifetime = lifetime
        self._clock = clock
        self._pending: dict[str, tuple[EventUser, float]] = {}

    def issue(self, user: EventUser) -> str:
        self._expire()
        sid = secrets.token_hex(16)
        self._pending[sid] = (user, self._clock() + self.lifetime)
        return sid

    def redeem(self, sid: str) -> EventUser | None:
        """The user of an unexpired `sid`, which is then used up; None for anything else."""
        self._expire()
        found = self._pending.pop(sid, None)
        return found[0] if found is not None else None

    def __len__(self) -> int:
        return len(self._pending)

    def _expire(self) -> None:
        now = self._clock()
        for sid in [s for s, (_, expires) in self._pending.items() if expires < now]:
            del self._pending[sid]
