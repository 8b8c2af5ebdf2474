"""Every error ``ftrack_api`` raises, in one place.

All of them derive from :class:`Error`: a message template plus a ``details``
mapping that fills it in, and the traceback that was being handled when the
error was made. Errors the server reports are :class:`ServerError` or one of
its typed subclasses, which also carry the server's own error object.
"""

from __future__ import annotations

import builtins
import traceback
from collections.abc import Iterable, Mapping
from typing import Any


class Error(Exception):
    """Base of every ftrack error: ``str()`` is ``message`` filled in from ``details``."""

    default_message = "Unspecified error occurred."

    def __init__(self, message: str | None = None, details: Mapping[str, Any] | None = None):
        # Exception.args keeps the constructor's own arguments, so errors pickle.
        self.message: str = message if message is not None else self.default_message
        self.details: Mapping[str, Any] = details if details is not None else {}
        self.traceback: str = traceback.format_exc()

    def __str__(self) -> str:
        try:
            return self.message.format(**self.details)
        except (KeyError, IndexError, ValueError, builtins.AttributeError):
            # A message that is not a valid template (say, server text with
            # braces) is still worth reading as it is.
            return self.message


def _with_details(kw: dict[str, Any], **values: Any) -> dict[str, Any]:
    """*kw* with *values* merged into its ``details`` mapping."""
    details = dict(kw.get("details") or {})
    details.update(values)
    kw["details"] = details
    return kw


class AuthenticationError(Error):
    default_message = "Authentication error."


# ----------------------------------------------------------------------------
# Errors reported by the server


class ServerError(Error):
    """The server answered with an error, or could not be reached at all.

    ``exception``, ``content`` and ``error_code`` are the fields of the server's
    error object (``None`` when the failure did not come from one).
    """

    default_message = "Server reported error processing request."

    def __init__(
        self,
        message: str | None = None,
        details: Mapping[str, Any] | None = None,
        *,
        exception: str | None = None,
        content: str | None = None,
        error_code: str | None = None,
    ):
        super().__init__(message, details)
        self.exception = exception
        self.content = content
        self.error_code = error_code


class ServerCompatibilityError(ServerError):
    """The server does not support what was asked of it."""

    default_message = "Server incompatible."


class ServerValidationError(ServerError):
    """The server rejected the request's data (``ValidationError``)."""

    default_message = "Server rejected the request as invalid."


class ServerPermissionDeniedError(ServerError):
    """The server refused the request (``PermissionError``, ``FTAuthenticationError``)."""

    default_message = "Server denied permission for the request."


# ----------------------------------------------------------------------------
# Results and entities


class NotFoundError(Error):
    default_message = "Not found."


class NotUniqueError(Error):
    default_message = "Non-unique value detected."


class IncorrectResultError(Error):
    default_message = "Incorrect result detected."


class NoResultFoundError(IncorrectResultError):
    default_message = "Expected result, but no result was found."


class MultipleResultsFoundError(IncorrectResultError):
    default_message = "Expected single result, but received multiple results."


class EntityTypeError(Error):
    default_message = "Entity type error."


class UnrecognisedEntityTypeError(EntityTypeError):
    default_message = 'Entity type "{entity_type}" not recognised.'

    def __init__(self, entity_type: str, **kw: Any):
        super().__init__(**_with_details(kw, entity_type=entity_type))


class OperationError(Error):
    default_message = "Operation error."


class InvalidStateError(Error):
    default_message = "Invalid state."


class InvalidStateTransitionError(InvalidStateError):
    default_message = (
        "Invalid transition from {current_state!r} to {target_state!r} state "
        "for entity {entity!r}"
    )

    def __init__(self, current_state: Any, target_state: Any, entity: Any, **kw: Any):
        super().__init__(**_with_details(
            kw, current_state=current_state, target_state=target_state, entity=entity))


class AttributeError(Error):  # noqa: A001 - the name user code catches
    default_message = "Attribute error."


class ImmutableAttributeError(AttributeError):
    default_message = "Cannot modify value of immutable {attribute.name!r} attribute."

    def __init__(self, attribute: Any, **kw: Any):
        super().__init__(**_with_details(kw, attribute=attribute))


