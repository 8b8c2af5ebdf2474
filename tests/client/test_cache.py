"""Tests for ``ftrack_api.cache`` (spec §14)."""

from __future__ import annotations

import json
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, ClassVar

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import ftrack_api.cache as cache_module
from ftrack_api.cache import (
    Cache,
    FileCache,
    KeyMaker,
    LayeredCache,
    Memoiser,
    MemoryCache,
    ObjectKeyMaker,
    ProxyCache,
    SerialisedCache,
    StringKeyMaker,
    memoise_decorator,
)

# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


class RecordingCache(MemoryCache):
    """Memory cache that records the operations made on it."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[str, Any]] = []

    def get(self, key: Any) -> Any:
        self.calls.append(("get", key))
        return super().get(key)

    def set(self, key: Any, value: Any) -> None:
        self.calls.append(("set", key))
        super().set(key, value)

    def remove(self, key: Any) -> Any:
        self.calls.append(("remove", key))
        return super().remove(key)

    def writes(self) -> list[tuple[str, Any]]:
        return [call for call in self.calls if call[0] != "get"]


class VanishingCache(MemoryCache):
    """Lists keys that raise KeyError when read, as if removed meanwhile."""

    def __init__(self, ghosts: set[str]) -> None:
        super().__init__()
        self.ghosts = ghosts

    def keys(self) -> list[Any]:
        return super().keys() + sorted(self.ghosts)


# ---------------------------------------------------------------------------
# Cache base class
# ---------------------------------------------------------------------------


def test_cache_is_abstract() -> None:
    with pytest.raises(TypeError):
        Cache()  # type: ignore[abstract]


def test_cache_base_keys_not_implemented() -> None:
    class Minimal(Cache):
        def get(self, key: Any) -> Any:
            raise KeyError(key)

        def set(self, key: Any, value: Any) -> None:
            pass

        def remove(self, key: Any) -> None:
            raise KeyError(key)

    with pytest.raises(NotImplementedError):
        Minimal().keys()


def test_values_skips_keys_that_vanish() -> None:
    cache = VanishingCache({"gone"})
    cache.set("a", 1)
    cache.set("b", 2)
    assert sorted(cache.values()) == [1, 2]
    # The generic implementation in Cache behaves the same way.
    assert sorted(Cache.values(cache)) == [1, 2]


def test_clear_all_and_by_search_pattern() -> None:
    cache = MemoryCache()
    for key in ("apple", "banana", "cherry", "xapplex"):
        cache.set(key, key.upper())
    # re.search, not re.match: "xapplex" matches too.
    cache.clear(pattern="apple")
    assert sorted(cache.keys()) == ["banana", "cherry"]
    cache.clear(pattern="^b")
    assert cache.keys() == ["cherry"]
    cache.clear()
    assert cache.keys() == []


def test_clear_ignores_key_errors() -> None:
    cache = VanishingCache({"ghost-1", "ghost-2"})
    cache.set("real", 1)
    cache.clear()
    assert MemoryCache.keys(cache) == []
    cache.set("real", 1)
    cache.clear(pattern="ghost")
    assert MemoryCache.keys(cache) == ["real"]


# ---------------------------------------------------------------------------
# MemoryCache
# ---------------------------------------------------------------------------


def test_memory_cache_roundtrip() -> None:
    cache = MemoryCache()
    value = object()
    cache.set("key", value)
    assert cache.get("key") is value
    cache.set("key", 2)
    assert cache.get("key") == 2
    assert cache.keys() == ["key"]
    assert cache.values() == [2]
    cache.remove("key")
    with pytest.raises(KeyError):
        cache.get("key")
    with pytest.raises(KeyError):
        cache.remove("key")
    assert cache.keys() == []


def test_memory_cache_accepts_bytes_and_tuple_keys() -> None:
    cache = MemoryCache()
    cache.set(b"\x01\x01", "bytes")
    cache.set(("a", 1), "tuple")
    assert cache.get(b"\x01\x01") == "bytes"
    assert cache.get(("a", 1)) == "tuple"


def test_memory_cache_subclass_clear_uses_remove() -> None:
    cache = RecordingCache()
    cache.set("a", 1)
    cache.set("b", 2)
    cache.clear()
    assert sorted(key for op, key in cache.calls if op == "remove") == ["a", "b"]
    assert cache.keys() == []


def test_memory_cache_threads() -> None:
    cache = MemoryCache()
    stop = threading.Event()

    def writer(offset: int) -> None:
        for index in range(20000):
            key = f"{offset}-{index % 500}"
            cache.set(key, index)
            try:
                cache.remove(key)
            except KeyError:
                pass

    def reader() -> int:
        rounds = 0
        while not stop.is_set():
            cache.keys()
            cache.values()
            rounds += 1
        return rounds

    with ThreadPoolExecutor(max_workers=6) as pool:
        readers = [pool.submit(reader) for _ in range(2)]
        writers = [pool.submit(writer, offset) for offset in range(4)]
        for future in writers:
            future.result()  # re-raises anything a worker raised
        stop.set()
        assert all(future.result() >= 0 for future in readers)


# ---------------------------------------------------------------------------
# ProxyCache
# ---------------------------------------------------------------------------


def test_proxy_cache_forwards_everything() -> None:
    inner = MemoryCache()
    proxy = ProxyCache(inner)
    assert proxy.proxied is inner
    proxy.set("a", 1)
    assert inner.get("a") == 1
    inner.set("b", 2)
    assert proxy.get("b") == 2
    assert sorted(proxy.keys()) == ["a", "b"]
    assert isinstance(proxy.keys(), list)
    assert sorted(proxy.values()) == [1, 2]
    proxy.remove("a")
    assert inner.keys() == ["b"]
    with pytest.raises(KeyError):
        proxy.get("a")
    with pytest.raises(KeyError):
        proxy.remove("a")
    proxy.clear()
    assert inner.keys() == []


def test_proxy_subclass_can_filter_writes() -> None:
    """The caching guide's selective cache: refuse some values."""

    class Selective(ProxyCache):
        def set(self, key: Any, value: Any) -> None:
            if value != "unsaved":
                super().set(key, value)

    inner = MemoryCache()
    selective = Selective(inner)
    selective.set("a", "saved")
    selective.set("b", "unsaved")
    assert inner.keys() == ["a"]


