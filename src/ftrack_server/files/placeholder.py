"""The image shown where there is no thumbnail, drawn at run time (no binary files in the repository)."""

from __future__ import annotations

import io
from functools import lru_cache


@lru_cache(maxsize=16)
def placeholder_png(size: int = 300) -> bytes:
    """A `size` × `size` PNG: a grey tile with a simple picture glyph."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (size, size), (224, 226, 230))
    draw = ImageDraw.Draw(image)
    unit = size / 10
    # A frame, a sun and two hills: "an image would be here".
    frame = (2.5 * unit, 3 * unit, 7.5 * unit, 7 * unit)
    draw.rectangle(frame, outline=(160, 164, 172), width=max(1, round(unit / 4)))
    draw.ellipse((5.6 * unit, 3.7 * unit, 6.6 * unit, 4.7 * unit), fill=(160, 164, 172))
    draw.polygon(
        [(2.8 * unit, 6.7 * unit), (4.2 * unit, 4.8 * unit), (5.4 * unit, 6.2 * unit),
         (6.0 * unit, 5.5 * unit), (7.2 * unit, 6.7 * unit)],
        fill=(160, 164, 172),
    )
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()
