"""The vocabulary of the entity model: entity types and their attributes.

One declaration per entity type says what clients see (the schema served by
`query_schemas`) and where the data lives (tables, columns, foreign keys), so
the two can never drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

UID = "{uid}"
"""Schema default meaning "a new random UUID"."""


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


@dataclass(frozen=True)
class Attribute:
    """Something an entity exposes under a name."""

    name: str

    @property
    def served(self) -> bool:
        return True

    def describe(self) -> dict:
        """The property descriptor served in the entity's schema."""
        raise NotImplementedError


@dataclass(frozen=True)
class Field(Attribute):
    """A value stored in a column of the entity's table."""

    type: str | None = "string"
    format: str | None = None
    default: Any = MISSING
    enum: tuple[str, ...] | None = None
    column: str | None = None
    alias: str | None = None
    hidden: bool = False
    transform: bool = False

    @property
    def served(self) -> bool:
        return not self.hidden

    @property
    def column_name(self) -> str:
        return self.column or self.name

    @property
    def is_datetime(self) -> bool:
        return self.format == "date-time"

    @property
    def is_key(self) -> bool:
        """Holds an id: compared exactly, not case-insensitively."""
        return self.name == "id" or self.format == "foreign_key" or self.name.endswith("_id")

    def describe(self) -> dict:
        out: dict = {}
        if self.type is not None:
            out["type"] = self.type
        if self.format:
            out["format"] = self.format
        if self.default is not MISSING:
            out["default"] = self.default
        if self.enum:
            out["enum"] = list(self.enum)
        if self.alias:
            out["alias_for"] = self.alias
        if self.transform:
            out["transform"] = {"client": "{schema_id}", "server": "{table_name}"}
        return out


@dataclass(frozen=True)
class Reference(Attribute):
    """A single related entity.

    Forward (`key`): our field `key` holds the target's id.
    Reverse (`back`): the target's field `back` holds our id, narrowed by `where`.
    """

    target: str
    key: str | None = None
    back: str | None = None
    where: tuple[tuple[str, Any], ...] = ()
    alias: str | None = None

    def describe(self) -> dict:
        out: dict = {"$ref": self.target}
        if self.alias:
            out["alias_for"] = self.alias
        return out


@dataclass(frozen=True)
class Collection(Attribute):
    """Many related entities.

    One-to-many: items of `target` whose field `back` equals our `local` field.
    Many-to-many: rows of the link type `through` whose `back` equals our
    `local` field and whose `forward` holds the target's id.
    """

    target: str
    back: str = ""
    local: str = "id"
    through: str | None = None
    forward: str | None = None
    where: tuple[tuple[str, Any], ...] = ()
    mapped: bool = False
    restricted: bool = False
    readonly: bool = False
    alias: str | None = None

    def describe(self) -> dict:
        out: dict = {"type": "mapped_array" if self.mapped else "array", "items": {"$ref": self.target}}
        if self.mapped and not self.restricted:
            out["key_value_attributes"] = {"key": "key", "value": "value"}
        if self.restricted:
            out["restricted_projection"] = True
        if self.alias:
            out["alias_for"] = self.alias
        return out


@dataclass(frozen=True)
class Computed(Attribute):
    """A value the server derives on read; never stored or written."""

    type: str = "object"
    format: str | None = None

    def describe(self) -> dict:
        out: dict = {"type": self.type}
        if self.format:
            out["format"] = self.format
        return out


@dataclass(frozen=True)
class Entity:
    """An entity type: its schema and its storage."""

    name: str
    table: str
    attributes: tuple[Attribute, ...]
    primary_key: tuple[str, ...] = ("id",)
    required: tuple[str, ...] = ()
    immutable: tuple[str, ...] = ()
    computed: tuple[str, ...] = ()
    default_projections: tuple[str, ...] = ()
    system_projections: tuple[str, ...] = ()
    always: tuple[str, ...] = ()
    classifier: tuple[tuple[str, Any], ...] = ()
    alias_for: Any = None
    abstract: bool = False
    served: bool = True
    by_name: dict[str, Attribute] = field(default_factory=dict, compare=False, repr=False)

    fields: tuple[Field, ...] = field(default=(), compare=False, repr=False)

    def __post_init__(self) -> None:
        self.by_name.update({attribute.name: attribute for attribute in self.attributes})
        object.__setattr__(self, "fields", tuple(a for a in self.attributes if isinstance(a, Field)))

    def attribute(self, name: str) -> Attribute | None:
        return self.by_name.get(name)

    def describe(self) -> dict:
        """The schema object served by `query_schemas`."""
        out: dict = {
            "id": self.name,
            "type": "object",
            "properties": {a.name: a.describe() for a in self.attributes if a.served},
            "primary_key": list(self.primary_key),
            "required": list(self.required),
            "immutable": list(self.immutable),
            "default_projections": list(self.default_projections),
        }
        if self.computed:
            out["computed"] = list(self.computed)
        if self.system_projections:
            out["system_projections"] = list(self.system_projections)
        if self.alias_for is not None:
            out["alias_for"] = self.alias_for
        return out


def derive(base: Entity, name: str, **changes: Any) -> Entity:
    """A subtype sharing `base`'s attributes, with its own name and details.

    `defaults` overrides field defaults: `{"object_type_id": "<id>"}`.
    `extra` appends attributes.
    """
    defaults: dict = changes.pop("defaults", {})
    extra: tuple = tuple(changes.pop("extra", ()))
    attributes = tuple(
        replace(a, default=defaults[a.name]) if isinstance(a, Field) and a.name in defaults else a
        for a in base.attributes
    ) + extra
    return replace(base, name=name, attributes=attributes, abstract=False, by_name={}, fields=(), **changes)


# Short constructors used by the declarations.

def string(name: str, **kw: Any) -> Field:
    return Field(name, "string", **kw)


def key(name: str, **kw: Any) -> Field:
    """A foreign key: a string holding another entity's id."""
    return Field(name, "string", format="foreign_key", **kw)


def integer(name: str, **kw: Any) -> Field:
    return Field(name, "integer", **kw)


def number(name: str, **kw: Any) -> Field:
    return Field(name, "number", **kw)


def boolean(name: str, **kw: Any) -> Field:
    return Field(name, "boolean", **kw)


def datetime(name: str, **kw: Any) -> Field:
    return Field(name, "string", format="date-time", **kw)


def variable(name: str, **kw: Any) -> Field:
    """Any JSON value (custom attribute values and defaults)."""
    return Field(name, "variable", **kw)


def ident(**kw: Any) -> Field:
    return Field("id", "string", default=UID, **kw)


def ref(name: str, target: str, key: str | None = None, **kw: Any) -> Reference:
    if key is None and "back" not in kw:
        key = f"{name}_id"
    return Reference(name, target, key=key, **kw)


def many(name: str, target: str, back: str = "", **kw: Any) -> Collection:
    return Collection(name, target, back=back, **kw)
