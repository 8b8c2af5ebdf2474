"""``ftrack-publish``: the command publishing a file or a sequence, run as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import pytest
from support.components import generated

import ftrack_api
import ftrack_api.symbol

SCRIPT = Path(sys.executable).parent / "ftrack-publish"


def publish(server, *arguments: str, command: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("FTRACK_")}
    env |= {"FTRACK_SERVER": server.url, "FTRACK_API_USER": server.api_user, "FTRACK_API_KEY": server.api_key,
            "FTRACK_EVENT_PLUGIN_PATH": ""}
    command = command or [sys.executable, "-m", "ftrack_api.cli"]
    return subprocess.run([*command, *arguments], env=env, capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL)


@pytest.fixture
def session(server, tmp_path):
    session = ftrack_api.Session(server_url=server.url, api_key=server.api_key, api_user=server.api_user,
                                 schema_cache_path=str(tmp_path / "schemas"), plugin_paths=[],
                                 auto_connect_event_hub=False)
    yield session
    session.close()


def download(session, component_id: str) -> bytes:
    location = session.get("Location", ftrack_api.symbol.SERVER_LOCATION_ID)
    response = httpx.get(location.get_url(session.get("Component", component_id)), timeout=60)
    assert response.status_code == 200
    return response.content


def test_publishes_a_file_with_a_progress_bar(server, session, tmp_path):
    path = tmp_path / "plate_v001.mov"
    with open(path, "wb") as handle:
        for block in generated(4 * 1024 * 1024 + 99, seed=11):
            handle.write(block)
    if not SCRIPT.exists():
        pytest.skip(f"{SCRIPT} is not installed (pip install -e . makes it)")
    result = publish(server, str(path), command=[str(SCRIPT)])
    assert result.returncode == 0, result.stderr
    component_id = result.stdout.strip()
    component = session.get("FileComponent", component_id)
    assert component["name"] == "plate_v001" and component["file_type"] == ".mov"
    assert download(session, component_id) == path.read_bytes()
    lines = result.stderr.splitlines()
    assert lines[0].startswith("plate_v001.mov  [") and "  0%" in lines[0]
    assert "100%" in lines[-1] and "4.0/4.0 MiB" in lines[-1]
    assert len(lines) <= 11, "one line per tenth when stderr is not a terminal"


def test_publishes_every_frame_on_disk_to_a_version(server, session, tmp_path):
    schema = session.query("ProjectSchema").first()
    project = session.create("Project", {"name": f"cli_{uuid.uuid4().hex[:8]}", "full_name": "CLI",
                                         "project_schema": schema})
    asset = session.create("Asset", {"name": "plate", "type": session.query("AssetType").first(),
                                     "parent": project})
    version = session.create("AssetVersion", {"asset": asset})
    session.commit()
    frames = {}
    for frame in (1001, 1002, 1003, 1005):
        frames[str(frame)] = f"frame {frame}".encode() * 50
        (tmp_path / f"plate.{frame}.exr").write_bytes(frames[str(frame)])
    (tmp_path / "plate.10x.exr").write_bytes(b"not a frame")

    result = publish(server, str(tmp_path / "plate.%04d.exr"), "--version-id", version["id"], "--name", "main",
                     "--quiet")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    sequence = session.get("SequenceComponent", result.stdout.strip())
    assert sequence["name"] == "main" and sequence["version_id"] == version["id"]
    members = {member["name"]: member for member in sequence["members"]}
    assert sorted(members) == sorted(frames)
    for name, member in members.items():
        assert download(session, member["id"]) == frames[name]


def test_an_explicit_frame_list(server, session, tmp_path):
    for frame in range(1, 6):
        (tmp_path / f"shot_{frame:03d}.dpx").write_bytes(bytes([frame]) * 1000)
    result = publish(server, f"{tmp_path}/shot_%03d.dpx [2-4]")
    assert result.returncode == 0, result.stderr
    sequence = session.get("SequenceComponent", result.stdout.strip())
    assert sequence["name"] == "shot"
    assert sorted(member["name"] for member in sequence["members"]) == ["002", "003", "004"]


@pytest.mark.parametrize("arguments, message", [
    (["{tmp}/missing.exr"], "no such file: {tmp}/missing.exr"),
    (["{tmp}/none.%04d.exr"], "no frames on disk match {tmp}/none.%04d.exr"),
    (["{tmp}/gap.%04d.exr [1-3]"], "frame missing: {tmp}/gap.0002.exr"),
    (["{tmp}/data.bin", "--location", "nowhere"], "no location named 'nowhere'"),
    (["{tmp}/data.bin", "--version-id", "5d0c8b5e-0000-0000-0000-000000000000"], "no AssetVersion with id"),
])
def test_bad_input_exits_1_naming_the_problem(server, tmp_path, arguments, message):
    (tmp_path / "data.bin").write_bytes(b"data")
    for frame in (1, 3):
        (tmp_path / f"gap.{frame:04d}.exr").write_bytes(b"frame")
    result = publish(server, *(argument.format(tmp=tmp_path) for argument in arguments))
    assert result.returncode == 1
    assert result.stdout == ""
    assert f"ftrack-publish: error: {message.format(tmp=tmp_path)}" in result.stderr


def test_without_credentials(tmp_path):
    (tmp_path / "data.bin").write_bytes(b"data")
    env = {key: value for key, value in os.environ.items() if not key.startswith("FTRACK_")}
    result = subprocess.run([sys.executable, "-m", "ftrack_api.cli", str(tmp_path / "data.bin")], env=env,
                            capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert result.returncode == 1
    assert "ftrack-publish: error: Required ftrack credentials not given" in result.stderr


def test_usage_errors_exit_2(tmp_path):
    result = subprocess.run([sys.executable, "-m", "ftrack_api.cli"], capture_output=True, text=True, timeout=60,
                            stdin=subprocess.DEVNULL)
    assert result.returncode == 2
    assert "usage: ftrack-publish" in result.stderr


def test_progress_bar_on_a_terminal_redraws_one_line():
    import io

    from ftrack_api.cli import ProgressBar

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    stream = Terminal()
    bar = ProgressBar(2048, "x.bin", stream=stream)
    bar({"id": "a"}, 0, 1024)
    bar({"id": "a"}, 1024, 1024)
    bar({"id": "b"}, 1024, 1024)
    bar.finish()
    text = stream.getvalue()
    assert text.startswith("\rx.bin  [") and text.endswith("\n")
    assert "\n" not in text[:-1]
    assert text.rsplit("\r", 1)[-1].startswith("x.bin  [" + "#" * ProgressBar.WIDTH + "] 100%")
