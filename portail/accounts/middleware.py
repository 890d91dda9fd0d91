"""request.user from the session's row, decided exactly as Django decides it.

AuthenticationMiddleware (in settings.MIDDLEWARE in place of Django's, of which it is a
subclass: the admin's checks still find it) sets a lazy `request.user` and
`request.auser`, as Django's does. The user is Django's `auth.get_user(request)`, step by
step:

- the session's `_auth_user_id` and `_auth_user_backend`; a backend no longer in
  AUTHENTICATION_BACKENDS signs nobody in;
- the backend's `get_user(user_id)`: for Django's ModelBackend (the row by primary key,
  refused unless `user_can_authenticate`: an active account), the user read along with
  the session's row (sessions.py) when it is that id, so no second query; any other
  backend, or a session read without its user, asks the backend;
- the session's hash checked with constant_time_compare against
  `user.get_session_auth_hash()` (a password changed elsewhere, and a demo login outside
  demo mode: accounts.models.User), or against a hash made with one of
  SECRET_KEY_FALLBACKS, the session then moved to the current key; otherwise the session
  is flushed and the request is anonymous.

The API's bearer tokens do not come through here (api/auth.py replaces request.user).
"""

from functools import partial
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib import auth
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthentication
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject


def session_user(request: HttpRequest) -> Any:
    """The user the session is signed in as, or AnonymousUser (see the module)."""
    session = request.session
    try:
        user_id = auth.get_user_model()._meta.pk.to_python(session[auth.SESSION_KEY])
        backend_path = session[auth.BACKEND_SESSION_KEY]
    except KeyError:
        return AnonymousUser()
    if backend_path not in settings.AUTHENTICATION_BACKENDS:
        return AnonymousUser()
    user = backend_user(auth.load_backend(backend_path), session, user_id)
    if user is None or not hash_verified(session, user):
        return AnonymousUser()
    return user


def backend_user(backend: Any, session: Any, user_id: Any) -> Any:
    """`backend.get_user(user_id)`, answered from the session's row when the backend's
    get_user is ModelBackend's own and the row brought that user."""
    loaded_user = getattr(session, "loaded_user", None)  # another engine has none
    if loaded_user is not None and type(backend).get_user is ModelBackend.get_user:
        user = loaded_user(user_id)
        if user is not None:
            return user if backend.user_can_authenticate(user) else None
    return backend.get_user(user_id)


def hash_verified(session: Any, user: Any) -> bool:
    """Django's check of the session against the account; a session that fails it is
    flushed (its row deleted)."""
    if not hasattr(user, "get_session_auth_hash"):
        return True
    session_hash = session.get(auth.HASH_SESSION_KEY)
    if not session_hash:
        session.flush()
        return False
    current = user.get_session_auth_hash()
    if constant_time_compare(session_hash, current):
        return True
    if any(
        constant_time_compare(session_hash, fallback)
        for fallback in user.get_session_auth_fallback_hash()
    ):
        session.cycle_key()
        session[auth.HASH_SESSION_KEY] = current
        return True
    session.flush()
    return False


def get_user(request: HttpRequest) -> Any:
    if not hasattr(request, "_cached_user"):
        request._cached_user = session_user(request)  # type: ignore[attr-defined]
    return request._cached_user  # type: ignore[attr-defined]


async def auser(request: HttpRequest) -> Any:
    return await sync_to_async(get_user)(request)


class AuthenticationMiddleware(DjangoAuthentication):
    """Django's middleware (its check that sessions come first included), with the user
    of the session's row."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: get_user(request))
        request.auser = partial(auser, request)  # type: ignore[attr-defined]
