"""Finding attributes by name on an entity type, including on its subtypes."""

from __future__ import annotations

from ..errors import ValidationError
from ..model import Attribute, Entity, Model


def entity_type(model: Model, name: str) -> Entity:
    entity = model.get(name)
    if entity is None or not entity.served:
        raise ValidationError(f'Unknown entity type "{name}".')
    return entity


def attribute(model: Model, entity: Entity, name: str, path: str = "") -> tuple[Attribute, Entity]:
    """The attribute `name` of `entity`, and the type that declares it.

    A name missing on an abstract or base type may exist on one of its subtypes
    (`parent.status` where parent is a Context): the subtype is returned so the
    caller can narrow rows to it.
    """
    found = entity.attribute(name)
    if found is not None and (found.served or name in entity.default_projections):
        return found, entity
    for subtype in model.family(entity):
        found = subtype.attribute(name)
        if found is not None and found.served:
            return found, subtype
    where = f' in "{path}"' if path and path != name else ""
    raise ValidationError(f'"{entity.name}" has no attribute "{name}"{where}.')
