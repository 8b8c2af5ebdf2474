"""Tests for ``ftrack_api.data`` (spec §18)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ftrack_api.data import Data, File, FileWrapper, String


class Recorder(Data):
    """The smallest concrete Data: remembers what was written."""

    def __init__(self) -> None:
        super().__init__()
        self.content = b""
        self.flushes = 0

    def read(self, limit: int | None = None) -> bytes:
        return self.content

    def write(self, content: bytes) -> None:
        self.content += content

    def flush(self) -> None:
        super().flush()
        self.flushes += 1


def test_data_is_abstract() -> None:
    with pytest.raises(TypeError):
        Data()  # type: ignore[abstract]


def test_data_seek_and_tell_are_not_supported() -> None:
    data = Recorder()
    with pytest.raises(NotImplementedError, match="Seek not supported"):
        data.seek(0)
    with pytest.raises(NotImplementedError, match="Seek not supported"):
        data.seek(0, os.SEEK_END)
    with pytest.raises(NotImplementedError, match="Tell not supported"):
        data.tell()


def test_data_close_flushes_and_marks_closed() -> None:
    data = Recorder()
    assert data.closed is False
    data.close()
    assert data.closed is True
    assert data.flushes == 1


def test_data_as_context_manager_closes() -> None:
    with Recorder() as data:
        data.write(b"x")
    assert data.closed


def test_file_wrapper_passes_calls_through(tmp_path: Path) -> None:
    path = tmp_path / "wrapped.bin"
    path.write_bytes(b"0123456789")
    wrapper = FileWrapper(open(path, "r+b"))
    assert wrapper.read(3) == b"012"
    assert wrapper.tell() == 3
    wrapper.seek(-2, os.SEEK_END)
    assert wrapper.read() == b"89"
    wrapper.seek(0)
    assert wrapper.read(None) == b"0123456789"
    wrapper.close()
    assert wrapper.closed and wrapper.wrapped_file.closed


def test_file_wrapper_write_after_read_lands_at_the_read_position(tmp_path: Path) -> None:
    path = tmp_path / "mixed.bin"
    path.write_bytes(b"abcdef")
    wrapper = FileWrapper(open(path, "r+b"))
    assert wrapper.read(2) == b"ab"
    wrapper.write(b"XY")
    wrapper.close()
    assert path.read_bytes() == b"abXYef"


def test_file_wrapper_read_after_close_raises_value_error(tmp_path: Path) -> None:
    path = tmp_path / "closed.bin"
    path.write_bytes(b"data")
    wrapper = FileWrapper(open(path, "rb"))
    wrapper.close()
    wrapper.close()  # closing twice is harmless
    with pytest.raises(ValueError, match="closed file"):
        wrapper.read()


def test_file_opens_path_with_mode(tmp_path: Path) -> None:
    path = tmp_path / "file.txt"
    writer = File(path, "wb")
    writer.write(b"hello")
    writer.close()
    assert path.read_bytes() == b"hello"

    reader = File(str(path))
    assert reader.wrapped_file.mode == "rb"
    assert reader.read() == b"hello"
    reader.close()


def test_file_missing_path_raises_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        File(tmp_path / "missing")


def test_string_text_in_text_out() -> None:
    data = String("héllo")
    assert data.is_binary is False
    assert data.read() == "héllo"


def test_string_bytes_in_bytes_out() -> None:
    data = String(b"\x00\x01")
    assert data.is_binary is True
    assert data.read() == b"\x00\x01"


def test_string_empty_then_written() -> None:
    data = String()
    assert data.is_binary is True
    assert data.read() == b""
    data.write("text")
    assert data.is_binary is False
    data.seek(0)
    assert data.read() == "text"


def test_string_read_with_limit() -> None:
    data = String(b"abcdef")
    assert data.read(4) == b"abcd"
    assert data.read(4) == b"ef"


def test_string_is_backed_by_a_temporary_file() -> None:
    data = String(b"x")
    assert hasattr(data.wrapped_file, "fileno")
    data.close()
    assert data.closed and data.wrapped_file.closed


@given(st.text())
def test_string_round_trips_text(text: str) -> None:
    data = String(text)
    assert data.read() == text
    data.close()


@given(st.binary())
def test_string_round_trips_bytes(content: bytes) -> None:
    data = String()
    data.write(content)
    data.seek(0)
    assert data.read() == content
    data.close()
