"""Build and use private environments holding the *official* ftrack clients.

The conformance tests drive our server with the unchanged official clients:

* ``ftrack-python-api`` from PyPI.  Its import name, ``ftrack_api``, is also the
  name of our own client package, so it lives in its own virtual environment
  (``<repo>/.cache/official-python``) and scenario scripts run in a separate
  interpreter that never sees our ``src`` directory.
* ``@ftrack/api`` from npm, installed into ``<repo>/.cache/official-js``.

Both environments are built on first use and reused afterwards.  A file lock
keeps concurrent test runs (for example two pytest processes) from building the
same environment at once, and a marker file records a finished build.

When an environment cannot be built (typically: no network) the helpers raise
:class:`OfficialClientUnavailable`; :func:`python_env_or_skip` and
:func:`js_env_or_skip` turn that into a pytest skip with the reason, unless the
variable ``OPENFTRACK_REQUIRE_OFFICIAL_CLIENTS=1`` asks for a hard failure
(useful in CI, where a silent skip would hide a broken setup).

Scenario scripts follow one convention: they exit 0 on success and print a
single JSON document as the *last* line of stdout.  The runners return that
document parsed; any other outcome raises ``AssertionError`` carrying the
script's stdout and stderr.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any, Iterator, Protocol, Sequence

try:  # POSIX only; elsewhere fall back to a lock-free build.
    import fcntl
except ImportError:  # pragma: no cover - not exercised on Linux
    fcntl = None  # type: ignore[assignment]

REPO_ROOT = Path(__file__).resolve().parents[2]
CACHE_DIR = Path(os.environ.get("OPENFTRACK_CACHE_DIR", REPO_ROOT / ".cache"))

OFFICIAL_PYTHON_PACKAGE = "ftrack-python-api"
OFFICIAL_PYTHON_VERSION = "3.1.0"
OFFICIAL_JS_PACKAGE = "@ftrack/api"
OFFICIAL_JS_VERSION = "1.11.2"

PYTHON_ENV_DIR = CACHE_DIR / "official-python"
JS_ENV_DIR = CACHE_DIR / "official-js"

REQUIRE_ENV_VAR = "OPENFTRACK_REQUIRE_OFFICIAL_CLIENTS"

# Environment variables that must not leak from the test process into the
# official clients' processes: they could put our own packages on the path or
# change the official client's configuration behind the scenario's back.
_SCRUBBED_ENV = (
    "PYTHONPATH",
    "PYTHONHOME",
    "PYTHONSTARTUP",
    "PYTHONSAFEPATH",
    "VIRTUAL_ENV",
    "FTRACK_SERVER",
    "FTRACK_API_USER",
    "FTRACK_API_KEY",
    "FTRACK_APIKEY",
    "FTRACK_EVENT_PLUGIN_PATH",
    "FTRACK_API_SCHEMA_CACHE_PATH",
    "NODE_OPTIONS",
    "NODE_PATH",
)


class OfficialClientUnavailable(RuntimeError):
    """An official client's environment could not be built or used."""


class ServerLike(Protocol):
    """What the runners need from a server object (``ServerProcess`` fits)."""

    url: str
    api_user: str
    api_key: str


# --------------------------------------------------------------------------
# Small utilities


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock on *path* (created if needed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        if fcntl is not None:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _clean_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _SCRUBBED_ENV}
    env["PYTHONNOUSERSITE"] = "1"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["PYTHONIOENCODING"] = "utf-8"
    env["PYTHONUNBUFFERED"] = "1"
    if extra:
        env.update(extra)
    return env


