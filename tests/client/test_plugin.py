"""Plugin discovery with real plugin files on disk."""

from __future__ import annotations

import json
import logging
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

import ftrack_api.plugin


def _write(path: Path, source: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(source))
    return path


def _recording_plugin(path: Path, signature: str, body: str) -> Path:
    """A plugin whose ``register`` appends ``body``'s JSON value to ``RECORD``."""
    return _write(
        path,
        f"""
        import json, os
        def register({signature}):
            with open(os.environ["PLUGIN_RECORD"], "a") as record:
                record.write(json.dumps({body}) + "\\n")
        """,
    )


@pytest.fixture
def record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "record.jsonl"
    path.touch()
    monkeypatch.setenv("PLUGIN_RECORD", str(path))
    return path


def _calls(record: Path) -> list[Any]:
    return [json.loads(line) for line in record.read_text().splitlines()]


def test_discovers_plugins_recursively(tmp_path: Path, record: Path) -> None:
    plugins = tmp_path / "plugins"
    _recording_plugin(plugins / "top.py", "*args, **kwargs", '"top"')
    _recording_plugin(plugins / "a" / "b" / "deep.py", "*args, **kwargs", '"deep"')
    _write(plugins / "ignored.txt", "raise SystemExit('not python')")
    _write(plugins / "ignored.pyc", "raise SystemExit('not source')")
    _write(plugins / "IGNORED.PY", "raise SystemExit('wrong case')")

    ftrack_api.plugin.discover([str(plugins)])

    assert sorted(_calls(record)) == ["deep", "top"]


def test_blank_and_missing_paths_are_skipped(tmp_path: Path, record: Path) -> None:
    _recording_plugin(tmp_path / "plugins" / "p.py", "*args", '"called"')
    ftrack_api.plugin.discover(["", "   ", str(tmp_path / "missing"), f"  {tmp_path / 'plugins'}  "])
    assert _calls(record) == ["called"]


def test_each_discovery_runs_modules_again_under_unique_names(
    tmp_path: Path, record: Path
) -> None:
    _recording_plugin(tmp_path / "p.py", "*args", "__name__")
    ftrack_api.plugin.discover([str(tmp_path)])
    ftrack_api.plugin.discover([str(tmp_path)])
    first, second = _calls(record)
    assert first != second
    assert first not in sys.modules and second not in sys.modules


def test_non_plugin_module_runs_and_warns(
    tmp_path: Path, record: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _write(
        tmp_path / "helper.py",
        """
        import json, os
        with open(os.environ["PLUGIN_RECORD"], "a") as record:
            record.write(json.dumps("top-level ran") + "\\n")
        """,
    )
    with caplog.at_level(logging.WARNING, logger="ftrack_api.plugin"):
        ftrack_api.plugin.discover([str(tmp_path)])

    assert _calls(record) == ["top-level ran"]
    assert 'did not define a "register" function' in caplog.text
    assert "helper.py" in caplog.text


@pytest.mark.parametrize(
    "source",
    ["syntax error", "raise RuntimeError('import failed')", "import module_that_does_not_exist"],
)
def test_broken_module_is_logged_and_skipped(
    tmp_path: Path, record: Path, caplog: pytest.LogCaptureFixture, source: str
) -> None:
    _write(tmp_path / "a_broken.py", source)
    _recording_plugin(tmp_path / "b_good.py", "*args", '"good"')

    with caplog.at_level(logging.DEBUG, logger="ftrack_api.plugin"):
        ftrack_api.plugin.discover([str(tmp_path)])

    assert _calls(record) == ["good"]
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "Failed to load plugin" in warnings[0].getMessage()
    assert "a_broken.py" in warnings[0].getMessage()
    debug = [r for r in caplog.records if r.levelno == logging.DEBUG]
    assert any("Traceback" in r.getMessage() for r in debug)


def test_register_that_raises_is_logged_and_skipped(
    tmp_path: Path, record: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _write(
        tmp_path / "a_raises.py",
        """
        def register(*args, **kwargs):
            raise RuntimeError("register exploded")
        """,
    )
    _recording_plugin(tmp_path / "b_good.py", "*args", '"good"')

    with caplog.at_level(logging.ERROR, logger="ftrack_api.plugin"):
        ftrack_api.plugin.discover([str(tmp_path)], ["session"])

    assert _calls(record) == ["good"]
    assert "a_raises.py" in caplog.text
    assert "register exploded" in caplog.text


@pytest.mark.parametrize(
    "signature, body, positional, keyword, expected",
    [
        # The documented example: surplus keyword e is dropped.
        (
            "a, b=False, c=False, d=False",
            "[a, b, c, d]",
            [1, 2],
            {"c": True, "d": True, "e": True},
            [1, 2, True, True],
        ),
        # **kwargs gets every keyword.
        ("**kwargs", "sorted(kwargs.items())", [], {"b": True, "c": False}, [["b", True], ["c", False]]),
        (
            "a, c=False, **kwargs",
            "[a, c, sorted(kwargs.items())]",
            [],
            {"a": 1, "b": 2, "c": 3, "d": 4},
            [1, 3, [["b", 2], ["d", 4]]],
        ),
        # *args gets every positional.
        ("*args", "list(args)", [1, 2], {"b": True, "c": False}, [1, 2]),
        ("a, c=False, *args", "[a, c, list(args)]", [1, 2, 3, 4], {}, [1, 2, [3, 4]]),
        # A keyword already filled by a positional is dropped.
        ("a=False, b=False", "[a, b]", [True], {"a": 5, "b": True}, [True, True]),
        # Keyword-only parameters can take their keywords.
        ("session, *, name='x'", "[session, name]", ["s"], {"name": "y", "other": 1}, ["s", "y"]),
        # Quirk: more positionals than parameters and no *args: only the
        # surplus positionals are passed, and no keywords.
        ("a, b=None", "[a, b]", [1, 2, 3, 4], {"x": 1}, [3, 4]),
    ],
)
def test_register_arguments_fit_signature(
    tmp_path: Path,
    record: Path,
    signature: str,
    body: str,
    positional: list[Any],
    keyword: dict[str, Any],
    expected: Any,
) -> None:
    _recording_plugin(tmp_path / "plugin.py", signature, body)
    ftrack_api.plugin.discover([str(tmp_path)], positional, keyword)
    assert _calls(record) == [expected]


def test_dropping_keywords_warns(tmp_path: Path, record: Path, caplog: pytest.LogCaptureFixture) -> None:
    _recording_plugin(tmp_path / "plugin.py", "session", "session")
    with caplog.at_level(logging.WARNING, logger="ftrack_api.plugin"):
        ftrack_api.plugin.discover([str(tmp_path)], ["s"], {"unused": 1})
    assert _calls(record) == ["s"]
    assert "Culling passed arguments" in caplog.text


def test_plugins_with_different_signatures_in_one_folder(tmp_path: Path, record: Path) -> None:
    _recording_plugin(tmp_path / "one.py", "a", "[a]")
    _recording_plugin(tmp_path / "two.py", "a, b=False", "[a, b]")
    ftrack_api.plugin.discover([str(tmp_path)], (True,), {"b": True})
    assert sorted(_calls(record)) == [[True], [True, True]]


def test_load_source_executes_file_as_module(tmp_path: Path) -> None:
    path = _write(tmp_path / "thing.py", "VALUE = 40 + 2\n")
    module = ftrack_api.plugin.load_source("a_unique_module_name", str(path))
    assert module.VALUE == 42
    assert module.__name__ == "a_unique_module_name"
    assert "a_unique_module_name" not in sys.modules
