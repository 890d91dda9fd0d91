"""The waiting list: a child waits for a place on a full day; a freed place is offered.

- join(): only on a day full for this child (else WaitingRefused "not_full"), for an
  enrolled child of the household on a day it could otherwise book (the same judgement as
  a booking: judging.judge refusing with rules.FULL and nothing else).
- The rank is the entry's place among the entries still waiting on the session, in
  `position` order (staff may move an entry: waiting_staff.py).
- While entries wait on a session, a booking by anyone else is refused as full
  (rules.judge_add counts the entries ahead of the child: occupancy.places_and_queues): a
  newcomer never overtakes a waiting family.
- offer_freed_places(): the free places (capacity - places taken, offers included, as
  occupancy counts them) go to the first entries waiting: each gets a reservation request
  in its household's open basket (or a new one), held until offer_expires_at
  (PORTAIL_WAITING_OFFER_HOURS, shortened to end before the day's booking deadline, or
  before the day starts when late bookings are accepted). The family is e-mailed once the
  offer is committed. Paying the basket accepts it (billing.settlement calls settled());
  removing the line, or dropping the basket, declines it; unanswered, it expires
  (expire_offers(), run by `portail expire_baskets`) and passes to the next.
- Locks: the caller of offer_freed_places() holds the sessions' row locks (the capacity
  lock of every submission), so never more places are held than exist and one place is
  never offered twice. The household of the family offered is locked too, but out of the
  usual order (households before sessions): it is only tried (core.locking.try_locked);
  when another transaction holds it, offering stops there for that session (nobody behind
  is served first) and catch_up() after commit, or sweep() from the command, offers it.
"""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from portail.accounts.models import User
from portail.activities import deadlines
from portail.activities.models import BillingMode, LatePolicy, Session
from portail.core.locking import locked, try_locked
from portail.families.models import Household
from portail.reservations import history, rules
from portail.reservations.holds import check_actor, current_open, lock_household, new_basket
from portail.reservations.judging import Change, Judgement, judge
from portail.reservations.models import (
    Basket,
    BasketLine,
    BasketStatus,
    Booking,
    BookingStatus,
    Channel,
    HistoryAction,
    HistoryDetail,
    LineKind,
)
from portail.reservations.occupancy import places_and_queues, taken_places
from portail.reservations.waiting_mail import notify_offers
from portail.reservations.waiting_models import (
    ACTIVE_WAITING_STATUSES,
    WaitingEvent,
    WaitingListEntry,
    WaitingStatus,
)

NOT_FULL = "not_full"
ALREADY_WAITING = "already_waiting"
NOT_FOUND = "not_found"
NOT_ACTIVE = "not_active"
# A refusal of the first entry that concerns the whole day: nobody can be offered it now.
_DAY_REFUSALS = {
    rules.FULL,
    rules.CLOSED,
    rules.DEADLINE_PASSED,
    rules.NO_BOOKING_REQUIRED,
    rules.NO_PRICE,
}


