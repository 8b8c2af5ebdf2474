"""Notes and replies, and ``create_note`` on everything that has notes."""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from typing import Any

from ftrack_api.entity.base import Entity


class Note(Entity):
    """A note on a context, version or other note-holding entity."""

    def create_reply(self, content: str, author: Any) -> Any:
        """A reply by *author*, added to this note's replies."""
        reply = self.session.create("Note", {"author": author, "content": content})
        self["replies"].append(reply)
        return reply


class CreateNoteMixin:
    """``create_note`` for entity types with a ``notes`` collection."""

    def create_note(self, content: str, author: Any, recipients: Iterable[Any] | None = None,
                    category: Any = None, labels: Iterable[Any] | None = None) -> Any:
        """A new note by *author* on this entity, sent to *recipients* (users or
        groups), labelled with *labels* (or the legacy *category*)."""
        session = self.session  # type: ignore[attr-defined]
        labels = list(labels or [])
        has_labels = "NoteLabel" in session.types
        if labels and not has_labels:
            raise ValueError("This server has no note labels.")
        if category is not None and labels:
            raise ValueError("Give either a category or labels, not both.")
        data: dict[str, Any] = {"content": content, "author": author}
        if category is not None:
            if has_labels:
                warnings.warn("Note categories are deprecated: use labels.",
                              PendingDeprecationWarning, stacklevel=2)
                labels = [category]
            else:
                data["category"] = category
        note = session.create("Note", data)
        self["notes"].append(note)  # type: ignore[index]
        for recipient in recipients or ():
            note["recipients"].append(session.create(
                "Recipient", {"note_id": note["id"], "resource_id": recipient["id"]}))
        for label in labels:
            session.create("NoteLabelLink", {"label_id": label["id"], "note_id": note["id"]})
        return note
