"""The session engine (SESSION_ENGINE): Django's database sessions, read with their user.

Django's engine reads the session's row, then AuthenticationMiddleware reads the user and
the pages ask for the user's guardian and household (families.guardians): three
statements before a signed-in page starts its own work. Here the row (accounts.Session)
keeps the signed-in user's id in a column of its own, `user`, written from the session's
data (`_auth_user_id`) each time the session is saved: at login, when the key cycles,
when a logout or a refused session empties it (`flush()` deletes the row; the new
session has no user). Loading the session then joins the user, their guardian and
household: one statement, the guardian remembered on the user even when there is none
(staff), so that guardian_of() asks nothing more.

The joined user is only offered to the authentication middleware (middleware.py), which
decides who is signed in exactly as Django does, from the session's signed data; the
column is never trusted on its own.

Everything else is Django's engine: expiry, key cycling, `clearsessions`
(clear_expired() deletes this model's expired rows), the async methods. The live sessions
of Django's own table (django_session) were carried over by migration accounts.0007, with
no user in the column until their next save (the middleware then asks the backend).
"""

import logging
from typing import Any

from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.backends import db
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.utils import timezone

# What comes along with the session's row. `guardian` and `household` are families'
# related names: a name only, no import (accounts stays below families), kept in step by
# tests/accounts/sessions (one statement, and guardian_of() asking nothing more).
WITH_USER = "user__guardian__household"


def user_id_in(data: dict[str, Any]) -> Any:
    """The signed-in user's primary key in a session's data, or None (signed out)."""
    raw = data.get(SESSION_KEY)
    if raw is None:
        return None
    try:
        return get_user_model()._meta.pk.to_python(raw)
    except ValidationError:
        return None


class SessionStore(db.SessionStore):
    """Django's database session store, on accounts.Session (see the module)."""

    def __init__(self, session_key: str | None = None) -> None:
        super().__init__(session_key)
        self._row_user: Any = None  # the user joined to the row read, if any

    @classmethod
    def get_model_class(cls) -> type:
        from portail.accounts.models import Session  # importable before the apps are ready

        return Session

    def _live_row(self) -> Any:
        """Django's query for the session's row (its key, not expired), with the user, their
        guardian and household joined (left joins: none of them may exist)."""
        return self.model.objects.select_related(WITH_USER).filter(
            session_key=self.session_key, expire_date__gt=timezone.now()
        )

    def _get_session_from_db(self) -> Any:
        try:
            return self._read(self._live_row().get())
        except (self.model.DoesNotExist, SuspiciousOperation) as error:
            return self._not_found(error)

    async def _aget_session_from_db(self) -> Any:
        try:
            return self._read(await self._live_row().aget())
        except (self.model.DoesNotExist, SuspiciousOperation) as error:
            return self._not_found(error)

    def _read(self, row: Any) -> Any:
        self._row_user = row.user
        return row

    def _not_found(self, error: Exception) -> None:
        """As Django: an unknown or expired key is dropped (a save makes a new one)."""
        if isinstance(error, SuspiciousOperation):
            logger = logging.getLogger(f"django.security.{error.__class__.__name__}")
            logger.warning(str(error))
        self._row_user = None
        self._session_key = None

    def loaded_user(self, user_id: Any) -> Any:
        """The user read with this session's row, if it is `user_id`; else None (the row was
        not read, or named nobody or someone else): ask the authentication backend."""
        user = self._row_user
        return user if user is not None and user.pk == user_id else None

    def create_model_instance(self, data: dict[str, Any]) -> Any:
        row = super().create_model_instance(data)
        row.user_id = user_id_in(data)
        return row

    async def acreate_model_instance(self, data: dict[str, Any]) -> Any:
        row = await super().acreate_model_instance(data)
        row.user_id = user_id_in(data)
        return row
