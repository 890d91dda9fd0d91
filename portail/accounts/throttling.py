"""Login throttling, counted in the database so that every process sees the same numbers.

An attempt is written down *before* the password is checked, then the rows in the window
are counted. Two simultaneous attempts therefore always see each other (a process cannot
slip in between another one's "count" and "record"), without holding any lock while the
password hash is computed.

- a wrong password leaves its row: it is a failure;
- a refused attempt (already throttled) or a correct password on a disabled account removes
  its row, so that hammering a locked account does not keep it locked for ever;
- a success removes the account's (or e-mail's) rows up to and including its own.

Failures count against the account found (`LoginFailure.user`) whatever the spelling typed,
and against the normalised address typed when there is no account. The same budget covers
every place a password is typed: the login page, the API's token endpoint, and the
current password asked again by the password and e-mail change pages.

The forgotten-password page has its own limits (PasswordResetRequest rows, same approach):
at most PORTAIL_PASSWORD_RESET_MAX_PER_ACCOUNT e-mails to one account and
PORTAIL_PASSWORD_RESET_MAX_PER_IP requests from one client address in
PORTAIL_PASSWORD_RESET_WINDOW_MINUTES.
"""

import datetime
import math

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from portail.accounts.models import LoginFailure, PasswordResetRequest, User
from portail.accounts.models import normalise_email as normalised

# A client address may fail this many times more than one e-mail address before it is
# refused: a shared address (a town hall, a school) serves several families.
IP_FACTOR = 4
EMAIL_MAX_LENGTH = 254


def _now() -> datetime.datetime:
    """The throttle's clock (a hook for tests)."""
    return timezone.now()


def normalise_email(email: str) -> str:
    """The key failures are counted by: the address's one form (models.normalise_email),
    at most the column's length."""
    return normalised(email)[:EMAIL_MAX_LENGTH]


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


def begin_attempt(email: str, ip: str | None, user: User | None = None) -> LoginFailure:
    """Write the attempt down before checking anything (see the module docstring).

    `user` is the account the address designates, if any: the attempt counts against it.
    """
    prune()
    key = normalise_email(user.email if user is not None else email)
    return LoginFailure.objects.create(email=key, user=user, ip=ip, created_at=_now())


def _same_key(attempt: LoginFailure) -> Q:
    """The rows counted with `attempt`: the account's (and its address's), or the address's."""
    if attempt.user_id is not None:
        return Q(user_id=attempt.user_id) | Q(email=attempt.email)
    return Q(email=attempt.email)


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
        _times(recent.filter(_same_key(attempt))), max_failures_per_email(), now
    )
    if attempt.ip:
        by_ip = _times(recent.filter(ip=attempt.ip))
        minutes = max(minutes, _minutes_left(by_ip, max_failures_per_ip(), now))
    return minutes or None


def forget(attempt: LoginFailure) -> None:
    """The attempt was not a password failure: remove its row."""
    LoginFailure.objects.filter(pk=attempt.pk).delete()


def succeeded(attempt: LoginFailure) -> None:
    """A correct password: that account's (or e-mail's) failures so far no longer count."""
    LoginFailure.objects.filter(_same_key(attempt), pk__lte=attempt.pk).delete()


def clear_failures(email: str, user: User | None = None) -> None:
    """The owner of the address (or account) proved it (password reset, activation): unlock it."""
    rows = Q(email=normalise_email(email))
    if user is not None:
        rows |= Q(user=user)
    LoginFailure.objects.filter(rows).delete()


# --- the forgotten-password page -----------------------------------------------------------


def reset_window() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.PORTAIL_PASSWORD_RESET_WINDOW_MINUTES)


def begin_reset_request(ip: str | None) -> PasswordResetRequest | None:
    """Write a reset request down, then count the client address's: None when over its limit.

    A refused request removes its row (hammering does not extend the block); requests that
    send nothing (unknown address, account over its limit) count, so that probing does too.
    """
    now = _now()
    PasswordResetRequest.objects.filter(created_at__lt=now - reset_window()).delete()
    request = PasswordResetRequest.objects.create(ip=ip, created_at=now)
    if ip is not None:
        count = PasswordResetRequest.objects.filter(
            ip=ip, created_at__gte=now - reset_window()
        ).count()
        if count > settings.PORTAIL_PASSWORD_RESET_MAX_PER_IP:
            request.delete()
            return None
    return request


def claim_reset_email(request: PasswordResetRequest, user: User) -> bool:
    """Whether `request` may send `user` an e-mail (False: the account had its share).

    The request is marked as sending before the count, so that simultaneous requests see
    each other (as login attempts do); one that may not send is unmarked.
    """
    PasswordResetRequest.objects.filter(pk=request.pk).update(user=user)
    count = PasswordResetRequest.objects.filter(
        user=user, created_at__gte=_now() - reset_window()
    ).count()
    if count > settings.PORTAIL_PASSWORD_RESET_MAX_PER_ACCOUNT:
        PasswordResetRequest.objects.filter(pk=request.pk).update(user=None)
        return False
    request.user = user
    return True
