"""Tests for ``ftrack_api.accessor.disk.DiskAccessor`` (spec §21), on real files."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

import ftrack_api.data
from ftrack_api.accessor.base import Accessor
from ftrack_api.accessor.disk import DiskAccessor, error_handler
from ftrack_api.exception import (
    AccessorContainerNotEmptyError,
    AccessorFilesystemPathError,
    AccessorOperationFailedError,
    AccessorParentResourceNotFoundError,
    AccessorPermissionDeniedError,
    AccessorResourceInvalidError,
    AccessorResourceNotFoundError,
    AccessorUnsupportedOperationError,
)


@pytest.fixture
def prefix(tmp_path: Path) -> str:
    path = tmp_path / "location"
    path.mkdir()
    return str(path)


@pytest.fixture
def accessor(prefix: str) -> DiskAccessor:
    return DiskAccessor(prefix)


# -- base class -------------------------------------------------------------


def test_accessor_is_abstract() -> None:
    with pytest.raises(TypeError):
        Accessor()  # type: ignore[abstract]


def test_base_defaults(accessor: DiskAccessor, prefix: str) -> None:
    with pytest.raises(AccessorUnsupportedOperationError) as caught:
        accessor.get_url("file.txt")
    assert caught.value.details["operation"] == "get_url"
    Path(prefix, "empty").mkdir()
    accessor.remove_container("empty")
    assert not Path(prefix, "empty").exists()


# -- prefix and filesystem paths ---------------------------------------------


def test_prefix_is_expanded_and_made_absolute(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("LOCATION_ROOT", str(tmp_path))
    monkeypatch.setenv("HOME", str(tmp_path))
    assert DiskAccessor("$LOCATION_ROOT/a").prefix == str(tmp_path / "a")
    assert DiskAccessor("~/b").prefix == str(tmp_path / "b")
    monkeypatch.chdir(tmp_path)
    assert DiskAccessor("relative").prefix == str(tmp_path / "relative")


def test_empty_prefix_is_kept() -> None:
    assert DiskAccessor("").prefix == ""


def test_get_filesystem_path_examples(accessor: DiskAccessor, prefix: str) -> None:
    assert accessor.get_filesystem_path("") == prefix
    assert accessor.get_filesystem_path("test/") == os.path.join(prefix, "test")
    assert accessor.get_filesystem_path("test/../foo.txt") == os.path.join(prefix, "foo.txt")
    assert accessor.get_filesystem_path(os.path.join(prefix, "a.txt")) == os.path.join(
        prefix, "a.txt")


@pytest.mark.parametrize("resource_identifier", [
    "..",
    "../outside.txt",
    "a/../../outside.txt",
    "/etc/passwd",
])
def test_get_filesystem_path_rejects_paths_outside_prefix(
        accessor: DiskAccessor, resource_identifier: str) -> None:
    with pytest.raises(AccessorFilesystemPathError) as caught:
        accessor.get_filesystem_path(resource_identifier)
    assert caught.value.details["resource_identifier"] == resource_identifier


def test_get_filesystem_path_rejects_sibling_sharing_the_prefix_text(
        accessor: DiskAccessor, prefix: str) -> None:
    with pytest.raises(AccessorFilesystemPathError):
        accessor.get_filesystem_path(prefix + "-other/file.txt")


def test_traversal_is_rejected_by_every_operation(accessor: DiskAccessor,
                                                  tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_bytes(b"secret")
    escape = "../secret.txt"
    for call in (accessor.exists, accessor.is_file, accessor.open,
                 accessor.remove, accessor.make_container, accessor.list):
        with pytest.raises(AccessorFilesystemPathError):
            call(escape)
    assert outside.read_bytes() == b"secret"


def test_without_prefix_paths_are_used_as_given(tmp_path: Path) -> None:
    accessor = DiskAccessor("")
    path = str(tmp_path / "x" / ".." / "file.txt")
    assert accessor.get_filesystem_path(path) == str(tmp_path / "file.txt")
    assert accessor.get_filesystem_path("") == ""


# -- queries -------------------------------------------------------------------


def test_exists_is_file_is_container(accessor: DiskAccessor, prefix: str) -> None:
    Path(prefix, "dir").mkdir()
    Path(prefix, "dir", "file.txt").write_bytes(b"")
    assert accessor.exists("dir") and accessor.exists("dir/file.txt")
    assert not accessor.exists("missing")
    assert accessor.is_file("dir/file.txt") and not accessor.is_file("dir")
    assert accessor.is_container("dir") and not accessor.is_container("dir/file.txt")
    assert accessor.is_container("")


def test_is_sequence_is_unsupported(accessor: DiskAccessor) -> None:
    with pytest.raises(AccessorUnsupportedOperationError):
        accessor.is_sequence("file.%04d.exr")


def test_list_joins_entries_to_the_identifier(accessor: DiskAccessor, prefix: str) -> None:
    Path(prefix, "dir", "sub").mkdir(parents=True)
    Path(prefix, "dir", "a.txt").write_bytes(b"")
    assert sorted(accessor.list("dir")) == [os.path.join("dir", "a.txt"),
                                            os.path.join("dir", "sub")]
    assert sorted(accessor.list("")) == ["dir"]


def test_list_missing_and_not_a_container(accessor: DiskAccessor, prefix: str) -> None:
    Path(prefix, "file.txt").write_bytes(b"")
    with pytest.raises(AccessorResourceNotFoundError):
        accessor.list("missing")
    with pytest.raises(AccessorResourceInvalidError):
        accessor.list("file.txt")


# -- open ------------------------------------------------------------------------


def test_open_returns_file_data(accessor: DiskAccessor, prefix: str) -> None:
    writer = accessor.open("new.bin", "wb")
    assert isinstance(writer, ftrack_api.data.File)
    writer.write(b"payload")
    writer.close()
    assert Path(prefix, "new.bin").read_bytes() == b"payload"

    reader = accessor.open("new.bin")
    assert reader.read() == b"payload"
    reader.close()


def test_open_missing_file(accessor: DiskAccessor) -> None:
    with pytest.raises(AccessorResourceNotFoundError) as caught:
        accessor.open("missing.txt")
    assert caught.value.details["operation"] == "open"
    assert caught.value.details["resource_identifier"] == "missing.txt"
    assert isinstance(caught.value.details["error"], FileNotFoundError)


def test_open_directory_is_invalid(accessor: DiskAccessor, prefix: str) -> None:
    Path(prefix, "dir").mkdir()
    with pytest.raises(AccessorResourceInvalidError):
        accessor.open("dir")


# -- remove ----------------------------------------------------------------------


def test_remove_file_and_empty_directory(accessor: DiskAccessor, prefix: str) -> None:
    Path(prefix, "dir").mkdir()
    Path(prefix, "file.txt").write_bytes(b"")
    accessor.remove("file.txt")
    accessor.remove("dir")
    assert os.listdir(prefix) == []


def test_remove_missing(accessor: DiskAccessor) -> None:
    with pytest.raises(AccessorResourceNotFoundError):
        accessor.remove("missing")


def test_remove_non_empty_directory_keeps_it(accessor: DiskAccessor, prefix: str) -> None:
    Path(prefix, "dir").mkdir()
    Path(prefix, "dir", "keep.txt").write_bytes(b"kept")
    with pytest.raises(AccessorContainerNotEmptyError):
        accessor.remove("dir")
    assert Path(prefix, "dir", "keep.txt").read_bytes() == b"kept"


# -- containers ------------------------------------------------------------------


def test_make_container_recursive(accessor: DiskAccessor, prefix: str) -> None:
    accessor.make_container("a/b/c")
    assert Path(prefix, "a", "b", "c").is_dir()
    Path(prefix, "a", "b", "c", "kept.txt").write_bytes(b"")
    accessor.make_container("a/b/c")  # existing: kept as it is
    assert Path(prefix, "a", "b", "c", "kept.txt").exists()


def test_make_container_non_recursive(accessor: DiskAccessor, prefix: str) -> None:
    accessor.make_container("a", recursive=False)
    assert Path(prefix, "a").is_dir()
    accessor.make_container("a", recursive=False)
    with pytest.raises(AccessorParentResourceNotFoundError):
        accessor.make_container("missing/child", recursive=False)
    assert not Path(prefix, "missing").exists()


def test_make_container_over_a_file_is_invalid(accessor: DiskAccessor, prefix: str) -> None:
    Path(prefix, "file.txt").write_bytes(b"content")
    with pytest.raises(AccessorResourceInvalidError):
        accessor.make_container("file.txt")
    with pytest.raises(AccessorResourceInvalidError):
        accessor.make_container("file.txt/child")
    assert Path(prefix, "file.txt").read_bytes() == b"content"


def test_get_container_with_prefix(accessor: DiskAccessor, prefix: str) -> None:
    assert accessor.get_container("test/a") == "test"
    assert accessor.get_container("test/a/b.txt") == os.path.join("test", "a")
    assert accessor.get_container("test") == ""
    assert accessor.get_container(os.path.join(prefix, "test")) == ""


@pytest.mark.parametrize("which", ["empty", "prefix"])
def test_get_container_of_prefix_is_missing(accessor: DiskAccessor, prefix: str,
                                            which: str) -> None:
    resource_identifier = "" if which == "empty" else prefix
    with pytest.raises(AccessorParentResourceNotFoundError):
        accessor.get_container(resource_identifier)


def test_get_container_without_prefix_is_absolute(tmp_path: Path) -> None:
    accessor = DiskAccessor("")
    assert accessor.get_container(str(tmp_path / "a" / "b.txt")) == str(tmp_path / "a")
    with pytest.raises(AccessorParentResourceNotFoundError):
        accessor.get_container(os.path.abspath(os.sep))


# -- OS error mapping ------------------------------------------------------------


@pytest.mark.parametrize(("code", "expected"), [
    (errno.ENOENT, AccessorResourceNotFoundError),
    (errno.EPERM, AccessorPermissionDeniedError),
    (errno.EACCES, AccessorPermissionDeniedError),
    (errno.ENOTEMPTY, AccessorContainerNotEmptyError),
    (errno.ENOTDIR, AccessorResourceInvalidError),
    (errno.EISDIR, AccessorResourceInvalidError),
    (errno.EINVAL, AccessorResourceInvalidError),
    (errno.EIO, AccessorOperationFailedError),
    (errno.ENOSPC, AccessorOperationFailedError),
    (None, AccessorOperationFailedError),
])
def test_error_handler_maps_errno(code: int | None, expected: type) -> None:
    error = OSError(code, "boom") if code is not None else OSError("no errno")
    with pytest.raises(expected) as caught:
        with error_handler(operation="op", resource_identifier="ri"):
            raise error
    assert type(caught.value) is expected
    assert caught.value.details == {"operation": "op", "resource_identifier": "ri",
                                    "error": error}
    assert caught.value.__cause__ is error


def test_error_handler_leaves_other_errors_alone() -> None:
    with pytest.raises(KeyError):
        with error_handler(operation="op"):
            raise KeyError("x")


@pytest.mark.skipif(os.name != "posix", reason="needs POSIX permissions")
def test_real_permission_error_is_permission_denied(accessor: DiskAccessor,
                                                    prefix: str) -> None:
    if os.geteuid() == 0:
        pytest.skip("root ignores file permissions")
    locked = Path(prefix, "locked.txt")
    locked.write_bytes(b"")
    locked.chmod(0)
    try:
        with pytest.raises(AccessorPermissionDeniedError):
            accessor.open("locked.txt")
    finally:
        locked.chmod(0o600)
