"""A closed day reopened by the service: what its closure cancelled stands again, where the
family has not used the credit.

What the closure cancelled (closures.py): for each child, the latest booking of the day,
if it is cancelled and either its closure credit is still there (not taken back) or the
child's latest history row of the day is the closure's (details session_closed and
closed_not_invoiced: a free day or a day invoiced after the fact, credited nothing).

For each household, in day order (then child, booking):
- a prepaid day comes back only if the household's available credit (credits
  .available_cents(): the balance minus what pending payments hold) still covers its
  closure credit: the whole credit is then taken back (a CreditKind.CLOSURE_REVERSED
  row, negative, linked to the cancelled booking) and the available credit goes down by
  as much before the next day is looked at. So a family that spent part of its credit
  gets back the days its remaining credit covers, in date order; the others stay
  cancelled and credited, as after the closure;
- a day invoiced after the fact (or free) credited nothing: it comes back;
- never beyond the day's capacity (places taken re-read under the session's lock).
A day that comes back is a NEW reserved booking (same child, day, price, late and billing
mode, outside any basket): the cancelled one keeps its closure credit and the reversal,
so the ledger's one-credit-per-booking rule still holds if the day is closed again, or
later cancelled by the family. Every restored day writes the child's history ("Added:
RESERVATION", by the service).

Locks, in the order every basket change takes them (closures.py's docstring): the
households' rows first, then the sessions'. Everything happens in one transaction, the
sessions being opened at its end through activities.calendar.reopen_sessions(), which
sends `sessions_reopened` once it has committed: receivers (a waiting list) see the places
that are really free. Idempotent: a session already open is skipped (nothing done); a
booking whose credit was taken back is no longer the latest of its day.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from portail.accounts.models import User
from portail.activities import calendar
from portail.activities.models import Session
from portail.billing import credits
from portail.billing.models import CreditEntry, CreditKind
from portail.core.locking import locked
from portail.families.models import Household
from portail.reservations import history
from portail.reservations.models import (
    Booking,
    BookingStatus,
    Channel,
    HistoryAction,
    HistoryDetail,
    HistoryEntry,
)
from portail.reservations.occupancy import taken_places

CLOSURE_DETAILS = (HistoryDetail.SESSION_CLOSED, HistoryDetail.CLOSED_NOT_INVOICED)

# Why a day stays cancelled and credited.
KEPT_CREDIT_USED = "credit_used"
KEPT_FULL = "full"


@dataclass
class ReopenedDay:
    """One child's day the closure had cancelled, and what the reopening did with it."""

    session: Session
    cancelled: Booking  # the booking the closure cancelled
    credit_cents: int  # its closure credit (0: invoiced after the fact, or free)
    restored: Booking | None = None  # the new reserved booking, when the day came back
    kept_because: str = ""  # KEPT_CREDIT_USED | KEPT_FULL when it did not

    @property
    def child(self):
        return self.cancelled.child


@dataclass
class Reopening:
    sessions: list[Session] = field(default_factory=list)  # the days opened now
    households: dict[int, list[ReopenedDay]] = field(default_factory=dict)

    @property
    def restored(self) -> list[ReopenedDay]:
        return [d for days in self.households.values() for d in days if d.restored]

    @property
    def kept(self) -> list[ReopenedDay]:
        return [d for days in self.households.values() for d in days if not d.restored]

    @property
    def taken_back_cents(self) -> int:
        return sum(d.credit_cents for d in self.restored)


