"""Submitting changes: the basket, capacity holds under lock, expiry.

Rules (all here, whatever the channel: web, API, typical week, back office):
- only the household's own children, enrolled in the activity on that day, on an open
  session of an activity that needs a booking;
- booking and cancellation deadlines per activity (activities/deadlines.py); past the
  booking deadline the activity's late policy refuses, or accepts at the late price;
  staff may bypass deadlines (bypass_deadlines=True);
- capacity: occupancy.py counts the places taken; the check and the hold happen in one
  transaction holding the lock on the sessions' rows, so two households never both take
  the last place;
- a submission is all or nothing: any refused change rejects the whole submission with
  one Refusal per refused block, and nothing changes. Only the typical week
  (typical_week.py) uses submit_available(), which skips the refused days instead and
  writes the others, under the same rules and lock; judge_changes() previews either.

Hold time: every submission sets the basket's expires_at to now + the SHORTEST hold time
among the activities of the lines then in the basket (Activity.hold_minutes, else
settings.PORTAIL_BASKET_HOLD_MINUTES). The whole basket is paid at once, so it expires at
once; the shortest hold wins because an activity asking for a short hold must not be
blocked longer by being in a basket with others. An expired basket stops holding its
places at once (occupancy ignores it); `portail expire_baskets` (run it every few minutes,
e.g. from cron or a systemd timer) then marks it expired and writes the history.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from portail.accounts.models import User
from portail.activities.models import Activity, Enrolment, Session
from portail.activities.pricing import PriceBook
from portail.billing import credits
from portail.billing.quote import line_facts, quote
from portail.core.locking import locked
from portail.families.guardians import guardian_of
from portail.families.models import Child, Household
from portail.reservations import history, rules
from portail.reservations.models import (
    ACTIVE_BOOKING_STATUSES,
    Attendance,
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
from portail.reservations.occupancy import taken_places


@dataclass(frozen=True)
class Change:
    child_id: int
    session_id: int


@dataclass(frozen=True)
class Refusal:
    child_id: int
    session_id: int
    code: str  # see rules.py: full, deadline_passed, not_enrolled, closed, ...
    message: str  # "Emy – Restauration Scolaire, 07/12/2026: No place left."
    reason: str = ""  # the same without the block: "No place left."


class ChangesRefused(Exception):
    """The whole submission was refused (nothing changed); one Refusal per refused block."""

    def __init__(self, refusals: list[Refusal]) -> None:
        super().__init__("; ".join(r.message for r in refusals))
        self.refusals = refusals


@dataclass(frozen=True)
class Accepted:
    """A change the rules accept: what it does (outcome.op) and at what price."""

    child: Child
    session: Session  # activity loaded
    outcome: rules.Outcome


@dataclass
class Judgement:
    """Every change judged: the accepted ones (in order) and the refused ones."""

    accepted: list[Accepted]
    refusals: list[Refusal]
    # What the writing needs: the active bookings and the open basket's lines, by key.
    bookings: dict[tuple[int, int], Booking] = field(default_factory=dict, repr=False)
    lines: dict[tuple[int, int], BasketLine] = field(default_factory=dict, repr=False)


def hold_minutes(activity: Activity) -> int:
    """How long an unpaid request for this activity holds its place."""
    return activity.hold_minutes or settings.PORTAIL_BASKET_HOLD_MINUTES


def _is_expired(basket: Basket, now: datetime.datetime) -> bool:
    return basket.expires_at is None or basket.expires_at <= now


def _check_actor(household: Household, actor: User) -> None:
    """Staff act for any household; a guardian only for their own."""
    if actor.is_staff:
        return
    guardian = guardian_of(actor)  # usually already found by the page or the API's auth
    if guardian is None or guardian.household_id != household.pk:
        raise PermissionDenied("This user does not act for this household")


def _lock_household(household: Household) -> None:
    """Serialises everything that changes this household's baskets (taken first, always)."""
    locked(Household.objects.filter(pk=household.pk))


# For the checkout and payments (portail.billing), which change baskets under the same rules.
check_actor = _check_actor
lock_household = _lock_household


