"""The waiting list's offers answered by time or by payment (see waiting.py).

- expire_offers(): an offer past its offer_expires_at leaves the basket and its place goes
  to the next entry; then sweep() offers every place still free that someone waits for.
  Run by `portail expire_baskets`. An offer whose basket is being paid waits for the
  payment's result.
- settled(): billing.settlement tells which requests a basket confirmed (an offer taken:
  accepted), released (an offer lost) and which bookings it cancelled; the places freed
  are offered at once (the settlement holds the sessions' locks).
"""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from portail.activities.models import Session
from portail.core.locking import locked
from portail.families.models import Household
from portail.reservations.holds import close_offers, current_open
from portail.reservations.models import BasketStatus, Booking, BookingStatus, Channel
from portail.reservations.waiting import offer_freed_places, sweep, withdraw_offer
from portail.reservations.waiting_models import WaitingListEntry, WaitingStatus


def expire_offers(*, now: datetime.datetime | None = None) -> int:
    """End the offers past their time (each passed to the next); returns how many."""
    now = now or timezone.now()
    due = list(
        WaitingListEntry.objects.filter(status=WaitingStatus.OFFERED, offer_expires_at__lte=now)
        .order_by("offer_expires_at", "pk")
        .values_list("pk", "household_id", "session_id")
    )
    count = 0
    for pk, household_id, session_id in due:
        with transaction.atomic():
            household = locked(Household.objects.filter(pk=household_id))[0]
            current_open(household, now)  # a lapsed basket expires its lapsed offers
            locked(Session.objects.filter(pk=session_id))
            entry = WaitingListEntry.objects.select_related("booking__basket").get(pk=pk)
            if entry.status == WaitingStatus.OFFERED:
                booking = entry.booking
                if booking is not None and booking.status == BookingStatus.RESERVED:
                    entry.status = WaitingStatus.ACCEPTED
                    entry.save(update_fields=["status", "updated_at"])
                    continue
                if (
                    booking is not None
                    and booking.status == BookingStatus.REQUESTED
                    and booking.basket is not None
                    and booking.basket.status == BasketStatus.AWAITING_PAYMENT
                ):
                    continue  # the payment decides
                withdraw_offer(
                    entry, status=WaitingStatus.EXPIRED, actor=None, channel=Channel.SYSTEM, now=now
                )
            if entry.status == WaitingStatus.EXPIRED:
                count += 1
            offer_freed_places([session_id], now=now)
    sweep(now=now)
    return count


def settled(
    *,
    confirmed: Iterable[Booking],
    released: Iterable[Booking],
    cancelled: Iterable[Booking],
    at: datetime.datetime,
) -> None:
    """A basket was settled (billing.settlement, sessions locked): offers taken or lost,
    places freed offered."""
    confirmed, released, cancelled = list(confirmed), list(released), list(cancelled)
    if confirmed:
        WaitingListEntry.objects.filter(
            booking_id__in=[b.pk for b in confirmed], status=WaitingStatus.OFFERED
        ).update(status=WaitingStatus.ACCEPTED, updated_at=timezone.now())
    close_offers([b.pk for b in released], WaitingStatus.EXPIRED)
    offer_freed_places({b.session_id for b in [*released, *cancelled]}, now=at)
