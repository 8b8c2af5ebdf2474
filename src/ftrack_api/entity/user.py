"""Users: timers, invites and API keys."""

from __future__ import annotations

from typing import Any

import arrow

import ftrack_api.exception
from ftrack_api.entity.base import Entity


class User(Entity):
    """An ftrack user."""

    def start_timer(self, context: Any = None, comment: str = "", name: str | None = None,
                    force: bool = False) -> Any:
        """Start (and commit) a timer for this user; ``NotUniqueError`` when one
        is already running, unless *force* stops that one first."""
        if force:
            try:
                self.stop_timer()
            except ftrack_api.exception.NoResultFoundError:
                pass
        timer = self.session.create("Timer", {
            "user": self, "context": context, "name": name, "comment": comment,
            "start": arrow.utcnow(),
        })
        try:
            self.session.commit()
        except ftrack_api.exception.ServerError as error:
            self.session.rollback()
            if "DuplicateEntry" in str(error):
                raise ftrack_api.exception.NotUniqueError(
                    "Only one timer can run at a time; stop it first or pass force=True.")
            raise
        return timer

    def stop_timer(self) -> Any:
        """Stop the running timer, turning it into a committed Timelog."""
        timer = self.session.query(f"Timer where user_id = '{self['id']}'").one()
        now = arrow.utcnow()
        timelog = self.session.create("Timelog", {
            "user_id": timer["user_id"], "context_id": timer["context_id"],
            "comment": timer["comment"], "start": timer["start"], "name": timer["name"],
            "duration": int((now - timer["start"]).total_seconds()),
        })
        self.session.delete(timer)
        self.session.commit()
        return timelog

    def send_invite(self) -> None:
        """Email this user an invitation to the server."""
        self.session.send_user_invite(self)

    def reset_api_key(self) -> str:
        """Replace this user's API key; the new key."""
        return self.session.reset_remote("api_key", entity=self)