# ---------------------------------------------------------------------------
# LayeredCache
# ---------------------------------------------------------------------------


def test_layered_cache_keeps_caller_list() -> None:
    layers: list[Cache] = [MemoryCache()]
    layered = LayeredCache(layers)
    assert layered.caches is layers
    extra = MemoryCache()
    extra.set("k", "v")
    layered.caches.append(extra)
    assert layered.get("k") == "v"
    assert layered.caches.pop() is extra
    assert layered.get("k") == "v"  # back-filled into the top layer


def test_layered_get_backfills_only_higher_layers() -> None:
    top, middle, bottom = RecordingCache(), RecordingCache(), RecordingCache()
    layered = LayeredCache([top, middle, bottom])
    middle.set("key", "value")
    middle.calls.clear()

    assert layered.get("key") == "value"
    assert top.get("key") == "value"
    assert top.writes() == [("set", "key")]
    assert middle.writes() == []
    assert bottom.calls == []  # never read nor written below the hit
    with pytest.raises(KeyError):
        bottom.get("key")


def test_layered_get_hit_in_top_layer_touches_nothing_else() -> None:
    top, bottom = RecordingCache(), RecordingCache()
    layered = LayeredCache([top, bottom])
    top.set("key", 1)
    top.calls.clear()
    assert layered.get("key") == 1
    assert top.calls == [("get", "key")]
    assert bottom.calls == []


