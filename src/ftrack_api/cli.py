"""``ftrack-publish``: put a file or an image sequence into a location, showing progress.

    ftrack-publish PATH [--location ftrack.server] [--version-id ID] [--name NAME] [--quiet]

PATH is a file, or an image sequence written the way ``create_component``
takes it (``/shots/plate.%04d.exr [1001-1100]``); without the frame list
(``/shots/plate.%04d.exr``) every matching frame on disk is taken. The server
and credentials come from ``FTRACK_SERVER``, ``FTRACK_API_USER`` and
``FTRACK_API_KEY`` unless given as options. The new component's id is
printed on stdout; a progress bar is drawn on stderr. Exit status: 0 when
published, 1 when something failed (the reason on stderr), 2 for bad usage.

Also runs as ``python -m ftrack_api.cli``.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from typing import Any, TextIO

from ftrack_api.session_files import Sequence

_PADDED = re.compile(r"%(0?)(\d*)d")


class PublishError(Exception):
    """Why publishing could not be done, in words for the command line."""


# Paths ----------------------------------------------------------------------------------------


def _ranges(indexes: list[int]) -> str:
    """``[1, 2, 3, 5]`` -> ``"1-3, 5"``."""
    parts: list[str] = []
    start = previous = indexes[0]
    for index in indexes[1:] + [None]:  # type: ignore[list-item]
        if index is not None and index == previous + 1:
            previous = index
            continue
        parts.append(str(start) if start == previous else f"{start}-{previous}")
        if index is not None:
            start = previous = index
    return ", ".join(parts)


def _frames_on_disk(pattern: str) -> list[int]:
    """Frame numbers of the files matching ``head%04dtail`` in its folder."""
    match = _PADDED.search(os.path.basename(pattern))
    assert match is not None
    name = os.path.basename(pattern)
    head, tail = name[:match.start()], name[match.end():]
    width = int(match.group(2) or 0) if match.group(1) else 0
    digits = rf"\d{{{width}}}" if width else r"\d+"
    frame = re.compile(re.escape(head) + f"({digits})" + re.escape(tail) + "$")
    folder = os.path.dirname(pattern) or "."
    try:
        names = os.listdir(folder)
    except OSError as error:
        raise PublishError(f"cannot list {folder}: {error.strerror or error}") from None
    return sorted(int(found.group(1)) for found in map(frame.match, names) if found)


def resolve(path: str) -> tuple[str, list[str]]:
    """The path to give ``create_component`` and the files it will read.

    Raises PublishError when a file is missing or a sequence has no frames.
    """
    sequence = Sequence.parse(path)
    if sequence is None and _PADDED.search(os.path.basename(path)):
        frames = _frames_on_disk(path)
        if not frames:
            raise PublishError(f"no frames on disk match {path}")
        path = f"{path} [{_ranges(frames)}]"
        sequence = Sequence.parse(path)
    if sequence is None:
        if not os.path.isfile(path):
            raise PublishError(f"no such file: {path}")
        return os.path.abspath(path), [os.path.abspath(path)]
    if not sequence.indexes:
        raise PublishError(f"the sequence {path} lists no frames")
    members = [member for _, member in sequence.member_paths()]
    missing = [member for member in members if not os.path.isfile(member)]
    if missing:
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        raise PublishError(f"frame missing: {missing[0]}{more}")
    return path, members


def default_name(path: str) -> str:
    """The file name without extension, or the sequence's name before its frame number."""
    name = os.path.basename(path.split(" [")[0])
    name = _PADDED.split(name)[0] if _PADDED.search(name) else os.path.splitext(name)[0]
    return name.rstrip("._-") or "main"


# The progress bar -----------------------------------------------------------------------------


def _mib(size: float) -> str:
    return f"{size / (1024 * 1024):.1f}"


