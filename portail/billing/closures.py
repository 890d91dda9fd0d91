"""A day closed by the service (strike, outing...): its paid bookings become credit.

activities.calendar.close_sessions() sends `sessions_closed` inside its transaction,
holding the sessions' row locks. Crediting needs the households' locks, which every
basket change takes BEFORE the sessions' (basket.py): taking them here, after, could
deadlock. So the receiver only registers `credit_closed_bookings()` to run once the
closing transaction has committed; it then takes the locks in the usual order, one
household at a time. It is idempotent (only bookings still reserved on a closed day are
touched, and the ledger accepts one closure credit per booking), so running it again, e.g.
from a shell after a crash, is safe.

A booking invoiced after the fact (Booking.invoiced) is cancelled too, with no credit:
nothing was paid for it, and a closed day is not invoiced either (history
closed_not_invoiced).

Requests not yet paid on a closed day are left to the checkout: they are not confirmed,
and if they were paid their price becomes credit (settlement.py).

The staff member who closed the day (`actor`, sent with the signal) is written on the
history rows and the credits: families read "Service gestionnaire"; None (a script)
reads "Automatique (portail)". A cancellation the family had put in its open basket for
a booking the closure cancels is removed from that basket in the same transaction (the
day is credited by the closure; the line would only show a stale ANNULATION).
"""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from portail.accounts.models import User
from portail.activities.models import Session
from portail.billing import credits
from portail.billing.models import CreditKind
from portail.billing.settlement import DETAIL_CLOSED_NOT_INVOICED, DETAIL_SESSION_CLOSED
from portail.core.locking import locked
from portail.families.models import Household
from portail.reservations import history
from portail.reservations.models import (
    Basket,
    BasketLine,
    BasketStatus,
    Booking,
    BookingStatus,
    Channel,
    HistoryAction,
    LineKind,
)


def on_sessions_closed(
    sender,
    sessions: list[Session],
    reason: str = "",
    actor: User | None = None,
    **kwargs,
) -> None:
    """`sessions_closed` receiver: credit the bookings once the closing has committed."""
    ids = [s.pk for s in sessions]
    transaction.on_commit(lambda: credit_closed_bookings(ids, actor=actor))


def credit_closed_bookings(
    session_ids: Iterable[int],
    *,
    now: datetime.datetime | None = None,
    actor: User | None = None,
) -> int:
    """Every reserved booking on these sessions, if closed, becomes cancelled and its price
    a credit (kind closure, reason: the day's closed_reason); returns how many. `actor`:
    the staff member who closed the days (None: the portal)."""
    now = now or timezone.now()
    channel = Channel.SYSTEM if actor is None else Channel.BACKOFFICE
    ids = sorted(set(session_ids))
    household_ids = sorted(
        set(
            Booking.objects.filter(
                session_id__in=ids, session__is_open=False, status=BookingStatus.RESERVED
            ).values_list("child__household_id", flat=True)
        )
    )
    count = 0
    for household_id in household_ids:
        with transaction.atomic():
            rows = locked(Household.objects.filter(pk=household_id))
            if not rows:
                continue
            household = rows[0]
            closed = {s.pk: s for s in locked(Session.objects.filter(pk__in=ids)) if not s.is_open}
            bookings = Booking.objects.filter(
                session_id__in=list(closed),
                child__household_id=household_id,
                status=BookingStatus.RESERVED,
            ).order_by("session__date", "pk")
            done: list[int] = []
            for booking in bookings:
                session = closed[booking.session_id]
                booking.status = BookingStatus.CANCELLED
                booking.save(update_fields=["status", "updated_at"])
                if booking.price_cents and not booking.invoiced:
                    credits.add_credit(
                        household,
                        booking.price_cents,
                        kind=CreditKind.CLOSURE,
                        reason=session.closed_reason,
                        actor=actor,
                        booking=booking,
                        at=now,
                    )
                history.record(
                    child=booking.child_id,
                    session=booking.session_id,
                    action=HistoryAction.REMOVE_RESERVATION,
                    actor=actor,
                    channel=channel,
                    price_cents=booking.price_cents,
                    detail=DETAIL_CLOSED_NOT_INVOICED
                    if booking.invoiced
                    else DETAIL_SESSION_CLOSED,
                    at=now,
                )
                done.append(booking.pk)
                count += 1
            _drop_stale_cancellations(done, now)
    return count


def _drop_stale_cancellations(booking_ids: list[int], now: datetime.datetime) -> None:
    """Remove the open baskets' cancellation lines of these bookings, just cancelled by the
    closure (household locked). A basket left empty is abandoned, as an emptied basket is
    (reservations.basket). A basket awaiting payment cannot change: its settlement skips
    the line (the booking is no longer reserved) and quote() no longer counts it."""
    if not booking_ids:
        return
    stale = BasketLine.objects.filter(
        booking_id__in=booking_ids,
        kind=LineKind.CANCELLATION,
        basket__status=BasketStatus.OPEN,
    )
    basket_ids = set(stale.values_list("basket_id", flat=True))
    if not basket_ids:
        return
    stale.delete()
    Basket.objects.filter(pk__in=basket_ids, status=BasketStatus.OPEN).exclude(
        Exists(BasketLine.objects.filter(basket_id=OuterRef("pk")))
    ).update(status=BasketStatus.ABANDONED, updated_at=now)
