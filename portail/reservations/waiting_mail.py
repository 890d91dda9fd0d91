"""The e-mail of a place offered from the waiting list (waiting.py), sent once the offer
is committed: each guardian in their own language, the copy kept in "Mes documents"."""

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from portail.accounts.emails import absolute_url
from portail.families import messaging
from portail.families.models import Document
from portail.reservations.waiting_models import WaitingListEntry, WaitingStatus


def notify_offers(entry_ids: list[int]) -> None:
    for entry in WaitingListEntry.objects.filter(pk__in=entry_ids).select_related(
        "household", "child", "session__activity"
    ):
        if entry.status == WaitingStatus.OFFERED:
            notify_offer(entry)


def notify_offer(entry: WaitingListEntry) -> None:
    """E-mail the family (each guardian in their language; kept in "Mes documents")."""
    session = entry.session

    def write() -> tuple[str, str]:
        values = {
            "child": entry.child.first_name,
            "activity": session.activity.name,
            "date": formats.date_format(session.date, "SHORT_DATE_FORMAT"),
            "until": formats.date_format(
                timezone.localtime(entry.offer_expires_at), "SHORT_DATETIME_FORMAT"
            ),
            "basket": absolute_url(reverse("reservations:basket")),
        }
        subject = _("A place is free for %(child)s on %(date)s") % values
        body = "\n\n".join(
            [
                _(
                    "A place has become free for %(child)s at %(activity)s on %(date)s, "
                    "for which you are on the waiting list."
                )
                % values,
                _(
                    "It is held for you in your basket until %(until)s: pay or validate "
                    "your basket to confirm it, or remove it from the basket to decline "
                    "it. Without an answer by then, it is offered to the next family."
                )
                % values,
                _("Your basket: %(basket)s") % values,
            ]
        )
        return subject, body

    messaging.send_to_household_in_languages(
        entry.household, kind=Document.Kind.MESSAGE, write=write
    )