def _release(
    basket: Basket,
    *,
    status: str,
    actor: User | None,
    channel: str,
    detail: str,
    at: datetime.datetime,
) -> None:
    """Close `basket` unpaid: its requests free their places, its cancellations are dropped.

    A few statements whatever the number of lines (a typical week fills a school year)."""
    lines = list(basket.lines.all())
    requested = [line.booking_id for line in lines if line.kind == LineKind.RESERVATION]
    if requested:
        Booking.objects.filter(pk__in=requested, status=BookingStatus.REQUESTED).update(
            status=BookingStatus.RELEASED, updated_at=timezone.now()
        )
    entries = []
    for line in lines:
        if line.kind == LineKind.RESERVATION:
            action = HistoryAction.REMOVE_RESERVATION
            why = detail
        else:
            action = HistoryAction.ADD_RESERVATION
            why = HistoryDetail.CANCELLATION_WITHDRAWN
        entries.append(
            history.entry_for(
                child=line.child_id,
                session=line.session_id,
                action=action,
                actor=actor,
                channel=channel,
                price_cents=line.unit_price_cents,
                detail=why,
                at=at,
            )
        )
    history.record_many(entries)
    basket.status = status
    basket.save(update_fields=["status", "updated_at"])


def _expire(basket: Basket, now: datetime.datetime) -> None:
    """Mark an open basket past its expiry as expired; the history says when the hold ended."""
    at = min(basket.expires_at, now) if basket.expires_at else now
    _release(
        basket,
        status=BasketStatus.EXPIRED,
        actor=None,
        channel=Channel.SYSTEM,
        detail=HistoryDetail.BASKET_EXPIRED,
        at=at,
    )


def _current_open(household: Household, now: datetime.datetime) -> Basket | None:
    """The household's open basket (household row locked), expiring it first if past."""
    basket = Basket.objects.filter(household=household, status=BasketStatus.OPEN).first()
    if basket is not None and _is_expired(basket, now):
        _expire(basket, now)
        return None
    return basket


current_open = _current_open


def _new_basket(household: Household, now: datetime.datetime) -> Basket:
    # The reference comes from the primary key, known only once the row exists.
    basket = Basket.objects.create(
        household=household,
        reference=f"NEW{household.pk}X{timezone.now().timestamp():.0f}",
        status=BasketStatus.OPEN,
        expires_at=now,
        submitted_at=now,
    )
    # Saved with the hold by _after_change(), which every submission ends with.
    basket.reference = Basket.make_reference(timezone.localtime(now).year, basket.pk)
    return basket


def _label(child: Child, session: Session) -> str:
    return _("%(child)s – %(activity)s, %(date)s") % {
        "child": child.first_name,
        "activity": session.activity.name,
        "date": formats.date_format(session.date, "SHORT_DATE_FORMAT"),
    }


def submit_changes(
    household: Household,
    *,
    add: Iterable[Change],
    cancel: Iterable[Change],
    actor: User,
    channel: str,
    now: datetime.datetime | None = None,
    bypass_deadlines: bool = False,
) -> Basket:
    """Apply the parent's changes to the household's open basket (created if needed).

    `add`: book these days (or, for a day whose cancellation is in the basket, withdraw that
    cancellation). `cancel`: withdraw these unpaid requests from the basket, or ask the
    cancellation of these paid bookings (a -1 line at the price paid; the day shows
    "cancel_requested" until the basket is validated). Withdrawals free their place at once.

    All or nothing: raises ChangesRefused (nothing changed) if any change is refused, with
    the refusals of the cancellations first, then of the additions, each in the order given.
    Raises ValueError when both lists are empty; PermissionDenied when `actor` is neither
    staff nor a guardian of `household`, or asks to bypass deadlines without being staff.
    Returns the basket; its status is `abandoned` when the submission left it empty.
    `bypass_deadlines` (staff only): no deadline applies, and no late price either.
    """
    basket, _judgement = _submit(
        household,
        list(add),
        list(cancel),
        actor=actor,
        channel=channel,
        now=now or timezone.now(),
        bypass_deadlines=bypass_deadlines,
        all_or_nothing=True,
    )
    assert basket is not None  # all or nothing: at least one change was written
    return basket


def submit_available(
    household: Household,
    *,
    add: Iterable[Change],
    cancel: Iterable[Change],
    actor: User,
    channel: str,
    now: datetime.datetime | None = None,
    bypass_deadlines: bool = False,
) -> tuple[Basket | None, Judgement]:
    """Like submit_changes(), but a refused change is skipped instead of refusing the rest.

    For the typical week: a school year of days where one full day must not stop the
    others. Same rules, same lock, same writing. Returns the basket (None when nothing
    was accepted: no basket is opened for nothing) and the judgement: what was written
    (`accepted`) and what was skipped (`refusals`)."""
    return _submit(
        household,
        list(add),
        list(cancel),
        actor=actor,
        channel=channel,
        now=now or timezone.now(),
        bypass_deadlines=bypass_deadlines,
        all_or_nothing=False,
    )