def closure_cancelled(session_ids: Iterable[int]) -> list[Booking]:
    """The bookings the closure of these sessions cancelled and a reopening would look at
    (see the module docstring), child, household and session loaded."""
    ids = sorted(set(session_ids))
    latest: dict[tuple[int, int], Booking] = {}
    for booking in Booking.objects.filter(session_id__in=ids).order_by("pk"):
        latest[(booking.child_id, booking.session_id)] = booking
    candidates = {b.pk: b for b in latest.values() if b.status == BookingStatus.CANCELLED}
    if not candidates:
        return []
    entries = CreditEntry.objects.filter(
        booking_id__in=list(candidates), kind__in=[CreditKind.CLOSURE, CreditKind.CLOSURE_REVERSED]
    ).values_list("booking_id", "kind")
    credited = {pk for pk, kind in entries if kind == CreditKind.CLOSURE}
    reversed_ = {pk for pk, kind in entries if kind == CreditKind.CLOSURE_REVERSED}
    last_row: dict[tuple[int, int], tuple[str, str]] = {}
    for child_id, session_id, action, detail in (
        HistoryEntry.objects.filter(
            session_id__in=ids, child_id__in={b.child_id for b in candidates.values()}
        )
        .order_by("created_at", "pk")
        .values_list("child_id", "session_id", "action", "detail")
    ):
        last_row[(child_id, session_id)] = (action, detail)
    chosen = []
    for pk, booking in candidates.items():
        if pk in reversed_:
            continue
        row = last_row.get((booking.child_id, booking.session_id))
        by_closure = row is not None and row[0] == HistoryAction.REMOVE_RESERVATION
        if pk in credited or (by_closure and row[1] in CLOSURE_DETAILS):
            chosen.append(pk)
    return list(
        Booking.objects.filter(pk__in=chosen)
        .select_related("child__household", "session__activity__site")
        .order_by("session__date", "session_id", "child__first_name", "pk")
    )


def _closure_credits(booking_ids: list[int]) -> dict[int, int]:
    return dict(
        CreditEntry.objects.filter(booking_id__in=booking_ids, kind=CreditKind.CLOSURE).values_list(
            "booking_id", "amount_cents"
        )
    )


def reopen_closed_sessions(
    session_ids: Iterable[int],
    *,
    actor: User | None = None,
    now: datetime.datetime | None = None,
) -> Reopening:
    """Open these sessions again, restoring what their closure cancelled where the families'
    credit allows (module docstring). Sessions already open are left alone; returns what
    was done (nothing for sessions all open). Call it outside transaction.atomic() so
    that `sessions_reopened` goes once the reopening has committed."""
    now = now or timezone.now()
    channel = Channel.SYSTEM if actor is None else Channel.BACKOFFICE
    ids = sorted(set(session_ids))
    household_ids = sorted({b.child.household_id for b in closure_cancelled(ids)})
    result = Reopening()
    with transaction.atomic():
        households = {h.pk: h for h in locked(Household.objects.filter(pk__in=household_ids))}
        closed = [s for s in locked(Session.objects.filter(pk__in=ids)) if not s.is_open]
        if not closed:
            return result
        closed_ids = [s.pk for s in closed]
        capacity = {s.pk: s.capacity for s in closed}
        taken = taken_places(closed_ids, now=now)
        days: dict[int, list[ReopenedDay]] = defaultdict(list)
        bookings = closure_cancelled(closed_ids)
        amounts = _closure_credits([b.pk for b in bookings])
        for booking in bookings:
            if booking.child.household_id in households:  # else: appeared since, left
                days[booking.child.household_id].append(
                    ReopenedDay(booking.session, booking, amounts.get(booking.pk, 0))
                )
        for household_id in sorted(days):
            household = households[household_id]
            available = credits.available_cents(household)
            for day in days[household_id]:
                if taken.get(day.session.pk, 0) >= capacity[day.session.pk]:
                    day.kept_because = KEPT_FULL
                elif day.credit_cents > available:
                    day.kept_because = KEPT_CREDIT_USED
                else:
                    _restore(household, day, actor=actor, channel=channel, now=now)
                    available -= day.credit_cents
                    taken[day.session.pk] = taken.get(day.session.pk, 0) + 1
        result.households = dict(days)
        result.sessions = calendar.reopen_sessions(closed, actor=actor)
    return result


def _restore(
    household: Household,
    day: ReopenedDay,
    *,
    actor: User | None,
    channel: str,
    now: datetime.datetime,
) -> None:
    """The day stands again: a new reserved booking, the closure credit taken back."""
    old = day.cancelled
    day.restored = Booking.objects.create(
        child=old.child,
        session=old.session,
        status=BookingStatus.RESERVED,
        price_cents=old.price_cents,
        late=old.late,
        invoiced=old.invoiced,
    )
    if day.credit_cents:
        credits.add_credit(
            household,
            -day.credit_cents,
            kind=CreditKind.CLOSURE_REVERSED,
            reason=old.session.closed_reason,
            actor=actor,
            booking=old,
            at=now,
        )
    history.record(
        child=old.child_id,
        session=old.session_id,
        action=HistoryAction.ADD_RESERVATION,
        actor=actor,
        channel=channel,
        price_cents=old.price_cents,
        detail=HistoryDetail.BOOKED_INVOICED if old.invoiced else "",
        at=now,
    )