def test_layered_get_missing_raises_key_error() -> None:
    layered = LayeredCache([MemoryCache(), MemoryCache()])
    with pytest.raises(KeyError):
        layered.get("missing")
    with pytest.raises(KeyError):
        LayeredCache([]).get("missing")


def test_layered_set_writes_every_layer() -> None:
    layers = [MemoryCache(), MemoryCache(), MemoryCache()]
    layered = LayeredCache(layers)
    layered.set("key", "value")
    assert [layer.get("key") for layer in layers] == ["value"] * 3


def test_layered_remove() -> None:
    top, bottom = MemoryCache(), MemoryCache()
    layered = LayeredCache([top, bottom])
    bottom.set("only-bottom", 1)
    layered.remove("only-bottom")  # one layer having it is enough
    assert bottom.keys() == []

    layered.set("both", 2)
    layered.remove("both")
    assert top.keys() == [] and bottom.keys() == []

    with pytest.raises(KeyError):
        layered.remove("nowhere")


def test_layered_keys_values_clear() -> None:
    top, bottom = MemoryCache(), MemoryCache()
    layered = LayeredCache([top, bottom])
    top.set("a", 1)
    bottom.set("b", 2)
    layered.set("c", 3)
    keys = layered.keys()
    assert sorted(keys) == ["a", "b", "c"]
    assert len(keys) == len(set(keys))
    assert sorted(layered.values()) == [1, 2, 3]
    layered.clear(pattern="^[ab]$")
    assert layered.keys() == ["c"]
    layered.clear()
    assert top.keys() == [] and bottom.keys() == []


def test_layered_backfill_skipped_after_concurrent_set() -> None:
    """A write landing while a deep read is in flight wins over the back-fill."""
    top = MemoryCache()
    layered: LayeredCache

    class Racing(MemoryCache):
        def get(self, key: Any) -> Any:
            stale = super().get(key)
            layered.set(key, "fresh")  # simulates another thread's write
            return stale

    bottom = Racing()
    bottom._cache["key"] = "stale"
    layered = LayeredCache([top, bottom])
    assert layered.get("key") == "stale"
    assert top.get("key") == "fresh"


def test_layered_backfill_skipped_after_concurrent_remove() -> None:
    top = MemoryCache()
    layered: LayeredCache

    class Racing(MemoryCache):
        def get(self, key: Any) -> Any:
            stale = super().get(key)
            layered.remove(key)
            return stale

    bottom = Racing()
    bottom._cache["key"] = "stale"
    layered = LayeredCache([top, bottom])
    assert layered.get("key") == "stale"
    with pytest.raises(KeyError):
        top.get("key")  # not resurrected


def test_layered_cache_is_reentrant() -> None:
    """A layer may call back into the layered cache (as session decoders do)."""
    top = MemoryCache()
    layered: LayeredCache

    class Decoding(MemoryCache):
        def get(self, key: Any) -> Any:
            value = super().get(key)
            if key == "parent":
                return {"child": layered.get("child")}
            return value

        def set(self, key: Any, value: Any) -> None:
            if key == "parent":
                layered.get("child")
            super().set(key, value)

    bottom = Decoding()
    bottom._cache.update(child="c", parent=None)
    layered = LayeredCache([top, bottom])
    assert layered.get("parent") == {"child": "c"}
    assert top.get("child") == "c"
    layered.set("parent", "p")
    assert top.get("parent") == "p"


def test_layered_cache_threads() -> None:
    top, bottom = MemoryCache(), MemoryCache()
    layered = LayeredCache([top, bottom])
    barrier = threading.Barrier(6)

    def worker(seed: int) -> None:
        barrier.wait()
        for index in range(5000):
            key = f"k{(index * 7 + seed) % 64}"
            choice = (index + seed) % 4
            if choice == 0:
                layered.set(key, key)
            elif choice == 1:
                try:
                    layered.remove(key)
                except KeyError:
                    pass
            elif choice == 2:
                try:
                    assert layered.get(key) == key
                except KeyError:
                    pass
            else:
                layered.keys()

    with ThreadPoolExecutor(max_workers=6) as pool:
        for future in [pool.submit(worker, seed) for seed in range(6)]:
            future.result()
    # Every value that survived is the right one, in whichever layer.
    for layer in (top, bottom):
        survivors = layer.keys()
        assert [layer.get(key) for key in survivors] == survivors


