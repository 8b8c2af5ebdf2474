"""Plugin discovery: load every ``*.py`` file under some folders and call its
``register`` function with the arguments it can take.

Session plugins are modules whose ``register(session, **options)`` subscribes
to events; :func:`discover` is how a session finds and calls them.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import inspect
import logging
import os
import traceback
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import ModuleType
from typing import Any

__all__ = ["discover", "load_source"]

_POSITIONAL_KINDS = (
    inspect.Parameter.POSITIONAL_ONLY,
    inspect.Parameter.POSITIONAL_OR_KEYWORD,
)


def load_source(modname: str, filename: str) -> ModuleType:
    """Execute the Python file *filename* as a new module called *modname*.

    The module is not added to ``sys.modules``, so nothing can import it by
    name and loading the same file twice runs it twice.
    """
    loader = importlib.machinery.SourceFileLoader(modname, filename)
    spec = importlib.util.spec_from_file_location(modname, filename, loader=loader)
    if spec is None:  # pragma: no cover - only for paths a loader rejects
        raise ImportError(f"Cannot load {filename!r} as a Python module.")
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def discover(
    paths: Iterable[str],
    positional_arguments: Sequence[Any] | None = None,
    keyword_arguments: Mapping[str, Any] | None = None,
) -> None:
    """Load the plugins found under *paths* and call their ``register``.

    Each path is walked recursively and every file ending exactly in ``.py``
    runs as a module with a random, unique name. ``register`` receives
    *positional_arguments* and those of *keyword_arguments* its signature can
    accept (see :func:`_fit_arguments`). A file that fails to load, lacks a
    ``register`` or whose ``register`` raises is logged and skipped.
    """
    logger = logging.getLogger(__name__ + ".discover")
    positional = list(positional_arguments or [])
    keyword = dict(keyword_arguments or {})

    for path in paths:
        path = path.strip()
        if not path:
            # A blank entry would otherwise mean the current directory.
            continue

        for base, _directories, filenames in os.walk(path):
            for filename in filenames:
                if os.path.splitext(filename)[1] != ".py":
                    continue
                _load_plugin(os.path.join(base, filename), positional, keyword, logger)


def _load_plugin(
    module_path: str,
    positional: list[Any],
    keyword: dict[str, Any],
    logger: logging.Logger,
) -> None:
    """Load one plugin file and call its ``register``; log every failure."""
    try:
        module = load_source(uuid.uuid4().hex, module_path)
    except Exception as error:  # noqa: BLE001 - any plugin failure is skipped
        logger.warning('Failed to load plugin from "%s": %s', module_path, error)
        logger.debug(traceback.format_exc())
        return

    register = getattr(module, "register", None)
    if register is None:
        logger.warning(
            'Failed to load plugin that did not define a "register" function '
            "at the module level: %s",
            module_path,
        )
        return

    args, kwargs = _fit_arguments(register, positional, keyword, logger)
    try:
        register(*args, **kwargs)
    except Exception:
        logger.exception('Plugin "%s" failed while registering.', module_path)


def _fit_arguments(
    function: Callable[..., Any],
    positional: list[Any],
    keyword: dict[str, Any],
    logger: logging.Logger,
) -> tuple[list[Any], dict[str, Any]]:
    """Return the ``(args, kwargs)`` of the call that *function* can accept.

    * ``**kwargs`` in the signature: every keyword is passed.
    * Otherwise only keywords naming a defaulted parameter that no positional
      already fills (or a keyword-only parameter) are kept.
    * ``*args`` in the signature: every positional is passed.
    * More positionals than parameters and no ``*args``: only the surplus
      positionals are passed, and no keywords (the official client's quirk).
    """
    try:
        parameters = list(inspect.signature(function).parameters.values())
    except (TypeError, ValueError):
        # No introspectable signature (some builtins): pass everything.
        return positional, keyword

    named = [p for p in parameters if p.kind in _POSITIONAL_KINDS]
    has_varargs = any(p.kind is inspect.Parameter.VAR_POSITIONAL for p in parameters)
    has_varkw = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters)

    if not has_varargs and len(positional) > len(named):
        logger.warning("Culling passed arguments to match register function signature.")
        return positional[len(named):], {}

    if has_varkw:
        return positional, keyword

    remaining = named[len(positional):]
    accepted = {
        p.name
        for p in remaining
        if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD and p.default is not p.empty
    }
    accepted.update(p.name for p in parameters if p.kind is inspect.Parameter.KEYWORD_ONLY)

    if not set(keyword) <= accepted:
        logger.warning("Culling passed arguments to match register function signature.")
        keyword = {key: value for key, value in keyword.items() if key in accepted}
    return positional, keyword
