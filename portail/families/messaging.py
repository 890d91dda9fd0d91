"""E-mails to users and households, with the copy kept in "Mes documents".

Every part of the product sends mail through these functions: they use Django's configured
backend (SMTP, files or console, chosen in settings), and keep a Document for the household
whenever the recipient is a guardian or a household. Callers pass text already rendered in
the recipient's language: see portail.accounts.emails (render_for, user_language,
absolute_url belong to a login and live there).

The account e-mails (activation link, password reset) are sent by accounts, which does
not know households: FamiliesConfig.ready() registers send_to_user as their delivery
(accounts.emails.deliver_account_emails_with), so guardians find them in "Mes documents" too.

Files attached to a message (a payment ticket, a basket PDF) are kept with the Document,
so the family can open them again from "Mes documents".

Sending happens at once (not on commit). A failure to send is logged and does not raise:
the business action that sent the message (a payment, a closure) must not fail because the
mail server is down, and the Document keeps the message for the family anyway.
"""

from collections.abc import Callable

from django.conf import settings
from django.utils import translation

from portail.accounts.emails import Attachment, one_line, send_messages, user_language
from portail.accounts.models import User
from portail.families.models import Document, DocumentAttachment, Guardian, Household

TITLE_MAX_LENGTH = 200
RECIPIENT_MAX_LENGTH = 254
# Between the versions of a message kept in "Mes documents" (one per guardian's language).
VERSIONS_SEPARATOR = "\n\n" + "-" * 40 + "\n\n"


def _check_kind(kind: str) -> None:
    if kind not in Document.Kind.values:
        raise ValueError(f"Unknown document kind {kind!r}")


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
    subject = one_line(subject)
    address = to or user.email
    send_messages([address], subject, body, html_body, attachments)
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
    subject = one_line(subject)
    emails: list[str] = []
    guardians = household.guardians.filter(user__is_active=True).select_related("user")
    for guardian in guardians.order_by("pk"):
        if guardian.user.email and guardian.user.email not in emails:
            emails.append(guardian.user.email)
    send_messages(emails, subject, body, html_body, attachments)
    document = Document.objects.create(
        household=household,
        kind=kind,
        title=subject[:TITLE_MAX_LENGTH],
        recipient=_recipients(emails),
        body=body,
    )
    _keep_attachments(document, attachments)
    return document


def _guardians_by_language(household: Household) -> list[tuple[str, list[str]]]:
    """(language, addresses) of the household's active guardians, each in the language
    they chose (else the portal's default: accounts.emails.user_language), the first
    guardian's language first."""
    groups: dict[str, list[str]] = {}
    guardians = household.guardians.filter(user__is_active=True).select_related("user")
    for guardian in guardians.order_by("pk"):
        addresses = groups.setdefault(user_language(guardian.user), [])
        if guardian.user.email and guardian.user.email not in addresses:
            addresses.append(guardian.user.email)
    return list(groups.items())


def household_language(household: Household) -> str:
    """The language of the household's first active guardian (their choice, else the
    portal's default): what a document made once for the whole household (a PDF) is
    written in."""
    groups = _guardians_by_language(household)
    return groups[0][0] if groups else settings.LANGUAGE_CODE


def send_to_household_in_languages(
    household: Household,
    *,
    kind: str,
    write: Callable[[], tuple[str, str]],
    attachments: list[Attachment] | None = None,
) -> Document:
    """E-mail every active guardian in their own language; keep one Document.

    `write()` returns (subject, body) in the active language; it is called once per
    language the guardians read, under translation.override. A co-parent who never chose
    a language reads the portal's default. The Document keeps the first guardian's version,
    then each other version (VERSIONS_SEPARATOR), so the family's copy is one document.
    """
    _check_kind(kind)
    groups = _guardians_by_language(household) or [(settings.LANGUAGE_CODE, [])]
    versions: list[tuple[str, str]] = []
    recipients: list[str] = []
    for language, addresses in groups:
        with translation.override(language):
            subject, body = write()
        subject = one_line(subject)
        send_messages(addresses, subject, body, None, attachments)
        versions.append((subject, body))
        recipients += addresses
    document = Document.objects.create(
        household=household,
        kind=kind,
        title=versions[0][0][:TITLE_MAX_LENGTH],
        recipient=_recipients(recipients),
        body=VERSIONS_SEPARATOR.join(body.strip() for _subject, body in versions) + "\n",
    )
    _keep_attachments(document, attachments)
    return document
