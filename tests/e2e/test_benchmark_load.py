"""The load benchmark still runs on every server set-up with no error (a short run; no timing is asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from support.official import python_env_or_skip
from support.services import skip_or_fail

REPO = Path(__file__).resolve().parents[2]
SETUPS = ("sqlite-1", "postgresql-1", "postgresql-2")
#: load.py's exit status when PostgreSQL or Redis cannot be run here.
EXIT_UNAVAILABLE = 3


@pytest.mark.conformance
def test_load_benchmark_quick_run(tmp_path):
    python_env_or_skip()
    results = tmp_path / "results.json"
    result = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "load.py"), "--quick", "--results", str(results)],
        check=False, capture_output=True, text=True, timeout=600, cwd=REPO)
    if result.returncode == EXIT_UNAVAILABLE:
        skip_or_fail(result.stderr.strip())
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-3000:]
    assert "Errors: 0" in result.stdout
    for setup in SETUPS:
        for client in ("official", "ours"):
            assert f"| {setup} | {client} |" in result.stdout
    found = json.loads(results.read_text())
    assert found["errors"] == 0
    for setup in SETUPS:
        for client in ("official", "ours"):
            summary = found["setups"][setup][client]
            assert summary["errors"] == 0 and summary["operations"] > 0
            assert all(summary[kind]["count"] > 0 for kind in ("query", "create", "update", "publish"))