# ---------------------------------------------------------------------------
# FileCache
# ---------------------------------------------------------------------------


def test_file_cache_creates_database(tmp_path: Any) -> None:
    path = tmp_path / "cache.dbm"
    cache = FileCache(str(path))
    assert cache.path == str(path)
    # Some dbm backends add a suffix (".db", ".dat"/".dir"), so look by prefix.
    assert [name for name in os.listdir(tmp_path) if name.startswith("cache.dbm")]
    assert cache.keys() == []


def test_file_cache_roundtrip_and_reopen(tmp_path: Any) -> None:
    path = str(tmp_path / "cache")
    cache = FileCache(path)
    cache.set("text", "héllo")
    cache.set("raw", b"bytes value")
    assert cache.get("text") == "héllo"
    assert cache.get("raw") == "bytes value"  # always returned as str
    assert isinstance(cache.get("raw"), str)
    assert sorted(cache.keys()) == ["raw", "text"]

    reopened = FileCache(path)
    assert reopened.get("text") == "héllo"
    assert sorted(reopened.values()) == ["bytes value", "héllo"]
    reopened.remove("raw")
    assert cache.keys() == ["text"]


def test_file_cache_missing_keys(tmp_path: Any) -> None:
    cache = FileCache(str(tmp_path / "cache"))
    with pytest.raises(KeyError):
        cache.get("missing")
    with pytest.raises(KeyError):
        cache.remove("missing")


def test_file_cache_keys_must_be_ascii(tmp_path: Any) -> None:
    cache = FileCache(str(tmp_path / "cache"))
    with pytest.raises(UnicodeEncodeError):
        cache.set("clé", "value")


def test_file_cache_clear(tmp_path: Any) -> None:
    cache = FileCache(tmp_path / "cache")  # os.PathLike is accepted
    for key in ("a1", "a2", "b1"):
        cache.set(key, key)
    cache.clear(pattern="^a")
    assert cache.keys() == ["b1"]
    cache.clear()
    assert cache.keys() == []


def test_file_cache_threads(tmp_path: Any) -> None:
    path = str(tmp_path / "cache")
    caches = [FileCache(path), FileCache(path)]

    def worker(number: int) -> None:
        cache = caches[number % 2]
        for index in range(30):
            cache.set(f"k{number}-{index}", str(index))
            assert cache.get(f"k{number}-{index}") == str(index)

    with ThreadPoolExecutor(max_workers=4) as pool:
        for future in [pool.submit(worker, number) for number in range(4)]:
            future.result()
    assert len(FileCache(path).keys()) == 120


# ---------------------------------------------------------------------------
# SerialisedCache
# ---------------------------------------------------------------------------


def test_serialised_cache_with_json() -> None:
    inner = MemoryCache()
    cache = SerialisedCache(inner, encode=json.dumps, decode=json.loads)
    assert cache.proxied is inner
    assert cache.encode is json.dumps and cache.decode is json.loads
    value = {"name": "shot", "tags": [1, 2]}
    cache.set("key", value)
    assert inner.get("key") == json.dumps(value)
    result = cache.get("key")
    assert result == value and result is not value
    assert cache.keys() == ["key"]
    assert cache.values() == [value]
    cache.remove("key")
    with pytest.raises(KeyError):
        cache.get("key")


def test_serialised_cache_without_codecs_passes_through() -> None:
    inner = MemoryCache()
    cache = SerialisedCache(inner)
    value = object()
    cache.set("key", value)
    assert cache.get("key") is value
    only_encode = SerialisedCache(inner, encode=str)
    only_encode.set("n", 5)
    assert only_encode.get("n") == "5"