class WaitingRefused(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


# --- Reading the list -----------------------------------------------------------------------


def waiting_entries(session_id: int) -> list[WaitingListEntry]:
    """The entries still waiting on a session, in rank order."""
    return list(
        WaitingListEntry.objects.filter(session_id=session_id, status=WaitingStatus.WAITING)
        .select_related("household", "child")
        .order_by("position", "pk")
    )


def ranked_entries(session_id: int) -> list[WaitingListEntry]:
    """The session's active entries (waiting or offered) in the list's order, each with
    `.rank`: 1 for the first entry waiting, None for an entry whose place is offered (the
    staff's page of the list). One query."""
    entries = list(
        WaitingListEntry.objects.filter(session_id=session_id, status__in=ACTIVE_WAITING_STATUSES)
        .select_related("household", "child")
        .order_by("position", "pk")
    )
    rank = 0
    for entry in entries:
        entry.rank = None
        if entry.status == WaitingStatus.WAITING:
            rank += 1
            entry.rank = rank
    return entries


def rank_of(entry: WaitingListEntry) -> int | None:
    """1 for the first entry waiting; None for an entry no longer waiting."""
    if entry.status != WaitingStatus.WAITING:
        return None
    ahead = WaitingListEntry.objects.filter(
        session_id=entry.session_id, status=WaitingStatus.WAITING, position__lt=entry.position
    ).count()
    same = WaitingListEntry.objects.filter(
        session_id=entry.session_id,
        status=WaitingStatus.WAITING,
        position=entry.position,
        pk__lt=entry.pk,
    ).count()
    return ahead + same + 1


def _event(
    entry: WaitingListEntry,
    kind: str,
    *,
    actor: User | None,
    at: datetime.datetime,
    reason: str = "",
    from_rank: int | None = None,
    to_rank: int | None = None,
) -> None:
    WaitingEvent.objects.create(
        entry=entry,
        kind=kind,
        actor=actor,
        actor_label=actor.email if actor is not None else "",
        reason=reason[:500],
        from_rank=from_rank,
        to_rank=to_rank,
        created_at=at,
    )


# --- A family joins or leaves ---------------------------------------------------------------


def join(
    household: Household,
    *,
    child_id: int,
    session_id: int,
    actor: User,
    channel: str,
    now: datetime.datetime | None = None,
) -> WaitingListEntry:
    """Put the child on the session's waiting list; returns the entry (`.rank` set).

    Raises WaitingRefused: "not_full" when a place is free for this child (book it),
    "already_waiting", or the booking's own refusal (unknown, not_enrolled, closed,
    deadline_passed, already_reserved...). PermissionDenied for another household."""
    now = now or timezone.now()
    check_actor(household, actor)
    with transaction.atomic():
        lock_household(household)
        basket = current_open(household, now)
        judgement = judge(
            household,
            basket,
            [Change(child_id, session_id)],
            [],
            now=now,
            bypass_deadlines=False,
            lock=True,
            staff=actor.is_staff,
        )
        if judgement.accepted:
            raise WaitingRefused(NOT_FULL, _("A place is free on this day: book it."))
        refusal = judgement.refusals[0]
        if refusal.code != rules.FULL:
            raise WaitingRefused(refusal.code, refusal.reason)
        if WaitingListEntry.objects.filter(
            child_id=child_id, session_id=session_id, status__in=ACTIVE_WAITING_STATUSES
        ).exists():
            raise WaitingRefused(ALREADY_WAITING, _("Already on the waiting list for this day."))
        last = WaitingListEntry.objects.filter(session_id=session_id).aggregate(m=Max("position"))
        entry = WaitingListEntry.objects.create(
            child_id=child_id,
            session_id=session_id,
            household=household,
            position=(last["m"] or 0) + 1,
            created_at=now,
        )
        _event(entry, "joined", actor=actor, at=now, reason=channel)
    entry.rank = rank_of(entry)
    return entry


def leave(
    household: Household,
    entry_id: int,
    *,
    actor: User,
    channel: str,
    now: datetime.datetime | None = None,
) -> WaitingListEntry:
    """Leave the list (an entry waiting), or decline the place offered (an entry offered:
    its request leaves the basket and the place goes to the next). WaitingRefused
    "not_found" (not this household's), "not_active" (accepted, expired...)."""
    now = now or timezone.now()
    check_actor(household, actor)
    with transaction.atomic():
        lock_household(household)
        entry = WaitingListEntry.objects.filter(pk=entry_id, household=household).first()
        if entry is None:
            raise WaitingRefused(NOT_FOUND, _("No such waiting-list entry."))
        locked(Session.objects.filter(pk=entry.session_id))
        entry.refresh_from_db()
        if entry.status == WaitingStatus.WAITING:
            entry.status = WaitingStatus.WITHDRAWN
            entry.save(update_fields=["status", "updated_at"])
            _event(entry, "left", actor=actor, at=now, reason=channel)
            return entry
        if entry.status != WaitingStatus.OFFERED:
            raise WaitingRefused(NOT_ACTIVE, _("This waiting-list entry is closed."))
        booking = entry.booking
        paying = booking is not None and booking.status == BookingStatus.REQUESTED
        if paying and booking.basket is not None and booking.basket.status != BasketStatus.OPEN:
            raise WaitingRefused(NOT_ACTIVE, _("Payment in progress."))  # being paid
        withdraw_offer(entry, status=WaitingStatus.DECLINED, actor=actor, channel=channel, now=now)
        offer_freed_places([entry.session_id], now=now)
    return entry


def withdraw_offer(
    entry: WaitingListEntry,
    *,
    status: str,
    actor: User | None,
    channel: str,
    now: datetime.datetime,
) -> None:
    """The offered request leaves its basket (declined or expired); the caller holds the
    household's and the session's locks and offers the place again."""
    booking = entry.booking
    if booking is not None and booking.status == BookingStatus.REQUESTED:
        basket = booking.basket
        BasketLine.objects.filter(booking=booking, kind=LineKind.RESERVATION).delete()
        booking.status = BookingStatus.RELEASED
        booking.save(update_fields=["status", "updated_at"])
        history.record(
            child=entry.child_id,
            session=entry.session_id,
            action=HistoryAction.REMOVE_RESERVATION,
            actor=actor,
            channel=channel,
            price_cents=booking.price_cents,
            detail=(
                HistoryDetail.OFFER_DECLINED
                if status == WaitingStatus.DECLINED
                else HistoryDetail.OFFER_EXPIRED
            ),
            at=now,
        )
        if basket is not None and basket.status == BasketStatus.OPEN and not basket.lines.exists():
            basket.status = BasketStatus.ABANDONED
            basket.save(update_fields=["status", "updated_at"])
    entry.status = status
    entry.save(update_fields=["status", "updated_at"])
    _event(entry, status, actor=actor, at=now)


# --- Offering freed places ------------------------------------------------------------------


def offer_end(session: Session, now: datetime.datetime) -> datetime.datetime | None:
    """Until when a place offered now is held: PORTAIL_WAITING_OFFER_HOURS, cut at the
    booking deadline (at the day's start when late bookings are accepted); None when the
    day can no longer be booked."""
    activity = session.activity
    start = deadlines.session_start(activity, session.date)
    closes = min(deadlines.booking_deadline(activity, session.date), start)
    if now >= closes:
        if activity.late_policy != LatePolicy.SURCHARGE:
            return None
        closes = start
    if now >= closes:
        return None
    return min(now + datetime.timedelta(hours=settings.PORTAIL_WAITING_OFFER_HOURS), closes)


def offer_freed_places(
    session_ids: Iterable[int], *, now: datetime.datetime | None = None
) -> list[WaitingListEntry]:
    """Offer the free places of these sessions to their first waiting entries.

    The caller holds the sessions' row locks in an open transaction. Returns the entries
    offered (their e-mails go once the transaction commits)."""
    now = now or timezone.now()
    ids = sorted(set(session_ids))
    if not ids:
        return []
    made: list[WaitingListEntry] = []
    sessions = Session.objects.filter(pk__in=ids).select_related("activity__site__organisation")
    sessions = list(sessions.order_by("pk"))
    # One read for every session: only a day with a free place and someone waiting goes on
    # (a basket dropped with 20 days reads 2 statements here, not 2 per day).
    taken, queues = places_and_queues(ids, now=now)
    for session in sessions:
        if queues.get(session.pk) and _free_places(session, taken) > 0:
            made += _offer_session(session, now)
    if made:
        transaction.on_commit(lambda: notify_offers([e.pk for e in made]))
    return made


def _free_places(session: Session, taken: dict[int, int]) -> int:
    """The session's places left, from the places taken by session (occupancy)."""
    return session.capacity - taken.get(session.pk, 0)


def _offer_session(session: Session, now: datetime.datetime) -> list[WaitingListEntry]:
    ends = offer_end(session, now)
    made: list[WaitingListEntry] = []
    if ends is None or not session.is_open:
        return made
    while _free_places(session, taken_places([session.pk], now=now)) > 0:
        entries = waiting_entries(session.pk)
        if not entries:
            break
        entry = entries[0]
        if not try_locked(Household.objects.filter(pk=entry.household_id)):
            break  # busy: offered after commit or by the sweep, never skipped
        basket = current_open(entry.household, now)
        judgement = judge(
            entry.household,
            basket,
            [Change(entry.child_id, session.pk)],
            [],
            now=now,
            bypass_deadlines=False,
            lock=False,
            staff=False,
        )
        if judgement.accepted:
            _write_offer(entry, judgement.accepted[0].outcome, basket, session, ends, now)
            made.append(entry)
            continue
        refusal = judgement.refusals[0]
        if refusal.code in _DAY_REFUSALS:
            break
        # This child can no longer be booked here (no longer enrolled, booked meanwhile...).
        entry.status = WaitingStatus.WITHDRAWN
        entry.save(update_fields=["status", "updated_at"])
        _event(entry, "not_eligible", actor=None, at=now, reason=refusal.reason)
    return made


def _write_offer(
    entry: WaitingListEntry,
    outcome: rules.Outcome,
    basket: Basket | None,
    session: Session,
    ends: datetime.datetime,
    now: datetime.datetime,
) -> None:
    """The offer: a reservation request in the household's open basket, held until `ends`
    (the basket then holds no longer than that)."""
    if basket is None:
        basket = new_basket(entry.household, now, expires_at=ends)
    else:
        basket.expires_at = min(basket.expires_at, ends)
        basket.save(update_fields=["expires_at", "updated_at"])
    booking = Booking.objects.create(
        child_id=entry.child_id,
        session_id=session.pk,
        status=BookingStatus.REQUESTED,
        price_cents=outcome.price_cents,
        late=outcome.late,
        invoiced=session.activity.billing_mode == BillingMode.ON_BOOKING,
        basket=basket,
    )
    BasketLine.objects.create(
        basket=basket,
        kind=LineKind.RESERVATION,
        child_id=entry.child_id,
        session=session,
        booking=booking,
        quantity=1,
        unit_price_cents=outcome.price_cents,
        late=outcome.late,
    )
    history.record(
        child=entry.child_id,
        session=session.pk,
        action=HistoryAction.ADD_RESERVATION,
        actor=None,
        channel=Channel.SYSTEM,
        price_cents=outcome.price_cents,
        detail=HistoryDetail.WAITING_OFFER,
        at=now,
    )
    entry.status = WaitingStatus.OFFERED
    entry.offered_at = now
    entry.offer_expires_at = ends
    entry.booking = booking
    entry.save(update_fields=["status", "offered_at", "offer_expires_at", "booking", "updated_at"])
    _event(entry, "offered", actor=None, at=now)


def places_freed(session_ids: Iterable[int], *, now: datetime.datetime, at_once: bool) -> None:
    """Places were freed on these sessions (holds.py). `at_once`: the caller holds no
    session lock yet (households first): lock them and offer now; else offer after
    commit."""
    ids = sorted(set(session_ids))
    if not ids:
        return
    if at_once:
        locked(Session.objects.filter(pk__in=ids))
        offer_freed_places(ids, now=now)
    else:
        transaction.on_commit(lambda: catch_up(ids))


def catch_up(session_ids: Iterable[int], *, now: datetime.datetime | None = None) -> int:
    """Offer the free places of these sessions, each in its own transaction; how many."""
    count = 0
    for session_id in sorted(set(session_ids)):
        with transaction.atomic():
            locked(Session.objects.filter(pk=session_id))
            count += len(offer_freed_places([session_id], now=now or timezone.now()))
    return count


def sweep(*, now: datetime.datetime | None = None) -> int:
    """Offer every free place a waiting entry is waiting for (after a lost hook, or a
    household busy at the time); run by `portail expire_baskets`."""
    now = now or timezone.now()
    ids = (
        WaitingListEntry.objects.filter(
            status=WaitingStatus.WAITING, session__date__gte=timezone.localdate(now)
        )
        .order_by()
        .values_list("session_id", flat=True)
        .distinct()
    )
    return catch_up(list(ids), now=now)


def requests_withdrawn(judgement: Judgement, *, now: datetime.datetime) -> None:
    """basket.py wrote these changes (sessions locked): the requests withdrawn free their
    places (an offer withdrawn is declined), offered to the waiting list."""
    withdrawn = [a for a in judgement.accepted if a.outcome.op == rules.WITHDRAW_REQUEST]
    if not withdrawn:
        return
    for open_day in (True, False):
        bookings = [
            judgement.bookings[(a.child.pk, a.session.pk)].pk
            for a in withdrawn
            if a.session.is_open == open_day
        ]
        offers = WaitingListEntry.objects.filter(
            booking_id__in=bookings, status=WaitingStatus.OFFERED
        )
        if open_day:
            offers.update(status=WaitingStatus.DECLINED, updated_at=now)
        else:  # a day closed by the service: the family keeps its place in the list
            offers.update(status=WaitingStatus.WAITING, booking=None, updated_at=now)
    offer_freed_places({a.session.pk for a in withdrawn}, now=now)
