"""The file benchmark still runs (a tiny file; no timing is asserted) and leaves nothing behind."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from support.official import python_env_or_skip

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.conformance
def test_file_benchmark_small_run(tmp_path):
    python_env_or_skip()
    work = tmp_path / "work"
    results = tmp_path / "results.json"
    result = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "files.py"), "--size", "3M", "--repeat", "1",
         "--work-dir", str(work), "--results", str(results)],
        capture_output=True, text=True, timeout=300, cwd=REPO)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    for client in ("official", "ours"):
        for step in ("download_accessor", "download_url"):
            assert f"check: {client} {step}: same bytes" in result.stdout
    assert "disk floor: shutil.copyfile" in result.stdout
    found = json.loads(results.read_text())
    assert [row["measure"] for row in found["figures"]] == [
        "upload (create_component + commit)", "download (accessor open/read)", "download (get_url + urllib)"]
    assert all(row["ratio"] for row in found["figures"])
    assert found["server_memory"]["high_water_mark"] > 0
    assert list(work.iterdir()) == [], "the benchmark deletes its temporary files"
