"""Start, stop and talk to an ``ftrack_server`` process for tests.

The server is run exactly as a user would run it::

    <python> -m ftrack_server serve --data-dir DIR --host 127.0.0.1 --port PORT \
        --admin-user admin --admin-api-key KEY

and is considered ready once ``POST /api`` with ``query_server_information``
answers 200 with a JSON list.  Its stdout and stderr go to log files next to the
data directory, so a long-running server can never block on a full pipe, and
the tail of the log is included in every start-up error.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

import httpx

from support import databases

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_API_USER = "admin"
STARTUP_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0


class ServerStartError(RuntimeError):
    """The server process did not become ready."""


def free_port(host: str = "127.0.0.1") -> int:
    """Return a TCP port that is free on *host* right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def _tail(path: Path, lines: int = 60, offset: int = 0) -> str:
    """Last *lines* lines of *path*, reading from byte *offset* on."""
    try:
        with open(path, "rb") as handle:
            handle.seek(offset)
            text = handle.read().decode("utf-8", errors="replace")
    except OSError:
        return "<no output captured>"
    text = "\n".join(text.splitlines()[-lines:])
    return text or "<empty>"


class ServerProcess:
    """One ``ftrack_server`` process serving *data_dir* on a local port.

    Attributes: ``url`` (``http://host:port``, no trailing slash), ``api_user``,
    ``api_key``, ``data_dir``, ``host``, ``port`` and, once started, ``process``.
    """

    def __init__(
        self,
        data_dir: str | os.PathLike[str],
        *,
        host: str = "127.0.0.1",
        port: int | None = None,
        api_user: str = DEFAULT_API_USER,
        api_key: str | None = None,
        python: str = sys.executable,
        extra_args: Sequence[str] = (),
        env: Mapping[str, str] | None = None,
        startup_timeout: float = STARTUP_TIMEOUT,
        log_dir: str | os.PathLike[str] | None = None,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.host = host
        self._fixed_port = port
        self.port = port or 0
        self.api_user = api_user
        self.api_key = api_key or str(uuid.uuid4())
        self.python = python
        self.extra_args = list(extra_args)
        self.env = dict(env) if env is not None else None
        self.startup_timeout = startup_timeout
        self.log_dir = Path(log_dir) if log_dir is not None else self.data_dir.parent
        self.process: subprocess.Popen[bytes] | None = None
        self.stdout_path = self.log_dir / f"{self.data_dir.name}.server.stdout.log"
        self.stderr_path = self.log_dir / f"{self.data_dir.name}.server.stderr.log"
        self._client: httpx.Client | None = None
        self._log_handles: list[Any] = []
        # Where this start's output begins in the (appended) log files.
        self._stdout_offset = 0
        self._stderr_offset = 0

    # ------------------------------------------------------------------
    # Properties

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.url}/api"

    @property
    def headers(self) -> dict[str, str]:
        """Headers that authenticate as the admin API user."""
        return {
            "ftrack-user": self.api_user,
            "ftrack-api-key": self.api_key,
            "content-type": "application/json",
            "accept": "application/json",
        }

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def command(self) -> list[str]:
        return [
            self.python, "-m", "ftrack_server", "serve",
            *databases.store_args(self.data_dir),
            "--host", self.host,
            "--port", str(self.port),
            "--admin-user", self.api_user,
            "--admin-api-key", self.api_key,
            *self.extra_args,
        ]

    # ------------------------------------------------------------------
    # Lifecycle

    def start(self) -> "ServerProcess":
        """Start the process and wait until it answers; return ``self``.

        Raises :class:`ServerStartError` (with the server's stderr) when it
        exits early or does not answer within ``startup_timeout`` seconds.
        A port that turns out to be taken by someone else is retried with a
        new port a couple of times.
        """
        if self.running:
            return self
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.log_dir.mkdir(parents=True, exist_ok=True)
        attempts = 1 if self._fixed_port else 3
        for attempt in range(attempts):
            if not self._fixed_port:
                self.port = free_port(self.host)
            try:
                self._spawn()
                self._wait_ready()
                return self
            except ServerStartError as error:
                stderr = self.stderr_tail()
                self.stop()
                port_clash = "address already in use" in stderr.lower() or "errno 98" in stderr.lower()
                if port_clash and attempt + 1 < attempts:
                    continue
                raise error
        raise AssertionError("unreachable")  # pragma: no cover

    def _spawn(self) -> None:
        env = dict(os.environ)
        if self.env:
            env.update(self.env)
        env.setdefault("PYTHONUNBUFFERED", "1")
        # Make the in-repo package importable even from an interpreter without
        # the editable install; an installed copy still wins if it is first.
        src = str(REPO_ROOT / "src")
        paths = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
        if src not in paths:
            env["PYTHONPATH"] = os.pathsep.join([*paths, src])
        stdout = open(self.stdout_path, "ab")
        stderr = open(self.stderr_path, "ab")
        self._log_handles = [stdout, stderr]
        for handle in self._log_handles:
            handle.write(f"\n===== {' '.join(self.command())}\n".encode())
            handle.flush()
        self._stdout_offset = stdout.tell()
        self._stderr_offset = stderr.tell()
        self.process = subprocess.Popen(
            self.command(),
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=stderr,
            env=env,
            start_new_session=True,  # our own process group, so signals reach only it
        )

    def stderr_tail(self, lines: int = 60) -> str:
        """The end of what the server wrote to stderr since it was last started."""
        return _tail(self.stderr_path, lines, self._stderr_offset)

    def stdout_tail(self, lines: int = 20) -> str:
        """The end of what the server wrote to stdout since it was last started."""
        return _tail(self.stdout_path, lines, self._stdout_offset)

    def _failure(self, reason: str) -> ServerStartError:
        return ServerStartError(
            f"{reason}\ncommand: {' '.join(self.command())}\n"
            f"--- server stderr ({self.stderr_path}) ---\n{self.stderr_tail()}\n"
            f"--- server stdout ({self.stdout_path}) ---\n{self.stdout_tail()}"
        )

    def _wait_ready(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + self.startup_timeout
        last_problem = "no answer yet"
        with httpx.Client(timeout=2.0) as probe:
            while True:
                code = self.process.poll()
                if code is not None:
                    stderr = self.stderr_tail()
                    hint = ""
                    if ("No module named ftrack_server" in stderr
                            or "cannot be directly executed" in stderr):
                        hint = (" (the ftrack_server package, or its __main__ module with "
                                "the 'serve' command, is missing)")
                    elif "No module named" in stderr:
                        hint = (" (a server dependency is missing from this interpreter; "
                                "run ./scripts/bootstrap and use .venv/bin/python)")
                    raise self._failure(f"ftrack_server exited with code {code} before it "
                                        f"was ready{hint}")
                try:
                    response = probe.post(self.api_url, headers=self.headers,
                                          json=[{"action": "query_server_information"}])
                    if response.status_code == 200:
                        body = response.json()
                        if isinstance(body, list):
                            return
                        last_problem = f"200 but body is not a JSON list: {str(body)[:300]}"
                    else:
                        last_problem = f"HTTP {response.status_code}: {response.text[:300]}"
                except (httpx.TransportError, ValueError) as error:
                    last_problem = f"{type(error).__name__}: {error}"
                if time.monotonic() >= deadline:
                    raise self._failure(
                        f"ftrack_server did not become ready on {self.url} within "
                        f"{self.startup_timeout:.0f} s; last probe: {last_problem}")
                time.sleep(0.1)

    def stop(self) -> None:
        """SIGTERM the server, then SIGKILL it if it does not exit in time."""
        if self._client is not None:
            self._client.close()
            self._client = None
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            # The server runs in its own process group (start_new_session), so
            # signalling the group reaches any worker it spawned and nothing else.
            self._signal(process, signal.SIGTERM)
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self._signal(process, signal.SIGKILL)
                process.wait(timeout=STOP_TIMEOUT)
        for handle in self._log_handles:
            with contextlib.suppress(OSError):
                handle.close()
        self._log_handles = []

    @staticmethod
    def _signal(process: subprocess.Popen[bytes], signum: int) -> None:
        try:
            os.killpg(process.pid, signum)
        except (ProcessLookupError, PermissionError, AttributeError):
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signum)

    def restart(self) -> "ServerProcess":
        """Stop and start again on the same data dir and port."""
        self.stop()
        fixed, self._fixed_port = self._fixed_port, self.port
        try:
            return self.start()
        finally:
            self._fixed_port = fixed

    def __enter__(self) -> "ServerProcess":
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"<ServerProcess {self.url} data_dir={self.data_dir} {state}>"

    # ------------------------------------------------------------------
    # HTTP helpers

    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(timeout=120.0)
        return self._client

    def post(self, operations: Any, *, headers: Mapping[str, str] | None = None,
             api_user: str | None = None, api_key: str | None = None) -> httpx.Response:
        """POST *operations* (JSON-encoded) to ``/api`` and return the raw response.

        *api_user*/*api_key* override the credentials; *headers* are added last.
        """
        request_headers = self.headers
        if api_user is not None:
            request_headers["ftrack-user"] = api_user
        if api_key is not None:
            request_headers["ftrack-api-key"] = api_key
        if headers:
            request_headers.update(headers)
        return self.client.post(self.api_url, json=operations, headers=request_headers)

    def call(self, operations: Any, **kw: Any) -> Any:
        """POST *operations* to ``/api`` and return the parsed JSON body.

        Error replies (``{"exception": ...}``) are returned as they are, so tests
        can assert on them; a non-JSON body raises ``AssertionError``.
        """
        response = self.post(operations, **kw)
        try:
            return response.json()
        except ValueError:
            raise AssertionError(
                f"/api answered HTTP {response.status_code} with a non-JSON body: "
                f"{response.text[:500]!r}") from None


@contextlib.contextmanager
def running_server(tmp_dir: str | os.PathLike[str], **kw: Any) -> Iterator[ServerProcess]:
    """Run a server on ``<tmp_dir>/data`` for the duration of the block."""
    server = ServerProcess(Path(tmp_dir) / "data", **kw)
    server.start()
    try:
        yield server
    finally:
        server.stop()
