"""Logging in, shared by the login page and the API: one place for the rules."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext

from portail.accounts import throttling
from portail.accounts.models import User

# Longer passwords are refused before hashing (no one types 4 096 characters).
MAX_PASSWORD_LENGTH = 4096
# Log-ins always go through Django's model backend (the only one configured).
BACKEND = "django.contrib.auth.backends.ModelBackend"


class LoginRefused(Exception):
    """Why a login was refused: `code` for programs, `message` (translated) for people.

    code is "invalid_credentials" (unknown e-mail or wrong password: the same message, so
    that nobody can find out which addresses have an account), "throttled" or "inactive";
    check_current_password says "wrong_password" or "throttled".
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's IP address, or None when unknown.

    Behind reverse proxies, set settings.PORTAIL_TRUSTED_PROXY_COUNT to their number: the
    address is then read from X-Forwarded-For, counting that many entries from the right
    (entries further left were written by the client and cannot be trusted).
    """
    if request is None:
        return None
    raw = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "PORTAIL_TRUSTED_PROXY_COUNT", 0)
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            raw = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(raw.strip()))
    except ValueError:
        return None


def _throttled_message(minutes: int) -> str:
    if minutes == 1:
        return gettext("Too many failed attempts, try again in 1 minute.")
    return gettext("Too many failed attempts, try again in %(minutes)s minutes.") % {
        "minutes": minutes
    }


def _invalid() -> LoginRefused:
    return LoginRefused("invalid_credentials", gettext("Incorrect e-mail address or password."))


def _account(email: str) -> User | None:
    """The account an address designates: exact match on the normalised form."""
    if not email or len(email) > throttling.EMAIL_MAX_LENGTH:
        return None
    return User.objects.with_email(email).first()


def _check_password(user: User | None, password: str) -> User | None:
    """The user when the password is right; None otherwise, in about the same time."""
    if user is None:
        # Hash anyway, so that an unknown address answers as slowly as a known one.
        User().set_password(password)
        return None
    return user if user.check_password(password) else None


def authenticate_throttled(request: HttpRequest | None, email: str, password: str) -> User:
    """Check an e-mail and password under the login throttle; raise LoginRefused if refused.

    The failures counted are those of the account the address designates (whatever its
    spelling), or of the normalised address when no account has it. While an account (or
    a client address) is throttled, the password is not even checked: a correct one is
    refused too. Does not log the user in (the caller does, with
    django.contrib.auth.login; the returned user carries the backend it needs).
    """
    user = _account(email)
    attempt = throttling.begin_attempt(email, client_ip(request), user=user)
    minutes = throttling.retry_after_minutes(attempt)
    if minutes is not None:
        throttling.forget(attempt)
        raise LoginRefused("throttled", _throttled_message(minutes))
    if (
        not email
        or not password
        or len(email) > throttling.EMAIL_MAX_LENGTH
        or len(password) > MAX_PASSWORD_LENGTH
    ):
        raise _invalid()
    user = _check_password(user, password)
    if user is None:
        raise _invalid()
    if not user.is_active:
        throttling.forget(attempt)
        raise LoginRefused(
            "inactive",
            gettext("This account is disabled. Please contact the service gestionnaire."),
        )
    throttling.succeeded(attempt)
    user.backend = BACKEND
    return user


def check_current_password(request: HttpRequest | None, user: User, password: str) -> None:
    """A logged-in user types their password again (to change it, or their e-mail address).

    Under the login throttle, keyed on the account: these guesses and the login page's
    share one budget, so a session (a borrowed computer, a stolen cookie) gives no extra
    guesses. Once the budget is spent, even the right password is refused until the
    window has passed; the session itself is kept (ending it would let anyone who fails
    logins for an address end that person's sessions). A right password clears the
    account's earlier failures, as a login does. Raises LoginRefused ("throttled" or
    "wrong_password").
    """
    attempt = throttling.begin_attempt(user.email, client_ip(request), user=user)
    minutes = throttling.retry_after_minutes(attempt)
    if minutes is not None:
        throttling.forget(attempt)
        raise LoginRefused("throttled", _throttled_message(minutes))
    if not password or len(password) > MAX_PASSWORD_LENGTH or not user.check_password(password):
        raise LoginRefused("wrong_password", gettext("The password is not correct."))
    throttling.succeeded(attempt)