def judge_changes(
    household: Household,
    *,
    add: Iterable[Change],
    cancel: Iterable[Change],
    actor: User,
    now: datetime.datetime | None = None,
    bypass_deadlines: bool = False,
) -> Judgement:
    """What submit_available() would accept and refuse now, without locking or writing.

    A preview, hence advisory: the places left may change before the submission, which
    judges everything again under the lock. A fixed number of queries."""
    now = now or timezone.now()
    adds, cancels = list(add), list(cancel)
    _check_submitter(household, actor, bypass_deadlines)
    basket = Basket.objects.filter(
        household=household, status=BasketStatus.OPEN, expires_at__gt=now
    ).first()
    return _judge(
        household, basket, adds, cancels, now=now, bypass_deadlines=bypass_deadlines, lock=False
    )


def _check_submitter(household: Household, actor: User, bypass_deadlines: bool) -> None:
    _check_actor(household, actor)
    if bypass_deadlines and not actor.is_staff:
        raise PermissionDenied("Only staff may bypass deadlines")


def _submit(
    household: Household,
    adds: list[Change],
    cancels: list[Change],
    *,
    actor: User,
    channel: str,
    now: datetime.datetime,
    bypass_deadlines: bool,
    all_or_nothing: bool,
) -> tuple[Basket | None, Judgement]:
    if not adds and not cancels:
        raise ValueError("submit_changes() needs at least one change")
    _check_submitter(household, actor, bypass_deadlines)
    with transaction.atomic():
        _lock_household(household)
        basket = _current_open(household, now)
        judgement = _judge(
            household, basket, adds, cancels, now=now, bypass_deadlines=bypass_deadlines, lock=True
        )
        if judgement.refusals and all_or_nothing:
            raise ChangesRefused(judgement.refusals)
        if not judgement.accepted:
            return basket, judgement
        # A new basket's lines are exactly the accepted changes: their activities are
        # known, and _after_change() needs no query to find the shortest hold.
        activities = None
        if basket is None:
            basket = _new_basket(household, now)
            activities = {
                a.session.activity_id: a.session.activity
                for a in judgement.accepted
                if a.outcome.op in (rules.NEW_REQUEST, rules.REQUEST_CANCELLATION)
            }
        _write(basket, judgement, actor, channel, now)
        _after_change(basket, now, activities=activities)
    return basket, judgement


