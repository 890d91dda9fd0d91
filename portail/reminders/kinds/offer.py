"""`offer_expiring`: a place offered from a day's waiting list (reservations.waiting) that
stops being held within PORTAIL_REMINDER_OFFER_HOURS; unanswered, it then passes to the
next family. Once per offer (an offer's end never moves; a later offer of the same day is
another). An offer taken (its basket paid), declined or ended is not reminded."""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portail.accounts.emails import absolute_url
from portail.reminders.registry import Notice, ReminderKind, register, rendered
from portail.reservations.waiting_models import WaitingListEntry, WaitingStatus

CODE = "offer_expiring"


def find(now: datetime.datetime) -> list[Notice]:
    until = now + datetime.timedelta(hours=settings.PORTAIL_REMINDER_OFFER_HOURS)
    offers = (
        WaitingListEntry.objects.filter(
            status=WaitingStatus.OFFERED, offer_expires_at__gt=now, offer_expires_at__lte=until
        )
        .select_related("child", "session__activity")
        .order_by("offer_expires_at", "pk")
    )
    return [_notice(entry, now) for entry in offers]


def _notice(entry: WaitingListEntry, now: datetime.datetime) -> Notice:
    context = {
        "child": entry.child.first_name,
        "activity": entry.session.activity.name,
        "day": entry.session.date,
        "expires_at": entry.offer_expires_at,
        "basket_url": absolute_url(reverse("reservations:basket")),
    }

    def still_due() -> bool:
        return WaitingListEntry.objects.filter(
            pk=entry.pk,
            status=WaitingStatus.OFFERED,
            offer_expires_at=entry.offer_expires_at,
            offer_expires_at__gt=now,
        ).exists()

    return Notice(
        household_id=entry.household_id,
        key=f"{entry.pk}@{int(entry.offer_expires_at.timestamp())}",
        write=rendered("reminders/email/offer_expiring", context),
        still_due=still_due,
    )


KIND = register(
    ReminderKind(
        code=CODE,
        label=_("A place offered to me is about to expire"),
        help_text=_(
            "A few hours before a place offered from a waiting list stops being held in my "
            "basket (it then goes to the next family)."
        ),
        find=find,
        order=25,
    )
)