def test_persistent_cache_recipe(tmp_path: Any) -> None:
    """The guide's recipe: memory layer over a serialised file cache."""
    path = str(tmp_path / "entities")

    def layered() -> LayeredCache:
        persistent = SerialisedCache(
            FileCache(path), encode=json.dumps, decode=json.loads
        )
        return LayeredCache([MemoryCache(), persistent])

    first = layered()
    entity = {"__entity_type__": "Task", "id": "1", "children": [{"id": "2"}]}
    first.set("Task:1", entity)
    assert first.get("Task:1") is entity

    second = layered()  # a new "session" using the same file
    loaded = second.get("Task:1")
    assert loaded == entity and loaded is not entity
    assert second.get("Task:1") is loaded  # now served by its memory layer
    assert second.caches[0].get("Task:1") is loaded


# ---------------------------------------------------------------------------
# Key makers
# ---------------------------------------------------------------------------


def test_key_maker_is_abstract_and_joins_items() -> None:
    with pytest.raises(TypeError):
        KeyMaker()  # type: ignore[abstract]

    class Upper(KeyMaker):
        def _key(self, obj: Any) -> str:
            return str(obj).upper()

    maker = Upper()
    assert maker.item_separator == ""
    assert maker.key("a", "b") == "AB"
    assert maker.key() == ""
    maker.item_separator = "-"
    assert maker.key("a", "b") == "A-B"


def test_string_key_maker() -> None:
    maker = StringKeyMaker()
    assert maker.key({}) == "{}"
    assert maker.key({}, {}) == "{}{}"
    assert maker.key("a", 1, None) == "a1None"
    assert maker.key(("Project", ["x"])) == "('Project', ['x'])"


def add(x: Any, y: Any = 2, *rest: Any, **extra: Any) -> Any:
    return x + y


add.__module__ = "example.module"


class Example:
    def method(self) -> int:
        return 1

    @classmethod
    def klass(cls) -> int:
        return 2


Example.__module__ = "example.module"
Example.method.__module__ = "example.module"
Example.klass.__func__.__module__ = "example.module"  # type: ignore[attr-defined]


