"""Thumbnails: a stored image scaled to fit a square, cached on disk per size.

A cached thumbnail's name carries the source's modification time and size,
so new bytes are never answered with an old picture; storing or removing a
component's bytes also drops its cache.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from .storage import Storage


@dataclass(frozen=True)
class Thumbnail:
    path: Path
    media_type: str


class NoThumbnail(Exception):
    """Why a component has no thumbnail (answered with the placeholder)."""


def thumbnail(storage: Storage, resource_id: str, size: int) -> Thumbnail:
    """The cached or freshly made thumbnail of `resource_id`; NoThumbnail when there can be none."""
    stat = storage.stat(resource_id)
    if stat is None:
        raise NoThumbnail("no-data")
    folder = storage.thumbnail_dir(resource_id)
    stem = f"{size}-{stat.st_mtime_ns}-{stat.st_size}"
    for suffix, media_type in ((".jpg", "image/jpeg"), (".png", "image/png")):
        cached = folder / (stem + suffix)
        if cached.exists():
            return Thumbnail(cached, media_type)
    return _make(storage.path(resource_id), folder, stem, size)


def _make(source: Path, folder: Path, stem: str, size: int) -> Thumbnail:
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(source) as image:
            image.draft("RGB", (size, size))  # JPEG: decode at a reduced scale, much faster
            image.thumbnail((size, size), Image.Resampling.LANCZOS)
            image = ImageOps.exif_transpose(image)  # after scaling: a square bound fits either way
    except (UnidentifiedImageError, Image.DecompressionBombError):
        raise NoThumbnail("not-an-image") from None
    except (OSError, SyntaxError, ValueError):
        raise NoThumbnail("unreadable-image") from None
    transparent = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    image = image.convert("RGBA" if transparent else "RGB")
    suffix, media_type, options = (
        (".png", "image/png", {"format": "PNG"}) if transparent else (".jpg", "image/jpeg", {"format": "JPEG", "quality": 85})
    )
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / (stem + suffix)
    temporary = folder / f".{secrets.token_hex(8)}{suffix}"
    try:
        image.save(temporary, **options)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return Thumbnail(target, media_type)
