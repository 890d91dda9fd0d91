"""Logins: one user per e-mail address, guardians and staff alike."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portail.accounts.signals import password_set


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields) -> "User":
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
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
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail address"), unique=True)
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=[("fr", "Français"), ("en", "English")], default="fr"
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

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        self._password_was_set = True

    def set_unusable_password(self) -> None:
        super().set_unusable_password()
        self._password_was_set = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Saves; then, if an existing user's password was set, sends `password_set`."""
        changed = self.pk is not None and getattr(self, "_password_was_set", False)
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
    """

    email = models.CharField(_("e-mail address"), max_length=254, db_index=True)
    ip = models.GenericIPAddressField(_("client address"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("failed login attempt")
        verbose_name_plural = _("failed login attempts")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.email} {self.ip or ''} {self.created_at:%Y-%m-%d %H:%M}"
