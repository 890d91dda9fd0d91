"""Forms of the account pages: log in, ask for a password reset, set a password."""

import logging
import math

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portail.accounts import emails, throttling
from portail.accounts.activation import redacted, send_activation_link
from portail.accounts.emails import absolute_url, render_for, send_account_email
from portail.accounts.models import User
from portail.accounts.services import (
    MAX_PASSWORD_LENGTH,
    LoginRefused,
    authenticate_throttled,
    client_ip,
)
from portail.core.models import Organisation

logger = logging.getLogger(__name__)


def reset_validity() -> str:
    """How long a reset link works, as "24 h" or "90 min" (the same in French)."""
    seconds = settings.PASSWORD_RESET_TIMEOUT
    if seconds % 3600 == 0:
        return f"{seconds // 3600} h"
    return f"{math.ceil(seconds / 60)} min"


class LoginForm(forms.Form):
    """E-mail and password, checked by authenticate_throttled (the API's rules too).

    Takes `request` first, like django.contrib.auth.forms.AuthenticationForm, so that
    django.contrib.auth.views.LoginView can use it.
    """

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=throttling.EMAIL_MAX_LENGTH,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        max_length=MAX_PASSWORD_LENGTH,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, request: HttpRequest | None = None, *args, **kwargs) -> None:
        self.request = request
        self.user_cache: User | None = None
        super().__init__(*args, **kwargs)

    def clean(self) -> dict:
        cleaned = super().clean()
        email, password = cleaned.get("email"), cleaned.get("password")
        if email and password and not self.errors:
            try:
                self.user_cache = authenticate_throttled(self.request, email, password)
            except LoginRefused as refused:
                raise ValidationError(refused.message, code=refused.code) from None
        return cleaned

    def get_user(self) -> User | None:
        return self.user_cache


class PasswordResetRequestForm(PasswordResetForm):
    """Django's reset form, with the portal's e-mails.

    Accounts never activated (no usable password; Django would silently skip them) get a
    new activation link instead: that is how an expired activation link is replaced.
    The reset e-mail goes through send_account_email, so guardians find it in "Mes
    documents" (with the link itself removed from the kept copy).

    Rate-limited (throttling.begin_reset_request, claim_reset_email): past the client
    address's or the account's limit nothing is sent, and the page answers the same.
    """

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=throttling.EMAIL_MAX_LENGTH,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def get_users(self, email: str):
        return User.objects.with_email(email).filter(is_active=True)

    def save(self, *args, request: HttpRequest | None = None, **kwargs) -> None:
        self._request = request
        ip = client_ip(request)
        self._reset_request = throttling.begin_reset_request(ip)
        if self._reset_request is None:
            logger.warning("Password reset refused: too many requests from %s", ip)
            return
        super().save(*args, request=request, **kwargs)

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ) -> None:
        user: User = context["user"]
        request = getattr(self, "_request", None)
        if not throttling.claim_reset_email(self._reset_request, user):
            logger.warning("Password reset refused: too many e-mails to account %s", user.pk)
            return
        if not user.has_usable_password():
            send_activation_link(user, request=request)
            return
        path = reverse(
            "accounts:password_reset_confirm",
            kwargs={"uidb64": context["uid"], "token": context["token"]},
        )
        link = absolute_url(path, request)
        subject, body = render_for(
            user,
            "accounts/email/password_reset",
            {
                "user": user,
                "link": link,
                "validity": reset_validity(),
                "organisation": Organisation.current(),
            },
        )
        send_account_email(
            user,
            kind=emails.PASSWORD_RESET,
            subject=subject,
            body=body,
            kept_body=redacted(body, link, user),
        )


class NewPasswordForm(SetPasswordForm):
    """Django's set-password form (labels, password validators) with a length limit, and
    the e-mail's login failures cleared: its owner just proved who they are."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("new_password1", "new_password2"):
            field = self.fields[name]
            field.max_length = MAX_PASSWORD_LENGTH
            field.validators.append(MaxLengthValidator(MAX_PASSWORD_LENGTH))
            field.widget.attrs["maxlength"] = str(MAX_PASSWORD_LENGTH)

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=commit)
        throttling.clear_failures(user.email, user=user)
        return user
