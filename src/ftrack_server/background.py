"""A server in a background thread of the current process."""

from __future__ import annotations

import contextlib
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from .app import create_app
from .files import ComponentStorage
from .store.database import Database
from .store.setup import initialise


@dataclass(frozen=True)
class RunningServer:
    url: str
    api_user: str
    api_key: str
    data_dir: Path


@contextlib.contextmanager
def running_server(
    data_dir: Path | None = None, host: str = "127.0.0.1", port: int = 0, api_user: str = "admin",
    api_key: str | None = None,
) -> Iterator[RunningServer]:
    """Serve a database in a background thread for the duration of the block."""
    with contextlib.ExitStack() as stack:
        if data_dir is None:
            data_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="openftrack-")))
        db = Database.in_directory(Path(data_dir))
        stack.callback(db.dispose)
        credentials = initialise(db, api_user, api_key)
        port = port or _free_port(host)
        app = create_app(db, files=ComponentStorage(Path(data_dir)))
        server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning"))
        thread = threading.Thread(target=server.run, name="openftrack-server", daemon=True)
        thread.start()
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError(f"The server could not start on {host}:{port}.")
            time.sleep(0.02)
        try:
            yield RunningServer(f"http://{host}:{port}", credentials.username, credentials.api_key, Path(data_dir))
        finally:
            server.should_exit = True
            thread.join()


def _free_port(host: str) -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]
