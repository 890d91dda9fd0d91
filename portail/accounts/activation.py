"""Activation of accounts created by the service gestionnaire (no password yet)."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext

from portail.accounts import emails
from portail.accounts.emails import absolute_url, render_for, send_account_email, user_language
from portail.accounts.models import User
from portail.accounts.tokens import activation_token
from portail.core.models import Organisation


def activation_link(user: User, request: HttpRequest | None = None) -> str:
    """A fresh link to the set-password page, valid PORTAIL_ACTIVATION_HOURS, used once."""
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse(
        "accounts:activate", kwargs={"uidb64": uidb64, "token": activation_token.make_token(user)}
    )
    return absolute_url(path, request)


def redacted(body: str, link: str, user: User) -> str:
    """The body with the live link replaced, for the copy kept in "Mes documents"."""
    with translation.override(user_language(user)):
        return body.replace(link, gettext("[link removed from this copy]"))


def send_activation_link(user: User, *, request: HttpRequest | None = None) -> Any:
    """E-mail the "Lien d'activation du mot de passe"; returns the copy kept, if any (with
    families: the Document in "Mes documents" when `user` is a guardian, else None).

    Sending a new link does not cancel earlier ones: each stops working once a password
    has been set, or after PORTAIL_ACTIVATION_HOURS.
    """
    link = activation_link(user, request)
    subject, body = render_for(
        user,
        "accounts/email/activation",
        {
            "user": user,
            "link": link,
            "hours": settings.PORTAIL_ACTIVATION_HOURS,
            "organisation": Organisation.current(),
        },
    )
    return send_account_email(
        user,
        kind=emails.ACTIVATION,
        subject=subject,
        body=body,
        kept_body=redacted(body, link, user),
    )