def _judge(
    household: Household,
    basket: Basket | None,
    adds: list[Change],
    cancels: list[Change],
    *,
    now: datetime.datetime,
    bypass_deadlines: bool,
    lock: bool,
) -> Judgement:
    """Judge every change with rules.py, from rows loaded in a fixed number of queries.

    `lock`: take the capacity lock, the sessions' rows in primary-key order
    (core/locking.py); the caller holds the household's lock and an open transaction."""
    # Every query here is unordered (.order_by()): the models' default orderings would
    # join sessions, children and activities for nothing.
    wanted = adds + cancels
    children = {
        c.pk: c
        for c in Child.objects.filter(
            household=household, pk__in={ch.child_id for ch in wanted}
        ).order_by()
    }
    # The activity comes in the same query; only the sessions' rows are locked.
    session_rows = Session.objects.filter(pk__in={ch.session_id for ch in wanted}).select_related(
        "activity"
    )
    sessions = {s.pk: s for s in (locked(session_rows) if lock else session_rows.order_by())}
    activities = {s.activity_id: s.activity for s in sessions.values()}
    bookings = {
        (b.child_id, b.session_id): b
        for b in Booking.objects.filter(
            child_id__in=list(children),
            session_id__in=list(sessions),
            status__in=ACTIVE_BOOKING_STATUSES,
        )
        .select_related("basket")
        .order_by()
    }
    lines = {}
    if basket is not None:
        lines = {
            (line.child_id, line.session_id): line
            for line in basket.lines.filter(session_id__in=list(sessions)).order_by()
        }
    # Reserved bookings whose cancellation waits in a basket being paid: left alone
    # until that payment ends (else a day could be cancelled, and credited, twice).
    paying: set[int] = set()
    if bookings:
        paying = set(
            BasketLine.objects.filter(
                basket__household=household,
                basket__status=BasketStatus.AWAITING_PAYMENT,
                kind=LineKind.CANCELLATION,
                booking_id__in=[b.pk for b in bookings.values()],
            )
            .order_by()
            .values_list("booking_id", flat=True)
        )
    attendance = {
        (a.child_id, a.session_id): a
        for a in Attendance.objects.filter(
            child_id__in=list(children), session_id__in=list(sessions)
        ).order_by()
    }
    enrolments: dict[tuple[int, int], list[Enrolment]] = {}
    for e in Enrolment.objects.filter(
        child_id__in=list(children), activity_id__in=list(activities)
    ).order_by():
        enrolments.setdefault((e.child_id, e.activity_id), []).append(e)
    taken = taken_places(list(sessions), now=now)
    days = [s.date for s in sessions.values()]
    book = PriceBook.load(list(activities), min(days), max(days)) if days else None

    def price(activity_id: int, day: datetime.date, late: bool) -> int:
        return book.price(activity_id, day, household.qf_on(day), late=late)

    judgement = Judgement(accepted=[], refusals=[], bookings=bookings, lines=lines)

    def refuse(
        key: tuple[int, int], code: str, reason: str, child: Child, session: Session
    ) -> None:
        message = _("%(block)s: %(reason)s") % {"block": _label(child, session), "reason": reason}
        judgement.refusals.append(Refusal(*key, code, message, reason))

    seen: set[tuple[int, int]] = set()
    # Cancellations first, so that a place freed by a withdrawal can be taken by an add.
    ordered = [(ch, False) for ch in cancels] + [(ch, True) for ch in adds]
    for change, is_add in ordered:
        key = (change.child_id, change.session_id)
        child = children.get(change.child_id)
        session = sessions.get(change.session_id)
        if child is None or session is None:
            unknown = _("Unknown child or day for this household.")
            judgement.refusals.append(Refusal(*key, rules.UNKNOWN, unknown, unknown))
            continue
        if key in seen:
            twice = _("%(block)s: asked more than once.") % {"block": _label(child, session)}
            judgement.refusals.append(Refusal(*key, rules.DUPLICATE, twice, twice))
            continue
        seen.add(key)
        booking = bookings.get(key)
        line = lines.get(key)
        if booking is not None and booking.pk in paying:
            refuse(key, rules.LOCKED, _("Payment in progress."), child, session)
            continue
        situation = rules.Situation(
            session=session,
            enrolled=any(
                e.covers(session.date) for e in enrolments.get((child.pk, session.activity_id), ())
            ),
            attendance=attendance.get(key),
            booking=booking,
            cancel_pending=(
                booking is not None
                and line is not None
                and line.kind == LineKind.CANCELLATION
                and line.booking_id == booking.pk
            ),
            taken=taken.get(session.pk, 0),
        )
        if is_add:
            outcome = rules.judge_add(
                situation, now=now, price=price, bypass_deadlines=bypass_deadlines
            )
        else:
            outcome = rules.judge_cancel(situation, now=now, bypass_deadlines=bypass_deadlines)
        if not outcome.ok:
            refuse(key, outcome.code, outcome.reason, child, session)
            continue
        if outcome.op == rules.NEW_REQUEST:
            taken[session.pk] = taken.get(session.pk, 0) + 1
        elif outcome.op == rules.WITHDRAW_REQUEST:
            taken[session.pk] = taken.get(session.pk, 0) - 1
        judgement.accepted.append(Accepted(child, session, outcome))
    return judgement