class ProgressBar:
    """A one-line progress bar for the bytes of many components, on a text stream.

    On a terminal the line is redrawn at most ten times a second; elsewhere
    (logs, pipes) one line is written per tenth of the way.
    """

    WIDTH = 30

    def __init__(self, total: int, label: str, stream: TextIO = sys.stderr) -> None:
        self.total = total
        self.label = label
        self.stream = stream
        self.interactive = stream.isatty()
        self._done: dict[str, int] = {}
        self._started: float | None = None
        self._drawn_at = 0.0
        self._tenths = -1
        self._finished = False

    def __call__(self, component: Any, transferred: int, total: int | None) -> None:
        """The ``progress`` callback: *component* has *transferred* bytes of its data across."""
        if self._started is None:
            self._started = time.monotonic()
        self._done[component["id"]] = transferred
        self._draw()

    @property
    def transferred(self) -> int:
        return sum(self._done.values())

    def _fraction(self) -> float:
        return min(self.transferred / self.total, 1.0) if self.total else 1.0

    def line(self) -> str:
        fraction = self._fraction()
        filled = int(fraction * self.WIDTH)
        elapsed = max(time.monotonic() - (self._started or time.monotonic()), 1e-6)
        return (f"{self.label}  [{'#' * filled}{'-' * (self.WIDTH - filled)}] {fraction * 100:3.0f}%  "
                f"{_mib(self.transferred)}/{_mib(self.total)} MiB  {_mib(self.transferred / elapsed)} MiB/s")

    def _draw(self, final: bool = False) -> None:
        if self.interactive:
            now = time.monotonic()
            if final or now - self._drawn_at >= 0.1:
                self._drawn_at = now
                self.stream.write("\r" + self.line())
                self.stream.flush()
            return
        tenths = int(self._fraction() * 10)
        if tenths > self._tenths:
            self._tenths = tenths
            self.stream.write(self.line() + "\n")
            self.stream.flush()

    def start(self) -> None:
        """Draw the empty bar (uploads start once the file is checksummed)."""
        self._draw(final=True)

    def finish(self) -> None:
        """Draw the last state (100 % when every byte arrived) and end the line."""
        if self._finished:
            return
        self._finished = True
        self._draw(final=True)
        if self.interactive:
            self.stream.write("\n")
            self.stream.flush()


# The command ----------------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ftrack-publish",
        description="Create a component from a file or an image sequence and add its data to a location.",
        epilog='A sequence is "/path/name.%04d.exr [1-100]", or "/path/name.%04d.exr" for every frame on disk.',
    )
    parser.add_argument("path", help="a file, or an image sequence")
    parser.add_argument("--location", default="ftrack.server",
                        help="name or id of the location to add the data to (default: ftrack.server)")
    parser.add_argument("--version-id", help="id of the AssetVersion the component belongs to")
    parser.add_argument("--name", help="component name (default: the file name without extension)")
    parser.add_argument("--server-url", help="default: $FTRACK_SERVER")
    parser.add_argument("--api-user", help="default: $FTRACK_API_USER")
    parser.add_argument("--api-key", help="default: $FTRACK_API_KEY")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def _location(session: Any, wanted: str) -> Any:
    criterion = "id" if re.fullmatch(r"[0-9a-fA-F-]{36}", wanted) else "name"
    quoted = wanted.replace("\\", "\\\\").replace('"', '\\"')
    location = session.query(f'Location where {criterion} is "{quoted}"').first()
    if location is None:
        raise PublishError(f"no location named {wanted!r}")
    if not location.accessor:
        raise PublishError(f"the location {location['name']!r} cannot be reached from here "
                           "(no accessor is configured for it)")
    return location


def publish(session: Any, path: str, *, location: str = "ftrack.server", version_id: str | None = None,
            name: str | None = None, progress: Any = None) -> Any:
    """Create the component for *path* in the location named *location*; return it."""
    path, _ = resolve(path)
    target = _location(session, location)
    data: dict[str, Any] = {"name": name or default_name(path)}
    if version_id:
        if session.get("AssetVersion", version_id) is None:
            raise PublishError(f"no AssetVersion with id {version_id}")
        data["version_id"] = version_id
    component = session.create_component(path, data=data, location=target, progress=progress)
    session.commit()
    return component


def main(argv: list[str] | None = None) -> int:
    """Run ``ftrack-publish``; return the exit status."""
    arguments = _parser().parse_args(argv)
    import ftrack_api
    import ftrack_api.exception

    try:
        path, files = resolve(arguments.path)
        session = ftrack_api.Session(server_url=arguments.server_url, api_user=arguments.api_user,
                                     api_key=arguments.api_key, auto_connect_event_hub=False)
    except (PublishError, ftrack_api.exception.Error, TypeError) as error:
        # TypeError: the Session's "credentials not given".
        print(f"ftrack-publish: error: {error}", file=sys.stderr)
        return 1
    bar = None
    if not arguments.quiet:
        bar = ProgressBar(sum(os.path.getsize(file) for file in files), os.path.basename(arguments.path))
        bar.start()
    try:
        with session:
            component = publish(session, path, location=arguments.location, version_id=arguments.version_id,
                                name=arguments.name, progress=bar)
    except (PublishError, ftrack_api.exception.Error, OSError) as error:
        if bar is not None and bar.interactive:
            bar.stream.write("\n")
        print(f"ftrack-publish: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nftrack-publish: interrupted", file=sys.stderr)
        return 130
    if bar is not None:
        bar.finish()
    print(component["id"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
