"""``ftrack_api.logging``: lazy log messages and deprecation warnings."""

from __future__ import annotations

import logging
import warnings

import pytest

import ftrack_api.logging
from ftrack_api.logging import LazyLogMessage, deprecation_warning


class _CountingValue:
    """Counts how often it is formatted."""

    def __init__(self) -> None:
        self.formatted = 0

    def __format__(self, spec: str) -> str:
        self.formatted += 1
        return "value"


def test_lazy_message_formats_on_str() -> None:
    assert str(LazyLogMessage("Hello {0} and {name}", "world", name="you")) == "Hello world and you"


def test_lazy_message_is_not_formatted_until_needed(caplog: pytest.LogCaptureFixture) -> None:
    value = _CountingValue()
    logger = logging.getLogger("tests.lazy")
    message = LazyLogMessage("costly {0}", value)

    with caplog.at_level(logging.INFO, logger="tests.lazy"):
        logger.debug(message)
    assert value.formatted == 0
    assert caplog.records == []

    with caplog.at_level(logging.DEBUG, logger="tests.lazy"):
        logger.debug(message)
    assert caplog.records[0].getMessage() == "costly value"
    assert value.formatted >= 1  # once per handler that emitted it


def test_deprecation_warning_on_every_call() -> None:
    @deprecation_warning("old_function is going away")
    def old_function(a: int, b: int = 2) -> int:
        """Add two numbers."""
        return a + b

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert old_function(1) == 3
        assert old_function(1, b=5) == 6

    assert [w.category for w in caught] == [PendingDeprecationWarning] * 2
    assert all(str(w.message) == "old_function is going away" for w in caught)
    assert old_function.__name__ == "old_function"
    assert old_function.__doc__ == "Add two numbers."


def test_pytest_sees_the_warning() -> None:
    @deprecation_warning("deprecated")
    def function() -> None:
        pass

    with pytest.warns(PendingDeprecationWarning, match="deprecated"):
        function()


def test_module_does_not_hide_standard_logging() -> None:
    assert ftrack_api.logging is not logging
    assert logging.getLogger is not None