class CollectionError(Error):
    default_message = "Collection error."

    def __init__(self, collection: Any, **kw: Any):
        super().__init__(**_with_details(kw, collection=collection))


class ImmutableCollectionError(CollectionError):
    default_message = "Cannot modify value of immutable collection {collection!r}."


class DuplicateItemInCollectionError(CollectionError):
    default_message = "Item {item!r} already exists in collection {collection!r}."

    def __init__(self, item: Any, collection: Any, **kw: Any):
        super().__init__(collection, **_with_details(kw, item=item))


class ParseError(Error):
    default_message = "Failed to parse."


# ----------------------------------------------------------------------------
# Event hub


class EventHubError(Error):
    default_message = "Event hub error occurred."


class EventHubConnectionError(EventHubError):
    default_message = "Event hub is not connected."


class EventHubPacketError(EventHubError):
    default_message = "Invalid packet."


class PermissionDeniedError(Error):
    default_message = "Permission denied."


# ----------------------------------------------------------------------------
# Locations, accessors and structures


class LocationError(Error):
    default_message = "Unspecified location error"


class ComponentNotInAnyLocationError(LocationError):
    default_message = "Component not available in any location."


def _component_details(components: Any, location: Any) -> dict[str, Any]:
    # One entity (entities are mappings) counts as a list of one.
    if isinstance(components, Mapping) or not isinstance(components, Iterable):
        components = [components]
    components = list(components)
    return {
        "components": components,
        "formatted_components": ", ".join(str(component) for component in components),
        "location": location,
    }


class ComponentNotInLocationError(LocationError):
    default_message = "Component(s) {formatted_components} not found in location {location}."

    def __init__(self, components: Any, location: Any, **kw: Any):
        super().__init__(**_with_details(kw, **_component_details(components, location)))


class ComponentInLocationError(LocationError):
    default_message = "Component(s) {formatted_components} already exist in location {location}."

    def __init__(self, components: Any, location: Any, **kw: Any):
        super().__init__(**_with_details(kw, **_component_details(components, location)))


class AccessorError(Error):
    default_message = "Unspecified accessor error"


class AccessorOperationFailedError(AccessorError):
    default_message = "Operation {operation} failed: {error}"

    def __init__(self, operation: str = "", resource_identifier: Any = None,
                 error: Any = None, **kw: Any):
        super().__init__(**_with_details(
            kw, operation=operation, resource_identifier=resource_identifier, error=error))


class AccessorUnsupportedOperationError(AccessorOperationFailedError):
    default_message = "Operation {operation} unsupported."


class AccessorPermissionDeniedError(AccessorOperationFailedError):
    default_message = "Cannot {operation} {resource_identifier}. Permission denied."


class AccessorResourceIdentifierError(AccessorError):
    default_message = "Resource identifier is invalid: {resource_identifier}."

    def __init__(self, resource_identifier: Any, **kw: Any):
        super().__init__(**_with_details(kw, resource_identifier=resource_identifier))


class AccessorFilesystemPathError(AccessorResourceIdentifierError):
    default_message = (
        "No filesystem path could be worked out from resource identifier "
        "{resource_identifier}."
    )


class AccessorResourceError(AccessorError):
    default_message = "Unspecified resource error: {resource_identifier}"

    def __init__(self, operation: str = "", resource_identifier: Any = None,
                 error: Any = None, **kw: Any):
        super().__init__(**_with_details(
            kw, operation=operation, resource_identifier=resource_identifier, error=error))


class AccessorResourceNotFoundError(AccessorResourceError):
    default_message = "Resource not found: {resource_identifier}"


class AccessorParentResourceNotFoundError(AccessorResourceError):
    default_message = "Parent resource is missing: {resource_identifier}"


class AccessorResourceInvalidError(AccessorResourceError):
    default_message = "Resource invalid: {resource_identifier}"


class AccessorContainerNotEmptyError(AccessorResourceError):
    default_message = "Container is not empty: {resource_identifier}"


class StructureError(Error):
    default_message = "Unspecified structure error"


class ConnectionClosedError(Error):
    default_message = "Connection closed."
