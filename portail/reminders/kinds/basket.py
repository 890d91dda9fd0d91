"""`basket_lapsing`: an open basket (requests not paid yet) whose hold ends within
PORTAIL_REMINDER_BASKET_MINUTES; after that its places are released
(reservations.holds). Once per basket and hold: a new submission sets a new end, which
may be reminded again. A basket being paid (awaiting payment), paid or closed is not."""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portail.accounts.emails import absolute_url
from portail.reminders.registry import Notice, ReminderKind, register, rendered
from portail.reservations.models import Basket, BasketStatus

CODE = "basket_lapsing"


def find(now: datetime.datetime) -> list[Notice]:
    until = now + datetime.timedelta(minutes=settings.PORTAIL_REMINDER_BASKET_MINUTES)
    baskets = (
        Basket.objects.filter(status=BasketStatus.OPEN, expires_at__gt=now, expires_at__lte=until)
        .filter(lines__isnull=False)
        .distinct()
        .order_by("expires_at", "pk")
    )
    return [_notice(basket, now) for basket in baskets]


def _notice(basket: Basket, now: datetime.datetime) -> Notice:
    context = {
        "basket": basket,
        "expires_at": basket.expires_at,
        "basket_url": absolute_url(reverse("reservations:basket")),
    }

    def still_due() -> bool:
        return Basket.objects.filter(
            pk=basket.pk,
            status=BasketStatus.OPEN,
            expires_at=basket.expires_at,
            expires_at__gt=now,
        ).exists()

    return Notice(
        household_id=basket.household_id,
        key=f"{basket.pk}@{int(basket.expires_at.timestamp())}",
        write=rendered("reminders/email/basket_lapsing", context),
        still_due=still_due,
    )


KIND = register(
    ReminderKind(
        code=CODE,
        label=_("My basket is about to lapse"),
        help_text=_(
            "A few minutes before the reservation requests in my basket, not paid yet, "
            "stop holding their places."
        ),
        find=find,
        order=20,
    )
)
