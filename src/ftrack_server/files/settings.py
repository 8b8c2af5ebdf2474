"""What an operator can tune about component storage."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FileSettings:
    max_upload_size: int | None = None
    """Largest file accepted, in bytes; None: no limit but the disk."""
    token_lifetime: float = 6 * 3600.0
    """Seconds an upload URL stays valid (checked when the upload starts)."""
    default_thumbnail_size: int = 300
    """Thumbnail size when a request names none (the JavaScript client's default)."""
    max_thumbnail_size: int = 4096


def parse_size(text: str) -> int:
    """A byte count such as ``1048576``, ``500M``, ``2G`` or ``1.5T`` (powers of 1024)."""
    units = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}
    cleaned = text.strip().upper().removesuffix("IB").removesuffix("B")
    unit = cleaned[-1:] if cleaned[-1:] in units else ""
    number = cleaned[: len(cleaned) - len(unit)].strip()
    try:
        value = float(number)
    except ValueError:
        raise ValueError(f"expected a size such as 1048576, 500M or 2G, got {text!r}") from None
    if value <= 0:
        raise ValueError(f"expected a positive size, got {text!r}")
    return int(value * units[unit])
