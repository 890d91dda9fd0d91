"""Login throttling, counted in the database so that every process sees the same numbers.

An attempt is written down *before* the password is checked, then the rows in the window
are counted. Two simultaneous attempts therefore always see each other (a process cannot
slip in between another one's "count" and "record"), without holding any lock while the
password hash is computed.

- a wrong password leaves its row: it is a failure;
- a refused attempt (already throttled) or a correct password on a disabled account removes
  its row, so that hammering a locked account does not keep it locked for ever;
- a success removes the e-mail's rows up to and including its own.
"""

import datetime
import math

from django.conf import settings
from django.utils import timezone

from portail.accounts.models import LoginFailure

# A client address may fail this many times more than one e-mail address before it is
# refused: a shared address (a town hall, a school) serves several families.
IP_FACTOR = 4
EMAIL_MAX_LENGTH = 254


def _now() -> datetime.datetime:
    """The throttle's clock (a hook for tests)."""
    return timezone.now()


def normalise_email(email: str) -> str:
    """The key failures are counted by: trimmed, lower case, at most the column's length."""
    return email.strip().lower()[:EMAIL_MAX_LENGTH]


def window() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.PORTAIL_LOGIN_WINDOW_MINUTES)


def max_failures_per_email() -> int:
    return settings.PORTAIL_LOGIN_MAX_FAILURES


def max_failures_per_ip() -> int:
    return IP_FACTOR * settings.PORTAIL_LOGIN_MAX_FAILURES


def prune() -> int:
    """Delete rows that have left the window; called on every attempt (one indexed delete)."""
    deleted, _ = LoginFailure.objects.filter(created_at__lt=_now() - window()).delete()
    return deleted


def begin_attempt(email: str, ip: str | None) -> LoginFailure:
    """Write the attempt down before checking anything (see the module docstring)."""
    prune()
    return LoginFailure.objects.create(email=normalise_email(email), ip=ip, created_at=_now())


def _minutes_left(earlier: list[datetime.datetime], limit: int, now: datetime.datetime) -> int:
    """Minutes until fewer than `limit` of the `earlier` failures remain in the window."""
    if len(earlier) < limit:
        return 0
    # Sorted oldest first: once this one leaves the window, limit - 1 remain.
    freeing = earlier[len(earlier) - limit] + window()
    return max(1, math.ceil((freeing - now).total_seconds() / 60))


def _times(rows) -> list[datetime.datetime]:
    return list(rows.order_by("created_at").values_list("created_at", flat=True))


def retry_after_minutes(attempt: LoginFailure) -> int | None:
    """None when `attempt` may go on; else the minutes until the e-mail/address is free."""
    now = _now()
    since = now - window()
    recent = LoginFailure.objects.filter(created_at__gte=since).exclude(pk=attempt.pk)
    minutes = _minutes_left(
        _times(recent.filter(email=attempt.email)), max_failures_per_email(), now
    )
    if attempt.ip:
        by_ip = _times(recent.filter(ip=attempt.ip))
        minutes = max(minutes, _minutes_left(by_ip, max_failures_per_ip(), now))
    return minutes or None


def forget(attempt: LoginFailure) -> None:
    """The attempt was not a password failure: remove its row."""
    LoginFailure.objects.filter(pk=attempt.pk).delete()


def succeeded(attempt: LoginFailure) -> None:
    """A correct password: that e-mail's failures so far no longer count."""
    LoginFailure.objects.filter(email=attempt.email, pk__lte=attempt.pk).delete()


def clear_failures(email: str) -> None:
    """The owner of the address proved it (password reset, activation): unlock it."""
    LoginFailure.objects.filter(email=normalise_email(email)).delete()
