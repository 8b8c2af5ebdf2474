"""Key/value caches, key makers and call memoisation.

A :class:`Cache` maps keys to values. A :class:`KeyMaker` turns arbitrary
objects into cache keys. A :class:`Memoiser` combines the two to remember the
results of function calls, and :func:`memoise` is a ready-made decorator
backed by a module-level memoiser.

The session stores its entities in a :class:`LayeredCache` whose first layer
is a :class:`MemoryCache`; further layers (for example a
:class:`SerialisedCache` over a :class:`FileCache`) can persist them.

Thread safety: :class:`MemoryCache` relies on single dictionary operations,
which are atomic in CPython, so its hot ``get``/``set`` paths take no lock.
:class:`LayeredCache` serialises its writes (``set``, ``remove`` and
back-fills) with a re-entrant lock, but reads its layers without holding it,
so a layer's ``get`` (for instance a decoder that merges entities into a
session) never runs under that lock.
"""

from __future__ import annotations

import abc
import collections.abc
import copy
import dbm
import functools
import inspect
import os
import pickle
import re
import threading
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = [
    "Cache",
    "FileCache",
    "KeyMaker",
    "LayeredCache",
    "Memoiser",
    "MemoryCache",
    "ObjectKeyMaker",
    "ProxyCache",
    "SerialisedCache",
    "StringKeyMaker",
    "memoise",
    "memoise_decorator",
    "memoiser",
]

_F = TypeVar("_F", bound=Callable[..., Any])


# ---------------------------------------------------------------------------
# Caches
# ---------------------------------------------------------------------------


class Cache(abc.ABC):
    """Abstract key/value store."""

    @abc.abstractmethod
    def get(self, key: Any) -> Any:
        """Return the value stored for *key*; raise KeyError if absent."""

    @abc.abstractmethod
    def set(self, key: Any, value: Any) -> None:
        """Store *value* under *key*."""

    @abc.abstractmethod
    def remove(self, key: Any) -> Any:
        """Delete *key*; raise KeyError if absent."""

    def keys(self) -> list[Any]:
        """Return a snapshot of the current keys."""
        raise NotImplementedError()

    def values(self) -> list[Any]:
        """Return the values of the current keys, skipping keys that vanish."""
        found = []
        for key in list(self.keys()):
            try:
                found.append(self.get(key))
            except KeyError:
                pass
        return found

    def clear(self, pattern: str | None = None) -> None:
        """Remove every key, or only those where ``re.search(pattern)`` hits."""
        matcher = re.compile(pattern) if pattern is not None else None
        for key in list(self.keys()):
            if matcher is not None and matcher.search(key) is None:
                continue
            try:
                self.remove(key)
            except KeyError:
                pass


class ProxyCache(Cache):
    """Cache that delegates every operation to ``proxied``."""

    def __init__(self, proxied: Cache) -> None:
        """Wrap *proxied*."""
        self.proxied = proxied
        super().__init__()

    def get(self, key: Any) -> Any:
        """Return ``proxied.get(key)``."""
        return self.proxied.get(key)

    def set(self, key: Any, value: Any) -> None:
        """Forward to ``proxied.set``."""
        return self.proxied.set(key, value)

    def remove(self, key: Any) -> Any:
        """Forward to ``proxied.remove``."""
        return self.proxied.remove(key)

    def keys(self) -> list[Any]:
        """Return the proxied cache's keys as a list."""
        return list(self.proxied.keys())


_STRIPES = 256  # a power of two, so hash & mask picks a slot
_STRIPE_MASK = _STRIPES - 1


