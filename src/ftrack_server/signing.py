"""Signed tokens: ``<claims>.<signature>``, the claims JSON, both parts base64url, the
signature an HMAC-SHA256. The key is kept in the data directory, so every server process
on that directory accepts the tokens of the others, and a restart voids none of them.
Upload URLs and event hub session ids are such tokens.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets
import time
from pathlib import Path
from typing import Any

import orjson


class InvalidToken(Exception):
    """A token that is `missing`, `invalid` (forged, damaged) or `expired` (its `reason`)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def new_nonce() -> str:
    return secrets.token_urlsafe(18)


class Signer:
    """Signs and checks token claims; every token carries its expiry (``exp``, epoch seconds)."""

    def __init__(self, key: bytes, clock=time.time):
        self._key = key
        self.clock = clock

    @classmethod
    def from_file(cls, path: Path) -> "Signer":
        """The key stored at `path`, created (readable by this user only) on first use.

        The key is written to a private file first and linked into place, so
        processes starting together all end up with the same, complete key.
        """
        if not path.exists():
            draft = path.with_name(f".{path.name}-{secrets.token_hex(8)}")
            descriptor = os.open(draft, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(secrets.token_bytes(32))
            try:
                os.link(draft, path)
            except FileExistsError:
                pass
            finally:
                draft.unlink()
        key = path.read_bytes()
        if len(key) < 32:
            raise RuntimeError(f"{path} holds no usable signing key; delete it to have a new one made.")
        return cls(key)

    def sign(self, claims: dict[str, Any], lifetime: float) -> str:
        body = _encode(orjson.dumps({**claims, "exp": int(self.clock() + lifetime)}))
        return f"{body}.{self._signature(body)}"

    def verify(self, token: str | None) -> dict[str, Any]:
        """The claims of a valid, unexpired token; InvalidToken otherwise."""
        if not token:
            raise InvalidToken("missing")
        body, _, signature = token.partition(".")
        if not hmac.compare_digest(signature, self._signature(body)):
            raise InvalidToken("invalid")
        try:
            claims = orjson.loads(_decode(body))
        except (binascii.Error, ValueError, orjson.JSONDecodeError):
            raise InvalidToken("invalid") from None
        if not isinstance(claims, dict) or not isinstance(claims.get("exp"), int):
            raise InvalidToken("invalid")
        if claims["exp"] < self.clock():
            raise InvalidToken("expired")
        return claims

    def mac(self, data: bytes) -> bytes:
        """The HMAC-SHA256 of `data` under this key."""
        return hmac.new(self._key, data, hashlib.sha256).digest()

    def _signature(self, body: str) -> str:
        return _encode(self.mac(body.encode("ascii", "replace")))
