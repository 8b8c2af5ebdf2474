"""Events shared between server processes over one Redis pub/sub channel.

Each process delivers the events published through it at once, and sends
them to the channel tagged with its own origin id; it delivers what the
other processes send and skips its own. While Redis is unreachable a process
keeps working alone and tries again in the background.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import urllib.parse
import uuid
from collections.abc import Callable

log = logging.getLogger("ftrack_server.events")

_OUTBOX_SIZE = 10_000
_RETRY_MAX = 10.0


class RedisFanout:
    """Publish to and listen on `channel` at `url`; hand other processes' events to `deliver`."""

    def __init__(self, url: str, channel: str, deliver: Callable[[str], None]):
        self.url = url
        self.channel = channel
        self.origin = uuid.uuid4().hex
        self.connected = False
        self._deliver = deliver
        self._outbox: asyncio.Queue[str] | None = None
        self._tasks: list[asyncio.Task] = []
        self._dropped = 0

    async def start(self) -> None:
        try:
            import redis.asyncio  # noqa: F401
        except ImportError:
            log.error(
                "--redis-url was given but the redis package is not installed "
                "(pip install 'openftrack[redis]'); events reach only this process's clients."
            )
            return
        self._outbox = asyncio.Queue(_OUTBOX_SIZE)
        self._tasks = [
            asyncio.create_task(self._listen(), name="events-redis-listen"),
            asyncio.create_task(self._publish(), name="events-redis-publish"),
        ]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []
        self.connected = False

    def send(self, payload_text: str) -> None:
        """Queue an event packet payload for the other processes (dropped while Redis is away)."""
        if not self.connected or self._outbox is None:
            return
        try:
            self._outbox.put_nowait(f"{self.origin}\n{payload_text}")
        except asyncio.QueueFull:
            self._dropped += 1
            if self._dropped == 1 or self._dropped % 1000 == 0:
                log.warning("Redis cannot keep up: %d events were not shared with other processes.", self._dropped)

    def _client(self):
        import redis.asyncio

        return redis.asyncio.Redis.from_url(self.url, socket_connect_timeout=3, health_check_interval=30)

    async def _listen(self) -> None:
        delay = 0.5
        failed_before = False
        while True:
            client = self._client()
            try:
                pubsub = client.pubsub(ignore_subscribe_messages=True)
                await pubsub.subscribe(self.channel)
                self.connected = True
                if failed_before:
                    log.warning("Redis at %s is reachable again: events are shared between processes.", _redacted(self.url))
                else:
                    log.info("Sharing events through Redis at %s.", _redacted(self.url))
                failed_before = False
                delay = 0.5
                async for message in pubsub.listen():
                    if message.get("type") == "message":
                        self._received(message["data"])
                raise ConnectionError("the subscription ended")
            except asyncio.CancelledError:
                raise
            except Exception as error:  # noqa: BLE001 - any Redis failure means: work alone for now
                if not failed_before:
                    log.warning(
                        "Redis at %s is unreachable (%s): events reach only this process's clients "
                        "until it is back.", _redacted(self.url), error or type(error).__name__,
                    )
                failed_before = True
                self.connected = False
            finally:
                with contextlib.suppress(Exception):
                    await client.aclose()
            await asyncio.sleep(delay)
            delay = min(delay * 2, _RETRY_MAX)

    def _received(self, data: bytes | str) -> None:
        text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
        origin, _, payload_text = text.partition("\n")
        if origin == self.origin:
            return
        try:
            self._deliver(payload_text)
        except Exception:  # noqa: BLE001 - a bad message must not stop the listener
            log.exception("Failed to deliver an event received through Redis.")

    async def _publish(self) -> None:
        assert self._outbox is not None
        client = self._client()
        try:
            while True:
                message = await self._outbox.get()
                try:
                    await client.publish(self.channel, message)
                except asyncio.CancelledError:
                    raise
                except Exception as error:  # noqa: BLE001 - the listener reports outages
                    log.debug("Could not share an event through Redis: %s", error)
        finally:
            with contextlib.suppress(Exception):
                await client.aclose()


def _redacted(url: str) -> str:
    """`url` without its password, for logs."""
    parts = urllib.parse.urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.hostname or ""
    if parts.username:
        netloc = f"{parts.username}:***@{netloc}"
    else:
        netloc = f":***@{netloc}"
    if parts.port:
        netloc += f":{parts.port}"
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc))