class LayeredCache(Cache):
    """Stack of caches, searched shallowest first.

    ``caches`` is a plain list that callers may append to or pop from.
    """

    def __init__(self, caches: list[Cache]) -> None:
        """Use the layers in *caches* (index 0 is the shallowest)."""
        super().__init__()
        self.caches = caches if isinstance(caches, list) else list(caches)
        self._lock = threading.RLock()
        # Write counters, one per hash stripe of the key space. A get that
        # found its value below the top layer only back-fills when no write
        # to the same stripe finished after it started reading.
        self._stamps = [0] * _STRIPES

    @staticmethod
    def _stripe(key: Any) -> int:
        """Return the write-counter slot for *key*."""
        try:
            return hash(key) & _STRIPE_MASK
        except TypeError:
            return 0

    def get(self, key: Any) -> Any:
        """Return the first layer's value for *key*, back-filling shallower layers.

        Raise KeyError when no layer holds *key*. Deeper layers than the one
        that answered are never written.
        """
        missed: list[Cache] | None = None
        stripe = stamp = 0
        for layer in self.caches:
            try:
                value = layer.get(key)
            except KeyError:
                if missed is None:
                    missed = []
                    stripe = self._stripe(key)
                    stamp = self._stamps[stripe]
                missed.append(layer)
                continue
            if missed:
                with self._lock:
                    if self._stamps[stripe] == stamp:
                        for upper in missed:
                            upper.set(key, value)
            return value
        raise KeyError(key)

    def set(self, key: Any, value: Any) -> None:
        """Store *value* in every layer."""
        try:
            stripe = hash(key) & _STRIPE_MASK
        except TypeError:
            stripe = 0
        with self._lock:
            try:
                for layer in self.caches:
                    layer.set(key, value)
            finally:
                self._stamps[stripe] += 1

    def remove(self, key: Any) -> None:
        """Remove *key* from every layer; raise KeyError if none held it."""
        stripe = self._stripe(key)
        found = False
        with self._lock:
            try:
                for layer in self.caches:
                    try:
                        layer.remove(key)
                    except KeyError:
                        continue
                    found = True
            finally:
                self._stamps[stripe] += 1
        if not found:
            raise KeyError(key)

    def keys(self) -> list[Any]:
        """Return the union of every layer's keys."""
        union: dict[Any, None] = {}
        for layer in list(self.caches):
            union.update(dict.fromkeys(layer.keys()))
        return list(union)


class MemoryCache(Cache):
    """Cache held in a dictionary."""

    def __init__(self) -> None:
        """Start empty."""
        self._cache: dict[Any, Any] = {}
        super().__init__()

    def get(self, key: Any) -> Any:
        """Return the value for *key*; raise KeyError if absent."""
        return self._cache[key]

    def set(self, key: Any, value: Any) -> None:
        """Store *value* under *key*."""
        self._cache[key] = value

    def remove(self, key: Any) -> Any:
        """Delete *key* and return its value; raise KeyError if absent."""
        return self._cache.pop(key)

    def keys(self) -> list[Any]:
        """Return a snapshot of the keys."""
        # dict.copy() is a single atomic operation, so a concurrent writer
        # cannot make this fail with "changed size during iteration".
        return list(self._cache.copy())

    def values(self) -> list[Any]:
        """Return a snapshot of the values."""
        if type(self).get is not MemoryCache.get:
            return super().values()
        return list(self._cache.copy().values())

    def clear(self, pattern: str | None = None) -> None:
        """Remove every key, or only those matching *pattern*."""
        if pattern is None and type(self).remove is MemoryCache.remove:
            self._cache.clear()
            return
        super().clear(pattern)


_file_locks: dict[str, threading.Lock] = {}
_file_locks_guard = threading.Lock()


def _lock_for_path(path: str) -> threading.Lock:
    """Return the in-process lock shared by every FileCache on *path*."""
    canonical = os.path.abspath(path)
    with _file_locks_guard:
        lock = _file_locks.get(canonical)
        if lock is None:
            lock = _file_locks[canonical] = threading.Lock()
        return lock


