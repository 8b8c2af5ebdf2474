"""The client benchmark still runs (a small size; no timing is asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from support.official import python_env_or_skip

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.conformance
def test_client_benchmark_quick_run(tmp_path):
    python_env_or_skip()
    result = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "client.py"), "--quick",
         "--results", str(tmp_path / "results.json")],
        capture_output=True, text=True, timeout=300, cwd=REPO)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "Both clients read the same values: yes" in result.stdout
