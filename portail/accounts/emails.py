"""E-mails to a login: written in its owner's language, with links that work from a mailbox.

The account pages send two e-mails of their own, the activation link and the password
reset link, through send_account_email(). How such an e-mail is delivered is a hook:
- by default it is only sent, to the login address (send_only);
- an app above that keeps people's messages registers its own delivery from its
  AppConfig.ready() with deliver_account_emails_with(): families keeps a copy in the
  household's "Mes documents" when the login is a guardian's (messaging.send_to_user),
  and only sends it otherwise (staff).

The helpers below (absolute_url, user_language, render_for, one_line, send_messages) are
what every e-mail of the product is built with; families.messaging builds on them.

Sending happens at once (not on commit). A failure to send is logged and does not raise:
the business action that sent the message must not fail because the mail server is down.
"""

import logging
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import translation

from portail.accounts.models import User
from portail.core.base_url import base_url

logger = logging.getLogger(__name__)

# The kinds of account e-mail, as families' Document.Kind names them.
ACTIVATION = "activation"
PASSWORD_RESET = "password_reset"
KINDS = (ACTIVATION, PASSWORD_RESET)

Attachment = tuple[str, bytes, str]


def absolute_url(path: str, request: HttpRequest | None = None) -> str:
    """A full URL for a link in an e-mail.

    settings.PORTAIL_BASE_URL (the public address) wins when set, so that a link sent
    from an internal address still works for families; in development, when it is empty,
    the address the request (this one, else the one being served) came on.
    """
    base = base_url(request)
    return base + path if base else path


def user_language(user: User) -> str:
    """The user's language if the portal offers it, else the portal's default."""
    codes = {code for code, _name in settings.LANGUAGES}
    return user.language if user.language in codes else settings.LANGUAGE_CODE


def render_for(user: User, template_name: str, context: dict) -> tuple[str, str]:
    """Render `<template_name>_subject.txt` and `<template_name>_body.txt` in the user's
    language; returns (subject on one line, body)."""
    with translation.override(user_language(user)):
        subject = render_to_string(f"{template_name}_subject.txt", context)
        body = render_to_string(f"{template_name}_body.txt", context)
    return one_line(subject), body.strip() + "\n"


def one_line(subject: str) -> str:
    """Mail headers cannot hold line breaks."""
    return " ".join(subject.split())


def send_messages(
    emails: list[str],
    subject: str,
    body: str,
    html_body: str | None = None,
    attachments: list[Attachment] | None = None,
) -> int:
    """One message per address (recipients do not see each other's address); returns how
    many were handed to the backend."""
    if not emails:
        return 0
    messages = []
    for email in emails:
        message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
        if html_body is not None:
            message.attach_alternative(html_body, "text/html")
        for filename, content, mimetype in attachments or []:
            message.attach(filename, content, mimetype)
        messages.append(message)
    try:
        return get_connection().send_messages(messages) or 0
    except Exception:
        logger.exception("Could not send %r to %d address(es)", subject, len(emails))
        return 0


class Delivery(Protocol):
    """Delivers one account e-mail; returns the copy it kept, if any.

    kept_body is what a kept copy may hold instead of body: the links of these e-mails
    act, and must not stay usable from a stored copy.
    """

    def __call__(self, user: User, *, kind: str, subject: str, body: str, kept_body: str) -> Any:
        """Send the e-mail to the user's login address."""


def send_only(user: User, *, kind: str, subject: str, body: str, kept_body: str) -> None:
    """The default delivery: the e-mail goes to the login address, no copy is kept."""
    send_messages([user.email], one_line(subject), body)


_delivery: Delivery = send_only


def deliver_account_emails_with(delivery: Delivery) -> Delivery:
    """Deliver the account e-mails with `delivery` from now on; returns the one it replaces.

    Called from the AppConfig.ready() of the app that keeps people's messages.
    """
    global _delivery
    previous, _delivery = _delivery, delivery
    return previous


def send_account_email(user: User, *, kind: str, subject: str, body: str, kept_body: str) -> Any:
    """E-mail `user` an account e-mail of `kind` (ACTIVATION, PASSWORD_RESET) through the
    registered delivery; returns what it kept (families: the Document, or None)."""
    if kind not in KINDS:
        raise ValueError(f"Unknown account e-mail kind {kind!r}")
    return _delivery(user, kind=kind, subject=subject, body=body, kept_body=kept_body)