def _write(
    basket: Basket,
    judgement: Judgement,
    actor: User,
    channel: str,
    now: datetime.datetime,
) -> None:
    """Write the accepted changes and their history, a few statements whatever their number
    (bulk inserts: a typical week writes a school year at once)."""
    new_bookings: list[Booking] = []
    new_lines: list[BasketLine] = []
    released: list[int] = []
    dropped: list[int] = []
    entries = []
    for accepted in judgement.accepted:
        outcome, child, session = accepted.outcome, accepted.child, accepted.session
        key = (child.pk, session.pk)
        if outcome.op == rules.NEW_REQUEST:
            booking = Booking(
                child_id=child.pk,
                session_id=session.pk,
                status=BookingStatus.REQUESTED,
                price_cents=outcome.price_cents,
                late=outcome.late,
                basket_id=basket.pk,
            )
            new_bookings.append(booking)
            new_lines.append(
                BasketLine(
                    basket_id=basket.pk,
                    kind=LineKind.RESERVATION,
                    child_id=child.pk,
                    session_id=session.pk,
                    booking=booking,  # its id is known once the bookings are inserted
                    quantity=1,
                    unit_price_cents=outcome.price_cents,
                    late=outcome.late,
                )
            )
            action, detail = HistoryAction.ADD_RESERVATION, HistoryDetail.REQUESTED
        elif outcome.op == rules.WITHDRAW_REQUEST:
            released.append(judgement.bookings[key].pk)
            action, detail = HistoryAction.REMOVE_RESERVATION, HistoryDetail.WITHDRAWN
        elif outcome.op == rules.REQUEST_CANCELLATION:
            booking = judgement.bookings[key]
            new_lines.append(
                BasketLine(
                    basket_id=basket.pk,
                    kind=LineKind.CANCELLATION,
                    child_id=child.pk,
                    session_id=session.pk,
                    booking_id=booking.pk,
                    quantity=-1,
                    unit_price_cents=booking.price_cents,
                    late=booking.late,
                )
            )
            action, detail = HistoryAction.REMOVE_RESERVATION, HistoryDetail.CANCELLATION_REQUESTED
        elif outcome.op == rules.WITHDRAW_CANCELLATION:
            dropped.append(judgement.lines[key].pk)
            action, detail = HistoryAction.ADD_RESERVATION, HistoryDetail.CANCELLATION_WITHDRAWN
        else:  # pragma: no cover - rules only return the four operations above
            raise AssertionError(outcome.op)
        entries.append(
            history.entry_for(
                child=child.pk,
                session=session.pk,
                action=action,
                actor=actor,
                channel=channel,
                price_cents=outcome.price_cents,
                detail=detail,
                at=now,
            )
        )
    if released:
        Booking.objects.filter(pk__in=released).update(
            status=BookingStatus.RELEASED, updated_at=timezone.now()
        )
        BasketLine.objects.filter(basket=basket, booking_id__in=released).delete()
    if dropped:
        BasketLine.objects.filter(pk__in=dropped).delete()
    Booking.objects.bulk_create(new_bookings)
    BasketLine.objects.bulk_create(new_lines)
    history.record_many(entries)


def _after_change(
    basket: Basket, now: datetime.datetime, *, activities: dict[int, Activity] | None = None
) -> None:
    """Restart the hold from this submission: now + the shortest hold among the lines.

    `activities`: the activities of all the basket's lines when the caller knows them
    (else read here)."""
    if activities is None:
        activities = {
            a.pk: a
            for a in Activity.objects.filter(
                pk__in=basket.lines.values("session__activity_id")
            ).order_by()
        }
    holds = [hold_minutes(activity) for activity in activities.values()]
    if not holds:
        basket.status = BasketStatus.ABANDONED
        basket.save(update_fields=["status", "reference", "updated_at"])
        return
    basket.expires_at = now + datetime.timedelta(minutes=min(holds))
    basket.submitted_at = now
    basket.save(update_fields=["expires_at", "submitted_at", "reference", "updated_at"])


def open_basket(household: Household, *, now: datetime.datetime | None = None) -> Basket | None:
    """The household's open basket, or None. A basket found past its expiry is marked
    expired on the spot (history written), as `portail expire_baskets` would."""
    now = now or timezone.now()
    basket = Basket.objects.filter(household=household, status=BasketStatus.OPEN).first()
    if basket is None or not _is_expired(basket, now):
        return basket
    with transaction.atomic():
        _lock_household(household)
        _current_open(household, now)
    return None


def drop_basket(
    household: Household,
    *,
    actor: User,
    channel: str,
    now: datetime.datetime | None = None,
) -> bool:
    """ANNULER: drop the open basket. Its requests free their places, its cancellations are
    withdrawn (the bookings stand). False when there was no open basket (or it had expired)."""
    now = now or timezone.now()
    _check_actor(household, actor)
    with transaction.atomic():
        _lock_household(household)
        basket = _current_open(household, now)
        if basket is None:
            return False
        _release(
            basket,
            status=BasketStatus.ABANDONED,
            actor=actor,
            channel=channel,
            detail=HistoryDetail.BASKET_DROPPED,
            at=now,
        )
    return True


