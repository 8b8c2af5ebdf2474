"""Logging helpers: messages formatted only when a handler emits them, and
deprecation warnings for old entry points.

This module shadows the standard library's ``logging`` only as
``ftrack_api.logging``; ``import logging`` elsewhere still gets the stdlib.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

_F = TypeVar("_F", bound=Callable[..., Any])


class LazyLogMessage:
    """A ``str.format`` message built only when ``str()`` is called on it.

    Pass one to a logger, for example ``logger.debug(LazyLogMessage("{0}",
    big))``: nothing is formatted unless a handler actually emits the record.
    """

    __slots__ = ("args", "kwargs", "message")

    def __init__(self, message: str, *args: Any, **kwargs: Any):
        self.message = message
        self.args = args
        self.kwargs = kwargs

    def __str__(self) -> str:
        return self.message.format(*self.args, **self.kwargs)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"


def deprecation_warning(message: str) -> Callable[[_F], _F]:
    """Decorate a function so that each call warns ``PendingDeprecationWarning``."""

    def decorator(function: _F) -> _F:
        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            warnings.warn(message, PendingDeprecationWarning, stacklevel=2)
            return function(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator
