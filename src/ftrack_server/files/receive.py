"""Streaming a request body into a file: bounded memory, sizes and checksum checked on the way."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import BinaryIO

from starlette.concurrency import run_in_threadpool

from .errors import PayloadTooLargeError, ValidationError
from .storage import CHUNK_SIZE, is_full, storage_full


@dataclass
class Received:
    size: int
    md5: bytes


def too_large(size: int, limit: int) -> PayloadTooLargeError:
    return PayloadTooLargeError(f"The upload is {size} bytes; this server accepts at most {limit} bytes per file.")


def size_mismatch(received: int, announced: int) -> ValidationError:
    return ValidationError(
        f"The upload has {received} bytes but {announced} bytes were announced to get_upload_metadata. "
        "Nothing was stored."
    )


async def write_body(
    stream: AsyncIterator[bytes], handle: BinaryIO, expected: int | None, limit: int | None,
) -> Received:
    """Write `stream` to `handle`, a buffer of CHUNK_SIZE at a time, off the event loop.

    Stops with an error as soon as the body is longer than `expected` (when
    given) or `limit`; a shorter body is the caller's to judge.
    """
    digest = hashlib.md5()
    size = 0
    buffer = bytearray()

    def flush(block: bytes) -> None:
        digest.update(block)
        try:
            handle.write(block)
        except OSError as error:
            if is_full(error):
                raise storage_full(error, expected) from None
            raise

    # One block is hashed and written in a thread while the next is received.
    writing: asyncio.Future | None = None
    try:
        async for chunk in stream:
            size += len(chunk)
            if limit is not None and size > limit:
                raise too_large(size if expected is None else max(size, expected), limit)
            if expected is not None and size > expected:
                raise ValidationError(
                    f"The upload is longer than the {expected} bytes announced to get_upload_metadata. "
                    "Nothing was stored."
                )
            buffer += chunk
            if len(buffer) >= CHUNK_SIZE:
                block, buffer = bytes(buffer), bytearray()
                if writing is not None:
                    await writing
                writing = asyncio.ensure_future(run_in_threadpool(flush, block))
        if writing is not None:
            await writing
            writing = None
    finally:
        if writing is not None:  # failed while a block was being written: let it finish first
            with contextlib.suppress(Exception):
                await writing
    if buffer:
        await run_in_threadpool(flush, bytes(buffer))

    def finish() -> None:
        try:
            handle.flush()
        except OSError as error:
            if is_full(error):
                raise storage_full(error, expected) from None
            raise

    await run_in_threadpool(finish)
    return Received(size, digest.digest())


async def drain(stream: AsyncIterator[bytes], cap: int) -> None:
    """Read and drop what is left of a rejected body (up to `cap` bytes), so the client
    reads our answer instead of a broken connection."""
    seen = 0
    try:
        async for chunk in stream:
            seen += len(chunk)
            if seen > cap:
                return
    except Exception:  # noqa: BLE001 - the body is being rejected anyway
        return
