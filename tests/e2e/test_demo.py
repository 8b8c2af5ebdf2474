"""The README's main job: ``scripts/serve`` runs this demo."""

from __future__ import annotations

import subprocess
import sys

from support.server import free_port


def test_demo_builds_and_queries_a_project(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "ftrack_server.demo", "--data-dir", str(tmp_path / "data"),
         "--port", str(free_port()), "--exit"],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any(line.startswith("  export FTRACK_API_KEY=") for line in lines)
    tasks = [line for line in lines if "status='Not started'" in line]
    assert [line.split("/")[-1].split()[0] for line in tasks] == ["Animation", "Compositing", "Layout"]
    assert "Shot metadata: {'camera': 'A'}" in lines
