"""``ftrack_api.mixin``: add behaviour to one instance by changing its class."""

from __future__ import annotations

from typing import Any


def mixin(instance: Any, mixin_class: type, name: str | None = None) -> None:
    """Give *instance* (only) the methods of *mixin_class*, which comes first
    in its new class's bases; nothing happens if it already has them."""
    original = type(instance)
    if mixin_class in original.__mro__:
        return
    if name is None:
        name = f"{original.__name__}{mixin_class.__name__}"
    instance.__class__ = type(name, (mixin_class, original), {})
