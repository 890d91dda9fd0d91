"""Logins: one user per e-mail address, guardians and staff alike.

Addresses are stored, compared and looked up in one form, normalise_email()'s: Unicode
NFKC, then lower case, of the whole address. Lookups are exact matches on that form (never
`email__iexact`): the database's own case folding differs from Python's (PostgreSQL's
UPPER() turns "ı" into "I" and "ſ" into "S"), and the login throttle must count failures
under the very key the account is found by.
"""

import unicodedata
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from portail.accounts.signals import password_set


def normalise_email(email: str) -> str:
    """The one form of an e-mail address: Unicode NFKC, lower case, trimmed.

    NFKC folds compatibility look-alikes into the usual letters ("ſ" into "s", fullwidth
    "ｇ" into "g", the Kelvin sign into "K"); lower() then folds case, as the portal always
    did. lower() rather than casefold(): casefold() rewrites "ß" as "ss", which would change
    the mailbox that mail goes to. "ı" (dotless i) stays itself: it is another address.
    Idempotent: NFKC once more after lower() (which may un-normalise a few characters),
    trimmed last (NFKC may turn a character into a space and a combining mark).
    """
    folded = unicodedata.normalize("NFKC", email).lower()
    return unicodedata.normalize("NFKC", folded).strip()


# The demo's logins (portail.demo.builder.demo_logins creates them; their passwords are
# published in the README): outside demo mode they never log in. Kept here, below the demo
# app, so that accounts needs nothing above it; tests/demo checks the two lists agree.
DEMO_LOGIN_EMAILS = frozenset(
    {"parent@example.org", "gestion@example.org", "pointage@example.org", "cuisine@example.org"}
)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields) -> "User":
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=normalise_email(email), **fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "User":
        fields["is_staff"] = True
        fields["is_superuser"] = True
        return self._create(email, password, **fields)

    def get_by_natural_key(self, username: str) -> "User":
        return self.get(email=normalise_email(username))

    def with_email(self, email: str) -> "models.QuerySet[User]":
        """The account (none or one) whose address is `email`, in any spelling."""
        return self.filter(email=normalise_email(email))


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail address"), unique=True)
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    # The language the user chose (on any page, the login page included); "" until they
    # choose one: their e-mails are then in the collectivité's default (LANGUAGE_CODE).
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=[("fr", "Français"), ("en", "English")],
        default="",
        blank=True,
    )
    is_staff = models.BooleanField(
        _("staff"), default=False, help_text=_("Member of the service gestionnaire.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.email

    def clean(self) -> None:
        super().clean()
        self.email = normalise_email(self.email or "")

    @property
    def is_refused_demo_login(self) -> bool:
        """A demo login (its password is public) while demo mode is off: never logs in."""
        return not settings.PORTAIL_DEMO and normalise_email(self.email) in DEMO_LOGIN_EMAILS

    def check_password(self, raw_password: str) -> bool:
        """Django's check, except that a refused demo login never has the right password.

        Every password check goes through here (the model backend behind the login page,
        the API, the admin and Client.login; the password and e-mail change forms).
        """
        if self.is_refused_demo_login:
            return False
        return super().check_password(raw_password)

    def get_session_auth_hash(self) -> str:
        """Django's hash, except for a refused demo login: its open sessions no longer match
        (Django then ends them, as after a password change)."""
        if self.is_refused_demo_login:
            return salted_hmac(
                "portail.accounts.refused_demo_login", self.password, algorithm="sha256"
            ).hexdigest()
        return super().get_session_auth_hash()

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        self._password_was_set = True

    def set_unusable_password(self) -> None:
        super().set_unusable_password()
        self._password_was_set = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Saves (the address normalised); then, if an existing user's password was set,
        sends `password_set`."""
        changed = self.pk is not None and getattr(self, "_password_was_set", False)
        if self.email:
            self.email = normalise_email(self.email)
        super().save(*args, **kwargs)
        self._password_was_set = False  # a new account's first password is no change
        if changed:
            password_set.send(sender=type(self), user=self)

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.email

    def get_short_name(self) -> str:
        return self.first_name or self.email


class LoginFailure(models.Model):
    """One failed (or in-progress) login attempt, for throttling.

    Kept in the database, not in process memory, because several processes serve one city:
    every one of them must see the same count. Rows older than the throttling window are
    pruned as attempts come in.

    Failures count against the account when one was found (`user`, whatever the spelling
    typed), else against the normalised address typed.
    """

    email = models.CharField(_("e-mail address"), max_length=254, db_index=True)
    user = models.ForeignKey(
        User,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    ip = models.GenericIPAddressField(_("client address"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("failed login attempt")
        verbose_name_plural = _("failed login attempts")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.email} {self.ip or ''} {self.created_at:%Y-%m-%d %H:%M}"


class PasswordResetRequest(models.Model):
    """One request of the forgotten-password page, for its rate limits.

    `user` is the account an e-mail was sent to (None: nothing was sent). Rows older than
    PORTAIL_PASSWORD_RESET_WINDOW_MINUTES are pruned as requests come in.
    """

    user = models.ForeignKey(
        User,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    ip = models.GenericIPAddressField(_("client address"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("password reset request")
        verbose_name_plural = _("password reset requests")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.user or '-'} {self.ip or ''} {self.created_at:%Y-%m-%d %H:%M}"


class Session(AbstractBaseSession):
    """A browser session: Django's row (key, signed data, expiry), plus the signed-in user.

    The engine is portail.accounts.sessions (SESSION_ENGINE), which fills `user` from the
    session's data each time it saves it, and reads the row with the user, their guardian
    and household in the same statement. `user` is a copy for that join only: who is
    signed in is still decided from the signed data, as Django does (sessions.py).

    No database constraint and nothing done when a user is deleted: a session whose user
    is gone reads as signed out, as Django's own sessions do (and a session saved while
    its user is being deleted cannot fail on the foreign key).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )

    @classmethod
    def get_session_store_class(cls) -> type:
        from portail.accounts.sessions import SessionStore  # imported when used, as Django's

        return SessionStore
