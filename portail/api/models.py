"""API tokens: what a script or mobile app sends as `Authorization: Bearer <token>`.

Only a SHA-256 hash of each token is stored, so a copy of the database does not let
anyone call the API; the token itself is shown once, when it is created (see tokens.py).
A token expires PORTAIL_API_TOKEN_DAYS after it is created; its holder sees it (label,
dates, last use) and may revoke it on "Mes données personnelles" (pages.py).
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    key_hash = models.CharField(_("token hash (SHA-256)"), max_length=64, unique=True)
    label = models.CharField(
        _("label"),
        max_length=100,
        blank=True,
        help_text=_("Given by the application that asked for the token, to recognise it."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), db_index=True)
    last_used_at = models.DateTimeField(
        _("last used"),
        null=True,
        blank=True,
        help_text=_("Updated at most once a minute."),
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d %H:%M})"

    def is_expired(self, now: datetime.datetime) -> bool:
        return self.expires_at <= now