# Expected bytes were produced ONCE by running the official client's
# ftrack_api.cache.ObjectKeyMaker().key(*items) for these same items, in its
# virtualenv (/work/main/.cache/official-python/bin/python, Python 3.11.7),
# and pasted here as recorded reference data.
OFFICIAL_OBJECT_KEYS: list[tuple[str, tuple[Any, ...], bytes]] = [
    ("empty dict", ({},), b"\x01\x01"),
    ("two empty dicts", ({}, {}), b"\x01\x01\x00\x01\x01"),
    ("int 1", (1,), b"\x80\x02K\x01."),
    ("int 0", (0,), b"\x80\x02K\x00."),
    ("int -1", (-1,), b"\x80\x02J\xff\xff\xff\xff."),
    ("int 1000", (1000,), b"\x80\x02M\xe8\x03."),
    ("int 2**40", (2**40,), b"\x80\x02\x8a\x06\x00\x00\x00\x00\x00\x01."),
    ("float 1.5", (1.5,), b"\x80\x02G?\xf8\x00\x00\x00\x00\x00\x00."),
    ("None", (None,), b"\x80\x02N."),
    ("True", (True,), b"\x80\x02\x88."),
    ("False", (False,), b"\x80\x02\x89."),
    ("str abc", ("abc",), b"\x80\x02X\x03\x00\x00\x00abcq\x00."),
    ("str empty", ("",), b"\x80\x02X\x00\x00\x00\x00q\x00."),
    ("str e-acute", ("\u00e9",), b"\x80\x02X\x02\x00\x00\x00\xc3\xa9q\x00."),
    ("bytes ab", (b"ab",), b"\x03\x80\x02Ka.\x00\x80\x02Kb.\x03"),
    ("list", ([1, 2],), b"\x03\x80\x02K\x01.\x00\x80\x02K\x02.\x03"),
    (
        "tuple",
        ((1, "a"),),
        b"\x03\x80\x02K\x01.\x00\x80\x02X\x01\x00\x00\x00aq\x00.\x03",
    ),
    ("empty list", ([],), b"\x03\x03"),
    (
        "dict",
        ({"b": 2, "a": 1},),
        (
            b"\x01\x80\x02X\x01\x00\x00\x00aq\x00.\x02\x80\x02K\x01.\x00"
            b"\x80\x02X\x01\x00\x00\x00bq\x00.\x02\x80\x02K\x02.\x01"
        ),
    ),
    (
        "nested",
        ({"a": [1, {"x": None}]},),
        (
            b"\x01\x80\x02X\x01\x00\x00\x00aq\x00.\x02\x03\x80\x02K\x01.\x00"
            b"\x01\x80\x02X\x01\x00\x00\x00xq\x00.\x02\x80\x02N.\x01\x03\x01"
        ),
    ),
    (
        "int set",
        ({3, 1, 2},),
        b"\x03\x80\x02K\x01.\x00\x80\x02K\x02.\x00\x80\x02K\x03.\x03",
    ),
    ("function", (add,), b"\x04add\x00example.module"),
    ("class", (Example,), b"\x04Example\x00example.module"),
    ("method", (Example().method,), b"\x04method\x00Example\x00example.module"),
    ("classmethod", (Example.klass,), b"\x04klass\x00type\x00example.module"),
    ("builtin len", (len,), b"\x04len"),
    ("builtin bound", ([].append,), b"\x04append"),
    (
        "several",
        ("a", 1, None),
        b"\x80\x02X\x01\x00\x00\x00aq\x00.\x00\x80\x02K\x01.\x00\x80\x02N.",
    ),
    (
        "memoiser call",
        (add, {"x": 1, "y": 3, "rest": (), "extra": {}}),
        (
            b"\x04add\x00example.module\x00\x01\x80\x02X\x05\x00\x00\x00extraq"
            b"\x00.\x02\x01\x01\x00\x80\x02X\x04\x00\x00\x00restq\x00.\x02\x03\x03"
            b"\x00\x80\x02X\x01\x00\x00\x00xq\x00.\x02\x80\x02K\x01.\x00\x80\x02X"
            b"\x01\x00\x00\x00yq\x00.\x02\x80\x02K\x03.\x01"
        ),
    ),
]


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        pytest.param(items, expected, id=name)
        for name, items, expected in OFFICIAL_OBJECT_KEYS
    ],
)
def test_object_key_maker_matches_official_client(
    items: tuple[Any, ...], expected: bytes
) -> None:
    assert ObjectKeyMaker().key(*items) == expected


def test_object_key_maker_markers() -> None:
    maker = ObjectKeyMaker()
    assert maker.item_separator == b"\x00"
    assert maker.mapping_identifier == b"\x01"
    assert maker.mapping_pair_separator == b"\x02"
    assert maker.iterable_identifier == b"\x03"
    assert maker.name_identifier == b"\x04"
    assert maker.key({}) == b"\x01\x01"
    assert maker.key() == b""


def test_object_key_maker_quirks() -> None:
    maker = ObjectKeyMaker()
    # Lists and tuples are both just "iterables".
    assert maker.key([1, "a"]) == maker.key((1, "a"))
    # Lambdas are keyed by name and module only.
    assert maker.key(lambda: 1) == maker.key(lambda: 2)


def test_object_key_maker_mixed_key_types_do_not_fail() -> None:
    """The official maker raises TypeError here; ours orders by key bytes."""
    maker = ObjectKeyMaker()
    assert maker.key({1: "a", "b": 2}) == maker.key({"b": 2, 1: "a"})
    assert maker.key({1: "a", "b": 2}) != maker.key({1: "b", "a": 2})


