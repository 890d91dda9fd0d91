"""A day closed by the service (strike, outing...): its paid bookings become credit.

activities.calendar.close_sessions() sends `sessions_closed` inside its transaction,
holding the sessions' row locks. Crediting needs the households' locks, which every
basket change takes BEFORE the sessions' (basket.py): taking them here, after, could
deadlock. So the receiver only registers `credit_closed_bookings()` to run once the
closing transaction has committed; it then takes the locks in the usual order, one
household at a time. It is idempotent (only bookings still reserved on a closed day are
touched, and the ledger accepts one closure credit per booking), so running it again, e.g.
from a shell after a crash, is safe.

Requests not yet paid on a closed day are left to the checkout: they are not confirmed,
and if they were paid their price becomes credit (settlement.py).
"""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from portail.activities.models import Session
from portail.billing import credits
from portail.billing.models import CreditKind
from portail.billing.settlement import DETAIL_SESSION_CLOSED
from portail.core.locking import locked
from portail.families.models import Household
from portail.reservations import history
from portail.reservations.models import Booking, BookingStatus, Channel, HistoryAction


def on_sessions_closed(sender, sessions: list[Session], reason: str = "", **kwargs) -> None:
    """`sessions_closed` receiver: credit the bookings once the closing has committed."""
    ids = [s.pk for s in sessions]
    transaction.on_commit(lambda: credit_closed_bookings(ids))


def credit_closed_bookings(
    session_ids: Iterable[int], *, now: datetime.datetime | None = None
) -> int:
    """Every reserved booking on these sessions, if closed, becomes cancelled and its price
    a credit (kind closure, reason: the day's closed_reason); returns how many."""
    now = now or timezone.now()
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
            for booking in bookings:
                session = closed[booking.session_id]
                booking.status = BookingStatus.CANCELLED
                booking.save(update_fields=["status", "updated_at"])
                if booking.price_cents:
                    credits.add_credit(
                        household,
                        booking.price_cents,
                        kind=CreditKind.CLOSURE,
                        reason=session.closed_reason,
                        booking=booking,
                        at=now,
                    )
                history.record(
                    child=booking.child_id,
                    session=booking.session_id,
                    action=HistoryAction.REMOVE_RESERVATION,
                    actor=None,
                    channel=Channel.SYSTEM,
                    price_cents=booking.price_cents,
                    detail=DETAIL_SESSION_CLOSED,
                    at=now,
                )
                count += 1
    return count
