"""Issuing, checking and revoking API tokens.

A token is 32 random bytes (`secrets.token_urlsafe`), given to the client once. The
database keeps only its SHA-256 hex digest: tokens are high-entropy, so a plain fast
hash is enough (no salt or slow hash needed, unlike passwords) and lets us find the
row with one indexed lookup.

A new password (change, reset, activation, admin) revokes every token of the account
(revoke_user_tokens, connected in apps.py): a token taken with the old password stops
working, as the other browser sessions do.
"""

import datetime
import hashlib
import secrets
from typing import Any

from django.utils import timezone

from portail.accounts.models import User
from portail.api.models import ApiToken

# last_used_at is written at most this often, so that reads do not all become writes.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(user: User) -> str:
    """Create a token for `user` and return it in clear (the only time it exists)."""
    raw = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=hash_token(raw))
    return raw


def token_for(raw: str) -> ApiToken | None:
    """The live token matching `raw` (its user active), or None; notes its use."""
    if not raw:
        return None
    token = (
        # The guardian and household come along (none for staff): most API calls need them.
        ApiToken.objects.select_related("user", "user__guardian__household")
        .filter(key_hash=hash_token(raw), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def revoke_token(token: ApiToken) -> None:
    token.delete()


def revoke_user_tokens(user: User, **_signal: Any) -> int:
    """Revoke every token of `user` (a receiver of accounts' `password_set`); how many."""
    deleted, _by_model = ApiToken.objects.filter(user=user).delete()
    return deleted
