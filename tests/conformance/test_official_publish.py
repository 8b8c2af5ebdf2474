"""Conformance: the official Python client publishing a 100-frame sequence and a container to ftrack.server.

The same acceptance as ``tests/server/test_files_publish.py`` (our client):
every member's bytes come back unchanged, and removing the components from
the location deletes the bytes.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from support.official import python_env_or_skip, run_python_scenario
from support.server import ServerProcess

pytestmark = pytest.mark.conformance

HERE = Path(__file__).resolve().parent
FRAMES = 100


def md5(content: bytes) -> str:
    return hashlib.md5(content).hexdigest()


def test_official_python_client_publishes_a_sequence_and_a_container(server: ServerProcess, tmp_path: Path) -> None:
    python_env_or_skip()
    frames_folder = tmp_path / "frames"
    frames_folder.mkdir()
    frames = {}
    for frame in range(1, FRAMES + 1):
        content = f"frame {frame} ".encode() * (20 + frame % 7)
        (frames_folder / f"shot.{frame:04d}.exr").write_bytes(content)
        frames[f"{frame:04d}"] = md5(content)
    members_folder = tmp_path / "bundle"
    members_folder.mkdir()
    members = {"model": b"mesh " * 3000, "rig": b"joints " * 700, "notes": b"", "textures": os.urandom(300_000)}
    for name, content in members.items():
        (members_folder / f"{name}.bin").write_bytes(content)

    summary = run_python_scenario(HERE / "python" / "publish_sequence_container.py", server,
                                  frames_folder, members_folder)

    assert summary["sequence_type"] == "SequenceComponent"
    assert summary["sequence_availability"] == 100.0
    assert summary["sequence_statuses"] == [200]
    assert summary["sequence_md5"] == frames
    assert summary["sequence_after_remove"] == [404]

    expected = {name: md5(content) for name, content in members.items()}
    assert summary["container_availability"] == 100.0
    assert summary["container_statuses"] == [200]
    assert summary["container_md5"] == expected
    assert summary["container_accessor_md5"] == expected
    assert summary["container_after_remove"] == [404]
    assert summary["container_entries_after_remove"] == 0
