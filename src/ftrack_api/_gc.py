"""Pause the cyclic garbage collector around bulk object creation.

Building thousands of entities triggers many collections, each walking every
live object (the whole identity map); none of them can free anything the
batch is still building. Pausing collection for the duration of one batch
keeps that cost linear. Reference counting still frees everything as usual.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """Collection off inside the block (unless someone else already turned it off)."""
    enabled = gc.isenabled()
    if enabled:
        gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
