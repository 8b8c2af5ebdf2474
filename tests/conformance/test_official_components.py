"""Conformance: the official clients publishing to, and reading from, the ftrack.server location."""

from __future__ import annotations

import base64
import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from support.components import SERVER_LOCATION_ID, image_bytes
from support.official import js_env_or_skip, python_env_or_skip, run_js_scenario, run_python_scenario
from support.server import ServerProcess
from support.services import skip_or_fail

pytestmark = pytest.mark.conformance

HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def official_python() -> Path:
    return python_env_or_skip()


@pytest.fixture(scope="module")
def official_js() -> Path:
    return js_env_or_skip()


def test_official_python_client_publishes_to_the_server_location(
    official_python: Path, server: ServerProcess, tmp_path: Path,
) -> None:
    data = tmp_path / "plate.mov"
    data.write_bytes(os.urandom(3 * 1024 * 1024 + 7))
    image = tmp_path / "frame.png"
    image.write_bytes(image_bytes(480, 240, "PNG"))
    thumbnail = tmp_path / "thumbnail"
    summary = run_python_scenario(HERE / "python" / "server_location.py", server, data, image, thumbnail)
    assert summary["resource_identifier_is_component_id"] is True
    assert summary["availability"] == 100.0
    assert summary["download_status"] == 200
    assert summary["download_equal"] is True
    assert summary["accessor_equal"] is True
    assert summary["range_ok"] is True
    assert summary["thumbnail_status"] == 200 and summary["thumbnail_type"] == "image/jpeg"
    assert Image.open(thumbnail).size == (120, 60)
    assert summary["after_remove_status"] == 404
    assert summary["read_after_remove"] == "failed"
    assert summary["entries_after_remove"] == 0
    assert summary["members"] == 3 and summary["members_equal"] is True


def test_official_js_client_creates_components(official_js: Path, server: ServerProcess, tmp_path: Path) -> None:
    image = tmp_path / "frame.png"
    image.write_bytes(image_bytes(256, 128, "PNG"))
    summary = run_js_scenario(HERE / "js" / "components.mjs", server, image)
    single, multipart = summary["single"], summary["multipart"]
    assert single["multipart"] is False and single["parts"] == 0 and single["fileType"] == ".txt"
    assert multipart["multipart"] is True and multipart["parts"] == 17
    for published in (single, multipart, summary["image"]):
        assert published["equal"] is True
        assert published["resourceIdentifierIsId"] is True
        assert published["locationId"] == SERVER_LOCATION_ID
        assert published["locationAction"] == "create"
    thumbnail = summary["thumbnail"]
    assert thumbnail["status"] == 200 and thumbnail["type"] == "image/jpeg"
    assert Image.open(io.BytesIO(base64.b64decode(thumbnail["base64"]))).size == (64, 32)
    placeholder = summary["placeholder"]
    assert placeholder["url"] == f"{server.url}/img/thumbnail2.png"
    assert placeholder["status"] == 200 and placeholder["type"] == "image/png"


def test_official_python_client_encode_media(official_python: Path, server: ServerProcess, tmp_path: Path) -> None:
    ffmpeg = shutil.which("ffmpeg")
    if not ffmpeg or not shutil.which("ffprobe"):
        skip_or_fail("ffmpeg is not installed (apt-get install ffmpeg)")
    movie = tmp_path / "clip.mov"
    subprocess.run([ffmpeg, "-nostdin", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=64x36:rate=24:duration=1",
                    "-c:v", "mjpeg", str(movie)], check=True, timeout=60)
    summary = run_python_scenario(HERE / "python" / "encode_media.py", server, movie)
    assert summary["job_type"] == "Job"
    assert summary["status"] == "done"
    assert summary["formats"] == ["video/mp4", "image/jpeg"]
    assert summary["keep_original"] is False
    assert summary["readable"] == [True, True]
    assert summary["version_status"] == "done"
    assert summary["version_components"] == ["ftrackreview-image", "ftrackreview-mp4"]
