"""A private PostgreSQL server for tests: its own cluster in a temporary folder, on a loopback port.

``scripts/install-services`` installs Debian's ``postgresql`` when it is missing. PostgreSQL refuses
to run as root, so as root the cluster belongs to the ``postgres`` user the package creates.
Every database the tests ask for is a copy of a template, which is fast (no schema to build).
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

from support.server import free_port
from support.services import ServiceUnavailable


def _binary(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=_version_key)
    return found[-1] if found else shutil.which(name)


def _version_key(path: str) -> int:
    part = path.split("/")[4]
    return int(part) if part.isdigit() else 0


class PostgresServer:
    """``postgres`` on 127.0.0.1 with trust authentication and no durability (tests only)."""

    def __init__(self, work_dir: Path, port: int | None = None) -> None:
        self.work_dir = work_dir
        self.data_dir = work_dir / "cluster"
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self._count = 0
        self._as_postgres = os.geteuid() == 0

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, command: list[str], **kw) -> subprocess.CompletedProcess:
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, text=True, **kw)

    def start(self) -> "PostgresServer":
        initdb, postgres = _binary("initdb"), _binary("postgres")
        if initdb is None or postgres is None:
            raise ServiceUnavailable("PostgreSQL is not installed (./scripts/install-services installs it)")
        if not self.data_dir.exists():
            self.work_dir.mkdir(parents=True, exist_ok=True)
            if self._as_postgres:
                shutil.chown(self.work_dir, "postgres", "postgres")
                self.work_dir.chmod(0o755)
                for parent in self.work_dir.parents:  # the postgres user must reach its folder
                    if parent.stat().st_mode & 0o001 == 0:
                        parent.chmod(parent.stat().st_mode | 0o001)
            done = self._run([initdb, "-D", str(self.data_dir), "-U", "postgres", "--auth=trust",
                              "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"], timeout=120)
            if done.returncode != 0:
                raise ServiceUnavailable(f"initdb failed: {done.stderr or done.stdout}")
        log_path = self.work_dir / "postgres.log"
        command = [postgres, "-D", str(self.data_dir), "-p", str(self.port), "-h", "127.0.0.1",
                   "-k", str(self.work_dir), "-c", "fsync=off", "-c", "synchronous_commit=off",
                   "-c", "full_page_writes=off", "-c", "max_connections=300"]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        with open(log_path, "ab") as log:
            self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 30
        while not self.answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise ServiceUnavailable(f"postgres did not start on port {self.port}: "
                                         f"{log_path.read_text(errors='replace')[-2000:]}")
            time.sleep(0.1)
        return self

    def answers(self) -> bool:
        import psycopg

        try:
            with psycopg.connect(self._dsn("postgres"), connect_timeout=2):
                return True
        except psycopg.OperationalError:
            return False

    def _dsn(self, database: str) -> str:
        return f"host=127.0.0.1 port={self.port} user=postgres dbname={database}"

    def execute(self, sql: str, database: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(self._dsn(database), autocommit=True) as conn:
            conn.execute(sql)

    def create_database(self, template: str | None = None) -> str:
        """A new, empty database (or a copy of `template`); returns its name."""
        self._count += 1
        name = f"test_{os.getpid()}_{self._count}"
        self.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return name

    def stop(self) -> None:
        """A fast shutdown: clients are disconnected, the data stays; the server can start again."""
        process, self.process = self.process, None
        if process is None:
            return
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        deadline = time.monotonic() + 30
        while (self.data_dir / "postmaster.pid").exists() and time.monotonic() < deadline:
            time.sleep(0.05)

    def __enter__(self) -> "PostgresServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