def test_object_key_maker_equal_sets_share_a_key() -> None:
    maker = ObjectKeyMaker()
    assert maker.key({1, 9}) == maker.key({9, 1})
    grown = set(range(100)) | {"x"}
    grown -= set(range(100))
    assert maker.key({"x"}) == maker.key(grown)
    assert maker.key(frozenset({"a", "b", "c"})) == maker.key({"c", "b", "a"})


_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=8),
)
_values = st.recursive(
    _scalars, lambda inner: st.lists(inner, max_size=4), max_leaves=12
)


def _identity(value: Any) -> Any:
    """Hashable description distinguishing values the way keys should."""
    if isinstance(value, list):
        return ("list", tuple(_identity(item) for item in value))
    return (type(value).__name__, repr(value))


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(max_size=6), _values, max_size=8))
def test_object_keys_ignore_insertion_order(mapping: dict[str, Any]) -> None:
    reordered = dict(reversed(list(mapping.items())))
    assert ObjectKeyMaker().key(mapping) == ObjectKeyMaker().key(reordered)


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.one_of(st.integers(), st.text(max_size=4), st.none()), _scalars, max_size=6
    )
)
def test_object_keys_ignore_insertion_order_with_mixed_keys(
    mapping: dict[Any, Any],
) -> None:
    reordered = dict(reversed(list(mapping.items())))
    assert ObjectKeyMaker().key(mapping) == ObjectKeyMaker().key(reordered)


@settings(max_examples=300, deadline=None)
@given(_values, _values)
def test_object_keys_distinct_for_distinct_values(first: Any, second: Any) -> None:
    assume(_identity(first) != _identity(second))
    maker = ObjectKeyMaker()
    assert maker.key(first) != maker.key(second)


# ---------------------------------------------------------------------------
# Memoiser
# ---------------------------------------------------------------------------


def test_memoiser_defaults() -> None:
    memoiser = Memoiser()
    assert isinstance(memoiser.cache, MemoryCache)
    assert isinstance(memoiser.key_maker, ObjectKeyMaker)
    assert memoiser.return_copies is True


def test_memoiser_uses_given_cache_and_key_maker() -> None:
    cache = MemoryCache()
    memoiser = Memoiser(cache=cache, key_maker=StringKeyMaker(), return_copies=False)
    assert memoiser.call(add, (1,)) == 3
    assert len(cache.keys()) == 1
    assert isinstance(cache.keys()[0], str)


def test_memoiser_key_matches_official_layout() -> None:
    cache = MemoryCache()
    Memoiser(cache=cache).call(add, (1, 3))
    expected = {name: items for name, items, _ in OFFICIAL_OBJECT_KEYS}["memoiser call"]
    assert cache.keys() == [ObjectKeyMaker().key(*expected)]


def test_memoiser_caches_and_normalises_arguments() -> None:
    calls: list[tuple[Any, ...]] = []

    def add(x: int, y: int = 10, *, scale: int = 1) -> int:
        calls.append((x, y, scale))
        return (x + y) * scale

    memoiser = Memoiser()
    assert memoiser.call(add, (1, 2)) == 3
    assert memoiser.call(add, (1, 2), {}) == 3
    assert memoiser.call(add, (1,), {"y": 2}) == 3
    assert memoiser.call(add, None, {"x": 1, "y": 2}) == 3
    assert memoiser.call(add, [1, 2]) == 3
    assert calls == [(1, 2, 1)]

    # A default spelled out or omitted is the same call.
    assert memoiser.call(add, (5,)) == 15
    assert memoiser.call(add, (5, 10), {"scale": 1}) == 15
    assert len(calls) == 2

    assert memoiser.call(add, (1, 3)) == 4
    assert memoiser.call(add, (1, 2), {"scale": 2}) == 6
    assert len(calls) == 4


