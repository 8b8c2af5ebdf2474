"""Outside services the tests run for real: a private Redis server.

``scripts/bootstrap`` installs ``redis-server`` when it is missing. Where it
still cannot be found, tests that need it are skipped with the reason, unless
``OPENFTRACK_REQUIRE_SERVICES=1`` (set by ``.ci/run``) asks for a failure:
in CI a silent skip would hide a broken set-up.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path
from typing import Iterator

from support.server import free_port

REQUIRE_ENV_VAR = "OPENFTRACK_REQUIRE_SERVICES"


class ServiceUnavailable(RuntimeError):
    """A service the test needs cannot be run here."""


def skip_or_fail(reason: str):
    import pytest

    if os.environ.get(REQUIRE_ENV_VAR, "").strip() not in ("", "0"):
        pytest.fail(f"{reason} ({REQUIRE_ENV_VAR} is set, so this is an error)", pytrace=False)
    pytest.skip(reason)


class RedisServer:
    """``redis-server`` on loopback without persistence; ``url`` once started. Restartable on its port."""

    def __init__(self, work_dir: Path, port: int | None = None) -> None:
        self.work_dir = work_dir
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> "RedisServer":
        binary = shutil.which("redis-server") or next(
            (p for p in ("/usr/bin/redis-server", "/usr/sbin/redis-server") if os.path.exists(p)), None)
        if binary is None:
            raise ServiceUnavailable("redis-server is not installed (./scripts/bootstrap installs it)")
        self.work_dir.mkdir(parents=True, exist_ok=True)
        log_path = self.work_dir / "redis.log"
        with open(log_path, "ab") as log:
            self.process = subprocess.Popen(
                [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                 "--dir", str(self.work_dir)],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )
        deadline = time.monotonic() + 10
        while not _answers(self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise ServiceUnavailable(f"redis-server did not start on port {self.port}: "
                                         f"{log_path.read_text(errors='replace')[-2000:]}")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)

    def __enter__(self) -> "RedisServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextlib.contextmanager
def redis_server(work_dir: Path) -> Iterator[str]:
    """A started `RedisServer` for the block; yields its URL."""
    with RedisServer(work_dir) as server:
        yield server.url


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False
