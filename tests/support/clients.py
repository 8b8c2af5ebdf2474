"""Run one Python scenario script with either ``ftrack_api``: the official one or ours.

The compatibility suite (``tests/compat``) runs the same script twice against
the same server and compares what the two runs print.  Both runs use the
conventions of :func:`support.official.run_python_scenario`: ``python -I``, a
scrubbed environment, a scratch working directory, credentials in
``FTRACK_SERVER``/``FTRACK_API_USER``/``FTRACK_API_KEY`` and a JSON document
on the last stdout line.  Only the interpreter differs:

* ``official``: the private venv holding ``ftrack-python-api`` from PyPI;
* ``ours``: the interpreter running the tests (``sys.executable``), whose
  site-packages has our ``openftrack`` distribution installed (editable), so
  ``import ftrack_api`` finds ``<repo>/src/ftrack_api`` even in isolated mode.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from support.official import (
    REPO_ROOT,
    ServerLike,
    ensure_python_env,
    python_env_or_skip,
    run_python_scenario_with,
)

OFFICIAL = "official"
OURS = "ours"
CLIENTS = (OFFICIAL, OURS)

OUR_SRC = REPO_ROOT / "src"


def our_python() -> Path:
    """The interpreter that imports our ``ftrack_api`` (the one running the tests)."""
    return Path(sys.executable)


def client_python(client: str) -> Path:
    """The interpreter for *client* (``"official"`` builds its venv on first use)."""
    if client == OFFICIAL:
        return ensure_python_env()
    if client == OURS:
        return our_python()
    raise ValueError(f"unknown client {client!r}; expected one of {CLIENTS}")


def client_python_or_skip(client: str) -> Path:
    """Like :func:`client_python`, but skips the test when the official venv is unavailable."""
    if client == OFFICIAL:
        return python_env_or_skip()
    return client_python(client)


def run_client_scenario(client: str, script_path: str | os.PathLike[str], server: ServerLike,
                        *args: Any, timeout: float = 300,
                        env: dict[str, str] | None = None) -> Any:
    """Run *script_path* with *client*'s ``ftrack_api`` against *server*; return its JSON."""
    return run_python_scenario_with(client_python(client), script_path, server, *args,
                                    timeout=timeout, env=env)


def run_our_python_scenario(script_path: str | os.PathLike[str], server: ServerLike, *args: Any,
                            timeout: float = 300, env: dict[str, str] | None = None) -> Any:
    """:func:`support.official.run_python_scenario`, but with our client."""
    return run_client_scenario(OURS, script_path, server, *args, timeout=timeout, env=env)