def test_memoiser_rejects_bad_arguments() -> None:
    def one(x: int) -> int:
        return x

    with pytest.raises(TypeError):
        Memoiser().call(one, (1, 2))


def test_memoiser_returns_copies() -> None:
    def make() -> dict[str, list[int]]:
        return {"values": [1]}

    memoiser = Memoiser()
    first = memoiser.call(make)
    first["values"].append(2)
    second = memoiser.call(make)
    assert second == {"values": [1]}
    assert second is not first


def test_memoiser_without_copies_returns_cached_object() -> None:
    def make() -> list[int]:
        return [1]

    memoiser = Memoiser(return_copies=False)
    first = memoiser.call(make)
    assert memoiser.call(make) is first


class Doubler:
    """Picklable class for memoising bound methods (the instance is keyed too)."""

    calls: ClassVar[list[int]] = []

    def __init__(self, factor: int) -> None:
        self.factor = factor

    def apply(self, amount: int) -> int:
        Doubler.calls.append(amount)
        return amount * self.factor


def test_memoiser_methods() -> None:
    Doubler.calls = []
    memoiser = Memoiser()
    assert memoiser.call(Doubler(2).apply, (4,)) == 8
    assert memoiser.call(Doubler(2).apply, (), {"amount": 4}) == 8
    assert Doubler.calls == [4]
    # The bound instance is part of the key, pickled with its state.
    assert memoiser.call(Doubler(3).apply, (4,)) == 12
    assert Doubler.calls == [4, 4]


def test_memoise_decorator() -> None:
    calls: ClassVar[list[int]] = []
    memoiser = Memoiser()

    @memoise_decorator(memoiser)
    def square(x: int) -> int:
        """Return x squared."""
        calls.append(x)
        return x * x

    assert square.__name__ == "square"
    assert square.__doc__ == "Return x squared."
    assert square(3) == 9
    assert square(x=3) == 9
    assert square(4) == 16
    assert calls == [3, 4]


def test_module_level_memoise() -> None:
    assert isinstance(cache_module.memoiser, Memoiser)
    calls: list[str] = []

    @cache_module.memoise
    def greet(name: str) -> str:
        calls.append(name)
        return f"hello {name}"

    assert greet("a") == "hello a"
    assert greet(name="a") == "hello a"
    assert calls == ["a"]


def test_memoiser_with_serialised_cache() -> None:
    """Any Cache works as the memoiser's store, e.g. a JSON-serialised one."""
    calls: ClassVar[list[int]] = []
    cache = SerialisedCache(MemoryCache(), encode=json.dumps, decode=json.loads)

    @memoise_decorator(Memoiser(cache=cache))
    def listing(count: int) -> list[int]:
        calls.append(count)
        return list(range(count))

    assert listing(3) == [0, 1, 2]
    assert listing(count=3) == [0, 1, 2]
    assert calls == [3]
    assert cache.proxied.values() == ["[0, 1, 2]"]


@pytest.mark.parametrize(
    ("function", "args", "kw"),
    [
        (add, (1,), {}),
        (add, (1, 3, 4, 5), {"more": 6}),
        (add, (), {"x": 1, "y": 2}),
        (Doubler(2).apply, (4,), {}),
        (Doubler(2).apply, (), {"amount": 4}),
    ],
)
def test_argument_normalisation_without_getcallargs(
    monkeypatch: pytest.MonkeyPatch, function: Any, args: tuple[Any, ...], kw: Any
) -> None:
    """If ``inspect.getcallargs`` ever goes away, keys must not change."""
    import inspect

    expected = inspect.getcallargs(function, *args, **kw)
    monkeypatch.delattr(inspect, "getcallargs")
    normalised = cache_module._normalised_arguments(function, args, kw)
    assert normalised == expected
    maker = ObjectKeyMaker()
    assert maker.key(function, normalised) == maker.key(function, expected)