def reopen_basket(basket: Basket, *, now: datetime.datetime) -> Basket:
    """A basket whose payment did not happen (refused, abandoned, PayFiP down...) opens
    again with a new hold, so that the parent can try again; its places stayed held while
    it awaited payment. If the household opened another basket meanwhile, this one's lines
    join it (one open basket per household) and this one is closed as abandoned. Returns
    the open basket now holding the lines (abandoned if there were none).

    For portail.billing; the caller holds the household's row lock (lock_household)."""
    if basket.status != BasketStatus.AWAITING_PAYMENT:
        raise ValueError(f"Only a basket awaiting payment can reopen, not {basket.status}")
    other = _current_open(basket.household, now)
    if other is None:
        basket.status = BasketStatus.OPEN
        basket.save(update_fields=["status", "updated_at"])
        _after_change(basket, now)
        return basket
    present = set(other.lines.values_list("child_id", "session_id"))
    for line in basket.lines.all():
        if (line.child_id, line.session_id) in present:
            line.delete()  # the same cancellation, asked again in the other basket
        else:
            line.basket = other
            line.save(update_fields=["basket"])
    Booking.objects.filter(basket=basket, status=BookingStatus.REQUESTED).update(
        basket=other, updated_at=timezone.now()
    )
    basket.status = BasketStatus.ABANDONED
    basket.save(update_fields=["status", "updated_at"])
    _after_change(other, now)
    return other


def expire_baskets(*, now: datetime.datetime | None = None) -> int:
    """Mark every open basket past its expiry as expired; returns how many.

    Occupancy already ignores them: this only tidies the statuses and writes the history
    ("Suppression : RESERVATION" by the portal). Run `portail expire_baskets` every few
    minutes."""
    now = now or timezone.now()
    due = list(
        Basket.objects.filter(status=BasketStatus.OPEN)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__lte=now))
        .values_list("pk", "household_id")
    )
    count = 0
    for pk, household_id in due:
        with transaction.atomic():
            locked(Household.objects.filter(pk=household_id))
            basket = Basket.objects.filter(pk=pk, status=BasketStatus.OPEN).first()
            if basket is not None and _is_expired(basket, now):
                _expire(basket, now)
                count += 1
    return count


@dataclass(frozen=True)
class SummaryLine:
    line: BasketLine
    kind: str  # "reservation" (PRE-RESERVATION, +1) | "cancellation" (ANNULATION, -1)
    child: Child
    activity: Activity
    date: datetime.date
    start: datetime.time
    end: datetime.time
    quantity: int
    unit_price_cents: int
    total_cents: int  # quantity × unit price: negative for a cancellation
    late: bool


@dataclass
class BasketSummary:
    basket: Basket
    lines: list[SummaryLine]
    reservations_total_cents: int  # what the requests cost ("Montant total de la réservation")
    cancellations_total_cents: int  # positive: the credit they give once validated
    credit_available_cents: int  # the household's credit before this basket
    # The part of that credit, plus this basket's cancellations, used for its requests.
    credit_applied_cents: int
    amount_due_cents: int  # reservations - credit applied (0: the button is OK, not PAYER)


def available_credit_cents(household: Household) -> int:
    """The household's credit (avoir) usable now: the ledger's balance minus what pending
    payments hold (portail.billing.credits)."""
    return credits.available_cents(household)


def summarize(basket: Basket) -> BasketSummary:
    """The basket page's content and totals (portail.billing.quote: the basket's own
    cancellations become credit when it is validated, and pay its own requests first)."""
    rows = list(
        line_facts(basket.lines.select_related("child", "session__activity")).order_by(
            "session__date", "session__activity__start_time", "child__first_name", "pk"
        )
    )
    lines = [
        SummaryLine(
            line=row,
            kind=row.kind,
            child=row.child,
            activity=row.session.activity,
            date=row.session.date,
            start=row.session.activity.start_time,
            end=row.session.activity.end_time,
            quantity=row.quantity,
            unit_price_cents=row.unit_price_cents,
            total_cents=row.total_cents,
            late=row.late,
        )
        for row in rows
    ]
    totals = quote(basket, rows)
    return BasketSummary(
        basket=basket,
        lines=lines,
        reservations_total_cents=totals.reservations_total_cents,
        cancellations_total_cents=totals.cancellations_total_cents,
        credit_available_cents=totals.credit_available_cents,
        credit_applied_cents=totals.credit_applied_cents,
        amount_due_cents=totals.amount_due_cents,
    )
