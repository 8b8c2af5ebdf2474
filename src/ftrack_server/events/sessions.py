"""Handshake session ids: issued after authentication, redeemed once by the websocket.

A sid is a signed token naming its user, so any server process holding the same
key (the data dir's) can redeem a sid another one issued: with several workers
the handshake and the websocket often land on different processes. Each
process remembers the sids redeemed on it until they expire.
"""

from __future__ import annotations

import hmac
import secrets
import time
from dataclasses import dataclass

import orjson

from ..signing import Signer

#: Bytes of the signature a sid carries.
_MAC_BYTES = 16


@dataclass(frozen=True)
class EventUser:
    """Who a connection belongs to."""

    id: str
    username: str


class SessionIds:
    """Single-use sids bound to the user who asked for them, valid for `lifetime` seconds.

    A sid is hexadecimal, as socket.io clients expect: its claims (user, expiry,
    a nonce) and the first 16 bytes of their signature.
    """

    def __init__(self, lifetime: float = 60.0, signer: Signer | None = None, clock=time.time):
        self.lifetime = lifetime
        self._signer = signer or Signer(secrets.token_bytes(32), clock)
        self._redeemed: dict[str, float] = {}

    def issue(self, user: EventUser) -> str:
        expires = int(self._signer.clock() + self.lifetime)
        claims = orjson.dumps([user.id, user.username, expires, secrets.token_hex(8)])
        return claims.hex() + self._tag(claims).hex()

    def redeem(self, sid: str) -> EventUser | None:
        """The user of an unexpired `sid` not redeemed before here; None for anything else."""
        now = self._signer.clock()
        for used in [s for s, expires in self._redeemed.items() if expires < now]:
            del self._redeemed[used]
        try:
            claims, signature = bytes.fromhex(sid[:-2 * _MAC_BYTES]), bytes.fromhex(sid[-2 * _MAC_BYTES:])
        except ValueError:
            return None
        if not hmac.compare_digest(signature, self._tag(claims)) or sid in self._redeemed:
            return None
        user_id, username, expires, _nonce = orjson.loads(claims)
        if expires < now:
            return None
        self._redeemed[sid] = expires
        return EventUser(str(user_id), str(username))

    def __len__(self) -> int:
        return len(self._redeemed)

    def _tag(self, claims: bytes) -> bytes:
        return self._signer.mac(claims)[:_MAC_BYTES]
