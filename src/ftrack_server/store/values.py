"""Converting attribute values between the wire and the database."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..errors import ValidationError
from ..model import Field

_DATE_LENGTH = len("2024-05-01")


def parse_datetime(text: str) -> dt.datetime:
    """ISO 8601 text (date, naive or with offset) as naive UTC, whole seconds."""
    value = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace(" ", "T", 1))
    if value.tzinfo is not None:
        value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return value.replace(microsecond=0)


def is_date_only(text: str) -> bool:
    return len(text.strip()) == _DATE_LENGTH


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)


def encode_datetime(value: dt.datetime) -> dict:
    return {"__type__": "datetime", "value": value.replace(microsecond=0).isoformat()}


def to_storage(entity_name: str, field: Field, value: Any) -> Any:
    """Check a written value against its field's type; return what to store."""
    if value is None:
        return None
    kind = field.type or "string"
    try:
        if field.is_datetime:
            if isinstance(value, dict) and value.get("__type__") in ("datetime", "date"):
                value = value.get("value")
            if isinstance(value, str):
                return parse_datetime(value)
            raise TypeError
        if isinstance(value, dict) and value.get("__type__") == "datetime" and kind == "string":
            return str(value.get("value"))
        if kind == "string":
            if isinstance(value, (dict, list)):
                raise TypeError
            return value if isinstance(value, str) else str(value)
        if kind == "boolean":
            if isinstance(value, bool):
                return value
            raise TypeError
        if kind == "integer":
            if isinstance(value, bool) or not isinstance(value, (int, float)) or int(value) != value:
                raise TypeError
            return int(value)
        if kind == "number":
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise TypeError
            return value
    except (TypeError, ValueError):
        raise ValidationError(
            f'Invalid value for "{entity_name}.{field.name}": expected {_describe(field)}, got {_show(value)}.'
        ) from None
    return value


def from_storage(field: Field, value: Any) -> Any:
    """A stored value as sent on the wire."""
    if value is None:
        return None
    if field.is_datetime and isinstance(value, dt.datetime):
        return encode_datetime(value)
    return value


def _describe(field: Field) -> str:
    if field.is_datetime:
        return "a datetime"
    return {"integer": "an integer", "number": "a number", "boolean": "a boolean"}.get(field.type or "", "a string")


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) < 80 else text[:77] + "..."
