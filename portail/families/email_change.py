"""A guardian changes the e-mail address they log in with.

The change is applied only once the new address has proved it receives mail: a link is
sent to it, signed (Django's signing, with the SECRET_KEY) and valid EMAIL_CHANGE_HOURS.
Opening the link applies the change and tells the old address, so that someone who took
over a session cannot quietly move the account away.

The link names the old address too: once the change is made (or the address changed any
other way), the link no longer matches and stops working. Each link is thus used once.
"""

from dataclasses import dataclass

from django.core import signing
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from portail.accounts.activation import redacted
from portail.accounts.emails import absolute_url, render_for
from portail.accounts.models import User
from portail.core.models import Organisation
from portail.families.messaging import send_to_user
from portail.families.models import Document

EMAIL_CHANGE_HOURS = 24
SALT = "portail.families.email_change"


class EmailChangeError(Exception):
    """Why a link cannot be used: code "invalid", "expired", "used" or "taken"."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class EmailChange:
    user: User
    old_email: str
    new_email: str


def address_taken(email: str, user: User) -> bool:
    """Whether another account has `email` (in any spelling: the normalised form)."""
    return User.objects.with_email(email).exclude(pk=user.pk).exists()


def make_token(user: User, new_email: str) -> str:
    return signing.dumps({"u": user.pk, "old": user.email, "new": new_email}, salt=SALT)


def confirmation_link(user: User, new_email: str, request: HttpRequest | None = None) -> str:
    path = reverse("families:email_change_confirm", args=[make_token(user, new_email)])
    return absolute_url(path, request)


def request_change(user: User, new_email: str, request: HttpRequest | None = None) -> None:
    """Send the confirmation link to `new_email` (already validated by the form).

    Nothing changes until the link is opened."""
    link = confirmation_link(user, new_email, request)
    subject, body = render_for(
        user,
        "families/email/email_change_confirm",
        {
            "user": user,
            "new_email": new_email,
            "link": link,
            "hours": EMAIL_CHANGE_HOURS,
            "organisation": Organisation.current(),
        },
    )
    send_to_user(
        user,
        kind=Document.Kind.EMAIL_CHANGE,
        subject=subject,
        body=body,
        kept_body=redacted(body, link, user),
        to=new_email,
    )


def read_token(token: str) -> EmailChange:
    """The change a link asks for; EmailChangeError when it cannot be used."""
    try:
        data = signing.loads(token, salt=SALT, max_age=EMAIL_CHANGE_HOURS * 3600)
    except signing.SignatureExpired:
        raise EmailChangeError("expired") from None
    except signing.BadSignature:
        raise EmailChangeError("invalid") from None
    try:
        user_id, old_email, new_email = int(data["u"]), str(data["old"]), str(data["new"])
    except (KeyError, TypeError, ValueError):
        raise EmailChangeError("invalid") from None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise EmailChangeError("invalid")
    if user.email != old_email:
        raise EmailChangeError("used")
    return EmailChange(user=user, old_email=old_email, new_email=new_email)


def apply_change(token: str) -> EmailChange:
    """Apply the change a link asks for and tell the old address; EmailChangeError else."""
    with transaction.atomic():
        change = read_token(token)
        user = User.objects.select_for_update().get(pk=change.user.pk)
        if user.email != change.old_email:
            raise EmailChangeError("used")
        if address_taken(change.new_email, user):
            raise EmailChangeError("taken")
        user.email = change.new_email
        try:
            with transaction.atomic():
                user.save(update_fields=["email"])
        except IntegrityError:
            raise EmailChangeError("taken") from None
    _tell_old_address(user, change.old_email)
    return EmailChange(user=user, old_email=change.old_email, new_email=user.email)


def _tell_old_address(user: User, old_email: str) -> None:
    subject, body = render_for(
        user,
        "families/email/email_changed",
        {
            "user": user,
            "old_email": old_email,
            "new_email": user.email,
            "when": timezone.localtime(),
            "organisation": Organisation.current(),
        },
    )
    send_to_user(user, kind=Document.Kind.EMAIL_CHANGE, subject=subject, body=body, to=old_email)
