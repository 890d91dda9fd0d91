"""Issuing, checking and revoking API tokens.

A token is 32 random bytes (`secrets.token_urlsafe`), given to the client once. The
database keeps only its SHA-256 hex digest: tokens are high-entropy, so a plain fast
hash is enough (no salt or slow hash needed, unlike passwords) and lets us find the
row with one indexed lookup.

A token expires PORTAIL_API_TOKEN_DAYS days after it is issued (a fixed lifetime, not
renewed by use: a script asks for a new one, with the password, as a person signs in
again); an expired token answers 401 `token_expired` rather than "unknown", so that its
client knows what to do. Expired tokens are kept EXPIRED_KEPT (their holder sees them
on the tokens page), then deleted when any token is next issued.

A new password (change, reset, activation, admin) revokes every token of the account
(revoke_user_tokens, connected in apps.py): a token taken with the old password stops
working, as the other browser sessions do. The holder may also revoke any of their
tokens on "Mes données personnelles" (pages.py, revoke_user_token).

Last use: each call reads the token's row anyway (one indexed SELECT, joined to the user
and household it needs); `last_used_at` is then written only when the stored value is
more than LAST_USED_RESOLUTION old: one UPDATE per token per minute at most, whatever the
number of calls, so most requests add no statement (and SQLite's write lock is not taken
for reads). A minute is enough for the holder ("last used today at 14:32").
"""

import datetime
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.utils import timezone

from portail.accounts.models import User
from portail.api.models import ApiToken
from portail.core.queries import one_or_none

# last_used_at is written at most this often, so that reads do not all become writes.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)
# Expired tokens are kept this long (shown as expired), then deleted at the next issue.
EXPIRED_KEPT = datetime.timedelta(days=30)
LABEL_MAX_LENGTH = 100


class TokenExpired(Exception):
    """The token exists but its lifetime is over."""

    def __init__(self, token: ApiToken) -> None:
        super().__init__(f"API token {token.pk} expired at {token.expires_at}")
        self.token = token


def token_lifetime() -> datetime.timedelta:
    return datetime.timedelta(days=settings.PORTAIL_API_TOKEN_DAYS)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(user: User, label: str = "") -> str:
    """Create a token for `user` and return it in clear (the only time it exists).

    `label` names the application that asked for it (shown to the holder)."""
    raw = secrets.token_urlsafe(32)
    now = timezone.now()
    ApiToken.objects.filter(expires_at__lt=now - EXPIRED_KEPT).delete()
    ApiToken.objects.create(
        user=user,
        key_hash=hash_token(raw),
        label=label[:LABEL_MAX_LENGTH],
        expires_at=now + token_lifetime(),
    )
    return raw


def token_for(raw: str) -> ApiToken | None:
    """The live token matching `raw` (its user active, not a demo login outside demo mode),
    or None; notes its use.

    Raises TokenExpired for a token whose lifetime is over."""
    if not raw:
        return None
    token = one_or_none(
        # The guardian and household come along (none for staff): most API calls need them.
        ApiToken.objects.select_related("user", "user__guardian__household").filter(
            key_hash=hash_token(raw), user__is_active=True
        )
    )
    if token is None or token.user.is_refused_demo_login:
        # A demo login's token (issued while demo mode was on) dies with demo mode.
        return None
    now = timezone.now()
    if token.is_expired(now):
        raise TokenExpired(token)
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def revoke_token(token: ApiToken) -> None:
    token.delete()


def user_tokens(user: User) -> list[ApiToken]:
    """The account's tokens, live and recently expired, newest first (one query)."""
    return list(ApiToken.objects.filter(user=user).order_by("-created_at", "-pk"))


def revoke_user_token(user: User, token_id: int) -> bool:
    """Revoke the account's token `token_id`; False when it has no such token (another
    account's token id is "no such token": nothing is changed)."""
    deleted, _by_model = ApiToken.objects.filter(user=user, pk=token_id).delete()
    return deleted > 0


def revoke_user_tokens(user: User, **_signal: Any) -> int:
    """Revoke every token of `user` (a receiver of accounts' `password_set`); how many."""
    deleted, _by_model = ApiToken.objects.filter(user=user).delete()
    return deleted
