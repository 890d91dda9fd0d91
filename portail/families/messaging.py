"""E-mails to users and households, with the copy kept in "Mes documents".

Every part of the product sends mail through these functions: they use Django's configured
backend (SMTP, files or console, chosen in settings), and keep a Document for the household
whenever the recipient is a guardian or a household. Callers pass text already rendered in
the recipient's language: see render_for().

Files attached to a message (a payment ticket, a basket PDF) are kept with the Document,
so the family can open them again from "Mes documents".

Sending happens at once (not on commit). A failure to send is logged and does not raise:
the business action that sent the message (a payment, a closure) must not fail because the
mail server is down, and the Document keeps the message for the family anyway.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import translation

from portail.accounts.models import User
from portail.core.base_url import base_url
from portail.families.models import Document, DocumentAttachment, Guardian, Household

logger = logging.getLogger(__name__)

TITLE_MAX_LENGTH = 200
RECIPIENT_MAX_LENGTH = 254

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
    return _one_line(subject), body.strip() + "\n"


def _one_line(subject: str) -> str:
    """Mail headers cannot hold line breaks."""
    return " ".join(subject.split())


def _check_kind(kind: str) -> None:
    if kind not in Document.Kind.values:
        raise ValueError(f"Unknown document kind {kind!r}")


def _send(
    emails: list[str],
    subject: str,
    body: str,
    html_body: str | None,
    attachments: list[Attachment] | None,
) -> int:
    """One message per address (guardians do not see each other's address); returns how
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


def _recipients(emails: list[str]) -> str:
    """The addresses that fit in Document.recipient, comma-separated."""
    kept: list[str] = []
    for email in emails:
        candidate = ", ".join([*kept, email])
        if len(candidate) > RECIPIENT_MAX_LENGTH:
            break
        kept.append(email)
    return ", ".join(kept)


def _keep_attachments(document: Document, attachments: list[Attachment] | None) -> None:
    DocumentAttachment.objects.bulk_create(
        DocumentAttachment(
            document=document,
            filename=filename[:200],
            content_type=mimetype[:100],
            content=bytes(content),
            size=len(content),
        )
        for filename, content, mimetype in attachments or []
    )


def send_to_user(
    user: User,
    *,
    kind: str,
    subject: str,
    body: str,
    html_body: str | None = None,
    attachments: list[Attachment] | None = None,
    kept_body: str | None = None,
    to: str | None = None,
) -> Document | None:
    """E-mail one user; keep a Document when the user is a guardian (else return None).

    kept_body, when given, is what the Document keeps instead of body: links that act
    (activation, password reset) must not stay usable from a stored copy.
    to, when given, is the address written to instead of the user's login (a login
    address being changed: the link goes to the new one, the notice to the old one).
    """
    _check_kind(kind)
    subject = _one_line(subject)
    address = to or user.email
    _send([address], subject, body, html_body, attachments)
    guardian = Guardian.objects.filter(user=user).select_related("household").first()
    if guardian is None:
        return None
    document = Document.objects.create(
        household=guardian.household,
        kind=kind,
        title=subject[:TITLE_MAX_LENGTH],
        recipient=address[:RECIPIENT_MAX_LENGTH],
        body=body if kept_body is None else kept_body,
    )
    _keep_attachments(document, attachments)
    return document


def send_to_household(
    household: Household,
    *,
    kind: str,
    subject: str,
    body: str,
    html_body: str | None = None,
    attachments: list[Attachment] | None = None,
) -> Document:
    """E-mail every active guardian of the household; keep one Document for it.

    The Document is kept even when no guardian has an active login: the family still
    finds the message in "Mes documents".
    """
    _check_kind(kind)
    subject = _one_line(subject)
    emails: list[str] = []
    guardians = household.guardians.filter(user__is_active=True).select_related("user")
    for guardian in guardians.order_by("pk"):
        if guardian.user.email and guardian.user.email not in emails:
            emails.append(guardian.user.email)
    _send(emails, subject, body, html_body, attachments)
    document = Document.objects.create(
        household=household,
        kind=kind,
        title=subject[:TITLE_MAX_LENGTH],
        recipient=_recipients(emails),
        body=body,
    )
    _keep_attachments(document, attachments)
    return document
