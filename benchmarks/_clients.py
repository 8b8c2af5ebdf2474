"""Running a workload script with each client's own interpreter.

Both clients are imported as ``ftrack_api``, so every timed run is a
subprocess, ``python -I <workload> <spec JSON>``, that prints a JSON report
as its last line. Shared by the side-by-side benchmarks.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))
from support import official  # noqa: E402  (tests/support/official.py)

CLIENTS = ("official", "ours")


def interpreters() -> dict[str, str]:
    """The Python of each client; exits when the official one can't be built."""
    try:
        official_python = str(official.ensure_python_env())
    except official.OfficialClientUnavailable as error:
        raise SystemExit(f"The official client's environment is not available: {error}") from None
    return {"official": official_python, "ours": str(ROOT / ".venv" / "bin" / "python")}


def client_env(server, home: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """A clean environment pointing a client at *server*."""
    return official._clean_env({
        "FTRACK_SERVER": server.url, "FTRACK_API_USER": server.api_user,
        "FTRACK_API_KEY": server.api_key, "XDG_CACHE_HOME": str(home), **(extra or {}),
    })


class Clients:
    """Runs *workload* with either client against *server*, a schema cache each."""

    def __init__(self, server, work: Path, timeout: float, workload: Path, temp_dirs: bool = False):
        self.python = interpreters()
        self.server = server
        self.work = work
        self.timeout = timeout
        self.workload = workload
        self.temp_dirs = temp_dirs
        for client in CLIENTS:
            (work / f"schema-cache-{client}").mkdir()
            if temp_dirs:
                (work / f"tmp-{client}").mkdir()

    def run(self, client: str, spec: dict) -> dict:
        """The workload's JSON report; {"ok": False, "error": ...} for any failure."""
        spec = {**spec, "client": client, "schema_cache": str(self.work / f"schema-cache-{client}")}
        scratch = self.work / "scratch"
        scratch.mkdir(exist_ok=True)
        # Clients buffer transfers in temporary files: keep them in the work directory.
        extra = {"TMPDIR": str(self.work / f"tmp-{client}")} if self.temp_dirs else None
        env = client_env(self.server, self.work / f"xdg-{client}", extra)
        command = [self.python[client], "-I", str(self.workload), json.dumps(spec)]
        try:
            done = subprocess.run(command, cwd=scratch, env=env, capture_output=True, text=True, check=False,
                                  timeout=self.timeout, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired as error:
            return {"ok": False, "error": f"timed out after {self.timeout:.0f} s\n{tail(error.stderr)}"}
        lines = [line for line in done.stdout.splitlines() if line.strip()]
        try:
            found = json.loads(lines[-1])
        except (IndexError, ValueError):
            return {"ok": False, "error": f"exit {done.returncode}, no JSON report\n"
                                          f"--- stdout ---\n{tail(done.stdout)}\n--- stderr ---\n{tail(done.stderr)}"}
        if not found.get("ok") and done.stderr.strip():
            found["error"] += f"\n--- stderr ---\n{tail(done.stderr)}"
        return found


def tail(text: str | bytes | None, lines: int = 40) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return "\n".join((text or "").splitlines()[-lines:])


def indent(text: str) -> str:
    return "\n".join("      " + line for line in text.splitlines())