class FileCache(Cache):
    """Cache stored in a :mod:`dbm` database at ``path``.

    Keys must be ASCII strings and values strings (or bytes); values come
    back as ``str``. Depending on the dbm backend the files on disk may carry
    a suffix such as ``.db`` or ``.dat``. Threads of one process are
    serialised; other processes sharing the file are not.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        """Create (or reuse) the database at *path*."""
        self.path = os.fspath(path)
        self._lock = _lock_for_path(self.path)
        with self._lock:
            dbm.open(self.path, "c").close()
        super().__init__()

    def _open(self) -> Any:
        """Return the database opened for reading and writing."""
        return dbm.open(self.path, "w")

    @staticmethod
    def _encode_key(key: str | bytes) -> bytes:
        """Return *key* as ASCII bytes."""
        if isinstance(key, bytes):
            return key
        return key.encode("ascii")

    def get(self, key: str) -> str:
        """Return the value for *key* as text; raise KeyError if absent."""
        raw_key = self._encode_key(key)
        with self._lock:
            database = self._open()
            try:
                try:
                    raw = database[raw_key]
                except KeyError:
                    raise KeyError(key) from None
            finally:
                database.close()
        return raw.decode("utf-8")

    def set(self, key: str, value: str | bytes) -> None:
        """Store *value* (text or bytes) under *key*."""
        raw_key = self._encode_key(key)
        with self._lock:
            database = self._open()
            try:
                database[raw_key] = value
            finally:
                database.close()

    def remove(self, key: str) -> None:
        """Delete *key*; raise KeyError if absent."""
        raw_key = self._encode_key(key)
        with self._lock:
            database = self._open()
            try:
                try:
                    del database[raw_key]
                except KeyError:
                    raise KeyError(key) from None
            finally:
                database.close()

    def keys(self) -> list[str]:
        """Return the stored keys as text."""
        with self._lock:
            database = self._open()
            try:
                raw_keys = list(database.keys())
            finally:
                database.close()
        return [raw.decode("utf-8") for raw in raw_keys]


class SerialisedCache(ProxyCache):
    """Proxy that runs ``encode`` on values stored and ``decode`` on values read."""

    def __init__(
        self,
        proxied: Cache,
        encode: Callable[[Any], Any] | None = None,
        decode: Callable[[Any], Any] | None = None,
    ) -> None:
        """Wrap *proxied*; either callable may be None to pass values through."""
        self.encode = encode
        self.decode = decode
        super().__init__(proxied)

    def get(self, key: Any) -> Any:
        """Return the decoded value for *key*."""
        value = self.proxied.get(key)
        if self.decode is not None:
            value = self.decode(value)
        return value

    def set(self, key: Any, value: Any) -> None:
        """Encode *value* and store it under *key*."""
        if self.encode is not None:
            value = self.encode(value)
        self.proxied.set(key, value)


# ---------------------------------------------------------------------------
# Key makers
# ---------------------------------------------------------------------------


class KeyMaker(abc.ABC):
    """Turns objects into cache keys."""

    #: Joins the keys of the individual items passed to :meth:`key`.
    item_separator: Any = ""

    def key(self, *items: Any) -> Any:
        """Return one key covering every item in *items*."""
        return self.item_separator.join([self._key(item) for item in items])

    @abc.abstractmethod
    def _key(self, obj: Any) -> Any:
        """Return the key for a single *obj*."""


class StringKeyMaker(KeyMaker):
    """Key maker producing ``str(obj)`` keys."""

    def _key(self, obj: Any) -> str:
        """Return ``str(obj)``."""
        return str(obj)


class ObjectKeyMaker(KeyMaker):
    """Key maker producing byte keys that distinguish structured values.

    Strings and other leaves are pickled (protocol 2); mappings, other
    iterables and named callables are framed with marker bytes. Output
    matches the official client's key maker byte for byte, except where the
    official one fails or depends on set iteration order: mappings whose keys
    do not sort together, and sets (ordered here so equal sets share a key).
    """

    item_separator = b"\x00"
    mapping_identifier = b"\x01"
    mapping_pair_separator = b"\x02"
    iterable_identifier = b"\x03"
    name_identifier = b"\x04"

    #: Pickle protocol for leaf values (2 keeps keys readable by old clients).
    pickle_protocol = 2

    def _ordered(self, entries: list[Any], sort_key: Callable[[Any], Any]) -> list[Any]:
        """Return *entries* in natural order, or by key bytes if unorderable."""
        try:
            return sorted(entries)
        except TypeError:
            return sorted(entries, key=sort_key)

    def _key(self, item: Any) -> bytes:
        """Return the byte key for *item*."""
        if isinstance(item, collections.abc.Iterable):
            if isinstance(item, str):
                return pickle.dumps(item, self.pickle_protocol)
            if isinstance(item, collections.abc.Mapping):
                pairs = self._ordered(
                    list(item.items()), lambda pair: self._key(pair[0])
                )
                body = self.item_separator.join(
                    [
                        self._key(name) + self.mapping_pair_separator + self._key(value)
                        for name, value in pairs
                    ]
                )
                return self.mapping_identifier + body + self.mapping_identifier
            members = list(item)
            if isinstance(item, collections.abc.Set):
                members = self._ordered(members, self._key)
            body = self.item_separator.join([self._key(member) for member in members])
            return self.iterable_identifier + body + self.iterable_identifier

        if inspect.ismethod(item):
            return self._name_key(
                item.__name__, item.__self__.__class__.__name__, item.__module__
            )
        if inspect.isfunction(item) or inspect.isclass(item):
            return self._name_key(item.__name__, item.__module__)
        if inspect.isbuiltin(item):
            return self.name_identifier + item.__name__.encode()
        return pickle.dumps(item, self.pickle_protocol)

    def _name_key(self, *parts: str | None) -> bytes:
        """Return the name marker followed by *parts* joined with the separator."""
        encoded = [(part or "").encode() for part in parts]
        return self.name_identifier + self.item_separator.join(encoded)


# ---------------------------------------------------------------------------
# Memoisation
# ---------------------------------------------------------------------------


def _normalised_arguments(
    function: Callable[..., Any], args: tuple[Any, ...], kw: dict[str, Any]
) -> dict[str, Any]:
    """Return a parameter-name mapping for calling *function* with *args*/*kw*.

    Positional and keyword spellings of the same call give the same mapping;
    defaults are filled in, and a bound method's instance appears under its
    first parameter name.
    """
    getcallargs = getattr(inspect, "getcallargs", None)
    if getcallargs is not None:
        return getcallargs(function, *args, **kw)
    target = function
    if inspect.ismethod(function):
        target = function.__func__
        args = (function.__self__, *args)
    bound = inspect.signature(target).bind(*args, **kw)
    bound.apply_defaults()
    return dict(bound.arguments)


class Memoiser:
    """Remembers function results in a cache, keyed by a key maker."""

    def __init__(
        self,
        cache: Cache | None = None,
        key_maker: KeyMaker | None = None,
        return_copies: bool = True,
    ) -> None:
        """Use *cache* (default MemoryCache) and *key_maker* (default ObjectKeyMaker).

        With *return_copies*, callers receive deep copies so they cannot
        mutate the stored results.
        """
        self.cache = cache if cache is not None else MemoryCache()
        self.key_maker = key_maker if key_maker is not None else ObjectKeyMaker()
        self.return_copies = return_copies
        super().__init__()

    def call(
        self,
        function: Callable[..., Any],
        args: tuple[Any, ...] | list[Any] | None = None,
        kw: dict[str, Any] | None = None,
    ) -> Any:
        """Return ``function(*args, **kw)``, computing it only on a cache miss."""
        args = tuple(args) if args is not None else ()
        kw = dict(kw) if kw is not None else {}
        key = self.key_maker.key(function, _normalised_arguments(function, args, kw))
        try:
            result = self.cache.get(key)
        except KeyError:
            result = function(*args, **kw)
            self.cache.set(key, result)
        if self.return_copies:
            result = copy.deepcopy(result)
        return result


def memoise_decorator(memoiser: Memoiser) -> Callable[[_F], _F]:
    """Return a decorator that routes calls through *memoiser*."""

    def decorator(function: _F) -> _F:
        @functools.wraps(function)
        def wrapper(*args: Any, **kw: Any) -> Any:
            return memoiser.call(function, args, kw)

        return wrapper  # type: ignore[return-value]

    return decorator


#: Memoiser used by :func:`memoise`.
memoiser = Memoiser()

#: Decorator memoising with the module-level :data:`memoiser`.
memoise = memoise_decorator(memoiser)