def _run(cmd: Sequence[str], *, cwd: Path | None = None, env: dict[str, str] | None = None,
         timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run a build step, capturing its output (never raises on exit status)."""
    try:
        return subprocess.run(
            list(cmd), cwd=cwd, env=env if env is not None else _clean_env(),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as error:
        raise OfficialClientUnavailable(
            f"{' '.join(cmd)} timed out after {timeout:.0f} s\n"
            f"stdout:\n{_tail(error.stdout)}\nstderr:\n{_tail(error.stderr)}"
        ) from error
    except OSError as error:
        raise OfficialClientUnavailable(f"cannot run {cmd[0]}: {error}") from error


def _tail(text: str | bytes | None, lines: int = 40) -> str:
    if text is None:
        return ""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return "\n".join(text.splitlines()[-lines:])


def _describe_failure(what: str, result: subprocess.CompletedProcess[str]) -> str:
    """A short account of a failed build step (it ends up in skip reasons)."""

    def digest(text: str) -> str:
        # Drop stack-frame lines (npm prints whole JS stacks) and keep the end.
        lines = [line for line in (text or "").splitlines()
                 if line.strip() and not line.strip().startswith(("at ", "npm error     at "))]
        return "\n".join(lines[-12:])

    output = digest(result.stderr) or digest(result.stdout) or "<no output>"
    return f"{what} failed (exit {result.returncode}):\n{output}"


# Results of the (expensive) environment builds, memoised per process so a
# failed build is reported once and not retried by every test.
_memo: dict[str, Path | OfficialClientUnavailable] = {}
_memo_lock = threading.Lock()


def _memoised(key: str, build) -> Path:
    with _memo_lock:
        if key not in _memo:
            try:
                _memo[key] = build()
            except OfficialClientUnavailable as error:
                _memo[key] = error
        result = _memo[key]
    if isinstance(result, OfficialClientUnavailable):
        raise result
    return result


def _skip_or_fail(error: OfficialClientUnavailable):
    import pytest

    if os.environ.get(REQUIRE_ENV_VAR, "").strip() not in ("", "0"):
        pytest.fail(f"official client environment required but unavailable: {error}",
                    pytrace=False)
    pytest.skip(f"official client environment unavailable: {error}")


# --------------------------------------------------------------------------
# Official Python client


def _venv_python(env_dir: Path) -> Path:
    if os.name == "nt":  # pragma: no cover
        return env_dir / "Scripts" / "python.exe"
    return env_dir / "bin" / "python"


_PROBE_PYTHON = (
    "import json, sys, ftrack_api; "
    "print(json.dumps({'version': ftrack_api.__version__, 'file': ftrack_api.__file__, "
    "'prefix': sys.prefix}))"
)


def _probe_python_env(env_dir: Path) -> dict[str, Any] | None:
    """Return facts about the venv's ``ftrack_api`` or ``None`` if unusable."""
    python = _venv_python(env_dir)
    if not python.exists():
        return None
    with tempfile.TemporaryDirectory() as cwd:
        result = _run([str(python), "-I", "-c", _PROBE_PYTHON], cwd=Path(cwd), timeout=120)
    if result.returncode != 0:
        return None
    try:
        info = json.loads(result.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return None
    # The import must come from the private venv, never from our src tree.
    if not str(Path(info["file"]).resolve()).startswith(str(env_dir.resolve())):
        return None
    if not str(info["version"]).startswith(OFFICIAL_PYTHON_VERSION):
        return None
    return info


def _build_python_env() -> Path:
    env_dir = PYTHON_ENV_DIR
    marker = env_dir / ".openftrack-ready"
    wanted = f"{OFFICIAL_PYTHON_PACKAGE}=={OFFICIAL_PYTHON_VERSION}"
    with _file_lock(CACHE_DIR / "official-python.lock"):
        if marker.exists() and marker.read_text().strip() == wanted and _probe_python_env(env_dir):
            return _venv_python(env_dir)
        # Start from scratch: a half-built venv is not worth repairing.
        if env_dir.exists():
            shutil.rmtree(env_dir)
        result = _run([sys.executable, "-m", "venv", str(env_dir)], timeout=300)
        if result.returncode != 0:
            raise OfficialClientUnavailable(_describe_failure("creating the venv", result))
        python = _venv_python(env_dir)
        result = _run(
            [str(python), "-m", "pip", "install", "--disable-pip-version-check", "--no-input",
             "--quiet", wanted],
            timeout=900,
        )
        if result.returncode != 0:
            raise OfficialClientUnavailable(_describe_failure(f"pip install {wanted}", result))
        if _probe_python_env(env_dir) is None:
            raise OfficialClientUnavailable(
                f"{wanted} installed into {env_dir} but 'import ftrack_api' does not yield "
                f"version {OFFICIAL_PYTHON_VERSION} from that venv"
            )
        marker.write_text(wanted + "\n")
        return python


def ensure_python_env() -> Path:
    """Return the official venv's interpreter, building the venv if needed.

    Raises :class:`OfficialClientUnavailable` when it cannot be built.
    """
    return _memoised("python", _build_python_env)


def python_env_or_skip() -> Path:
    """Like :func:`ensure_python_env`, but skips the calling test on failure."""
    try:
        return ensure_python_env()
    except OfficialClientUnavailable as error:
        _skip_or_fail(error)
        raise  # unreachable: _skip_or_fail always raises


def run_python_scenario(script_path: str | os.PathLike[str], server: ServerLike, *args: Any,
                        timeout: float = 300, env: dict[str, str] | None = None) -> Any:
    """Run *script_path* with the official client's interpreter against *server*.

    The script gets ``FTRACK_SERVER``/``FTRACK_API_USER``/``FTRACK_API_KEY``
    from *server*, a private empty ``FTRACK_API_SCHEMA_CACHE_PATH``, the extra
    *args* as ``sys.argv[1:]`` and no ``PYTHONPATH``.  Returns the JSON document
    printed on the last stdout line.
    """
    return run_python_scenario_with(ensure_python_env(), script_path, server, *args,
                                    timeout=timeout, env=env)


def run_python_scenario_with(python: str | os.PathLike[str], script_path: str | os.PathLike[str],
                             server: ServerLike, *args: Any, timeout: float = 300,
                             env: dict[str, str] | None = None) -> Any:
    """Run *script_path* with the interpreter *python*, isolated as described above.

    :func:`run_python_scenario` passes the official venv's interpreter;
    ``support.clients`` passes ours, so both clients run a scenario under the
    very same conventions.
    """
    script = Path(script_path).resolve()
    with tempfile.TemporaryDirectory(prefix="ftrack-scenario-py-") as work:
        work_dir = Path(work)
        schema_cache = work_dir / "schema-cache"
        schema_cache.mkdir()
        run_env = _clean_env({
            "FTRACK_SERVER": server.url,
            "FTRACK_API_USER": server.api_user,
            "FTRACK_API_KEY": server.api_key,
            "FTRACK_API_SCHEMA_CACHE_PATH": str(schema_cache),
            # Somewhere writable for anything that uses the home cache dir.
            "XDG_CACHE_HOME": str(work_dir / "xdg-cache"),
        })
        if env:
            run_env.update(env)
        # "-I" (isolated mode): ignore PYTHON* variables and the user
        # site-packages, and do not put the script's own directory on sys.path
        # (so sibling scenario scripts can never shadow a module).  The cwd is a
        # scratch dir, so nothing from the repository can shadow the client
        # package either.
        cmd = [str(python), "-I", str(script), *map(str, args)]
        return _run_scenario(cmd, cwd=work_dir, env=run_env, timeout=timeout, script=script)


# --------------------------------------------------------------------------
# Official JavaScript client


_PROBE_JS = (
    "const m = await import('@ftrack/api');"
    "const fs = await import('node:fs');"
    "const pkg = JSON.parse(fs.readFileSync('node_modules/@ftrack/api/package.json', 'utf8'));"
    "console.log(JSON.stringify({version: pkg.version, hasSession: typeof m.Session === 'function'}));"
)


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        raise OfficialClientUnavailable("node is not installed (need Node.js 18+ for fetch)")
    return node


def _probe_js_env(env_dir: Path) -> dict[str, Any] | None:
    if not (env_dir / "node_modules" / "@ftrack" / "api" / "package.json").exists():
        return None
    result = _run([_node(), "--input-type=module", "-e", _PROBE_JS], cwd=env_dir,
                  env=_clean_env(), timeout=120)
    if result.returncode != 0:
        return None
    try:
        info = json.loads(result.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return None
    if info.get("version") != OFFICIAL_JS_VERSION or not info.get("hasSession"):
        return None
    return info


def _build_js_env() -> Path:
    env_dir = JS_ENV_DIR
    marker = env_dir / ".openftrack-ready"
    wanted = f"{OFFICIAL_JS_PACKAGE}@{OFFICIAL_JS_VERSION}"
    node = _node()
    version = _run([node, "--version"], timeout=60).stdout.strip()
    try:
        major = int(version.lstrip("v").split(".")[0])
    except ValueError:
        major = 0
    if major < 18:
        raise OfficialClientUnavailable(f"node {version} is too old; the client needs global fetch")
    npm = shutil.which("npm")
    if npm is None:
        raise OfficialClientUnavailable("npm is not installed")
    with _file_lock(CACHE_DIR / "official-js.lock"):
        if marker.exists() and marker.read_text().strip() == wanted and _probe_js_env(env_dir):
            return env_dir
        env_dir.mkdir(parents=True, exist_ok=True)
        (env_dir / "package.json").write_text(json.dumps(
            {"name": "openftrack-official-js", "private": True, "type": "module"}, indent=2) + "\n")
        result = _run(
            [npm, "install", "--no-audit", "--no-fund", "--loglevel=error", "--save-exact",
             wanted],
            cwd=env_dir, timeout=900,
        )
        if result.returncode != 0:
            raise OfficialClientUnavailable(_describe_failure(f"npm install {wanted}", result))
        if _probe_js_env(env_dir) is None:
            raise OfficialClientUnavailable(
                f"{wanted} installed into {env_dir} but cannot be imported by node")
        marker.write_text(wanted + "\n")
        return env_dir


def ensure_js_env() -> Path:
    """Return the directory holding ``node_modules/@ftrack/api``, building it if needed."""
    return _memoised("js", _build_js_env)


def js_env_or_skip() -> Path:
    """Like :func:`ensure_js_env`, but skips the calling test on failure."""
    try:
        return ensure_js_env()
    except OfficialClientUnavailable as error:
        _skip_or_fail(error)
        raise


def _stage_js_script(env_dir: Path, script: Path) -> Path:
    """Copy *script* under *env_dir* so ``import "@ftrack/api"`` resolves.

    ES modules resolve bare specifiers from the importing file's location
    (``NODE_PATH`` is ignored for them), hence the copy.  The copy's name
    carries a content hash and is written atomically, so concurrent runs never
    see a half-written file.
    """
    content = script.read_bytes()
    digest = hashlib.sha256(content).hexdigest()[:12]
    staged_dir = env_dir / "scenarios"
    staged_dir.mkdir(exist_ok=True)
    staged = staged_dir / f"{script.stem}-{digest}{script.suffix or '.mjs'}"
    if not staged.exists():
        fd, tmp = tempfile.mkstemp(dir=staged_dir, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.replace(tmp, staged)
    return staged


def run_js_scenario(script_path: str | os.PathLike[str], server: ServerLike, *args: Any,
                    timeout: float = 120, env: dict[str, str] | None = None) -> Any:
    """Run the ES module *script_path* with node and the official JS client.

    Same environment variables and JSON-last-line convention as
    :func:`run_python_scenario`; extra *args* arrive as ``process.argv[2:]``.
    """
    env_dir = ensure_js_env()
    script = Path(script_path).resolve()
    staged = _stage_js_script(env_dir, script)
    run_env = _clean_env({
        "FTRACK_SERVER": server.url,
        "FTRACK_API_USER": server.api_user,
        "FTRACK_API_KEY": server.api_key,
        "NODE_PATH": str(env_dir / "node_modules"),
    })
    if env:
        run_env.update(env)
    cmd = [_node(), str(staged), *map(str, args)]
    return _run_scenario(cmd, cwd=env_dir, env=run_env, timeout=timeout, script=script)


# --------------------------------------------------------------------------
# Shared scenario runner


def _run_scenario(cmd: list[str], *, cwd: Path, env: dict[str, str], timeout: float,
                  script: Path) -> Any:
    try:
        result = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, timeout=timeout,
                                stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as error:
        raise AssertionError(
            f"scenario {script.name} timed out after {timeout:.0f} s\n"
            f"--- stdout ---\n{_tail(error.stdout, 200)}\n--- stderr ---\n{_tail(error.stderr, 200)}"
        ) from None
    if result.returncode != 0:
        raise AssertionError(
            f"scenario {script.name} failed (exit {result.returncode})\n"
            f"--- stdout ---\n{_tail(result.stdout, 200)}\n"
            f"--- stderr ---\n{_tail(result.stderr, 200)}"
        )
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    if not lines:
        raise AssertionError(
            f"scenario {script.name} printed nothing on stdout (expected a JSON summary)\n"
            f"--- stderr ---\n{_tail(result.stderr, 200)}"
        )
    try:
        return json.loads(lines[-1])
    except ValueError:
        raise AssertionError(
            f"scenario {script.name}: last stdout line is not JSON: {lines[-1]!r}\n"
            f"--- stdout ---\n{_tail(result.stdout, 200)}\n"
            f"--- stderr ---\n{_tail(result.stderr, 200)}"
        ) from None
