"""Submitting changes: the basket, capacity holds under lock, expiry.

Rules (all here, whatever the channel: web, API, typical week, back office):
- only the household's own children, enrolled in the activity on that day, on an open
  session of an activity that needs a booking;
- booking and cancellation deadlines per activity (activities/deadlines.py); past the
  booking deadline the activity's late policy refuses, or accepts at the late price;
  staff may bypass deadlines (bypass_deadlines=True);
- where the city requires it (Organisation.family_file_required_from), a family books a
  day of a school year only once its family file for that year is accepted; staff acting
  for the family are not held back (they see the file at the counter);
- capacity: occupancy.py counts the places taken; the check and the hold happen in one
  transaction holding the lock on the sessions' rows, so two households never both take
  the last place;
- a submission is all or nothing: any refused change rejects the whole submission with
  one Refusal per refused block, and nothing changes. Only the typical week
  (typical_week.py) uses submit_available(), which skips the refused days instead and
  writes the others, under the same rules and lock; judge_changes() previews either.

How each change is judged is judging.py's; how long a basket holds its places, and how it
is dropped, reopened or expired, is holds.py's: callers import those from there. What a
basket costs once the credit is applied is billing's (billing.quote).
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from portail.accounts.models import User
from portail.activities.models import BillingMode
from portail.core.queries import one_or_none
from portail.families.models import Household
from portail.reservations import history, rules, waiting, windows
from portail.reservations.holds import (
    check_actor,
    hold_end,
    new_basket,
    open_with_quotients,
    restart_hold,
)
from portail.reservations.judging import (
    Accepted,
    Change,
    ChangesRefused,
    Judgement,
    judge,
    lock_household_and_days,
)
from portail.reservations.models import (
    Basket,
    BasketLine,
    BasketStatus,
    Booking,
    BookingStatus,
    HistoryAction,
    HistoryDetail,
    LineKind,
)
from portail.reservations.summary import page_order


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
    basket = one_or_none(
        Basket.objects.filter(household=household, status=BasketStatus.OPEN, expires_at__gt=now)
    )
    return judge(
        household,
        basket,
        adds,
        cancels,
        now=now,
        bypass_deadlines=bypass_deadlines,
        lock=False,
        staff=actor.is_staff,
    )


def _check_submitter(household: Household, actor: User, bypass_deadlines: bool) -> None:
    check_actor(household, actor)
    if bypass_deadlines and not actor.is_staff:
        raise PermissionDenied("Only staff may bypass deadlines")


class _DrawDue(Exception):
    """The judgement found a day whose booking window's draw is due and not made yet."""


@dataclass(frozen=True)
class _Submission:
    """What _submit() was asked, for each try of its transaction."""

    household: Household
    adds: list[Change]
    cancels: list[Change]
    actor: User
    channel: str
    now: datetime.datetime
    bypass_deadlines: bool
    all_or_nothing: bool


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
    """Judge the changes under the household's lock and the sessions' locks, then write the
    accepted ones in the open basket (a new one if needed) and restart its hold.

    The first submission after a booking window's draw window runs its draw (draws.py),
    outside any transaction only: the draws due among the windows this process keeps in
    memory first, without a query; and when the judgement, which reads the windows under
    the current configuration stamp, finds a day whose draw is due all the same (a window
    changed by another process), nothing is written: the draw is run and the changes are
    judged again."""
    if not adds and not cancels:
        raise ValueError("submit_changes() needs at least one change")
    _check_submitter(household, actor, bypass_deadlines)
    asked = _Submission(
        household, adds, cancels, actor, channel, now, bypass_deadlines, all_or_nothing
    )
    draws_here = _run_due_draws(now, known_only=True)
    try:
        return _submit_locked(asked, draws_here=draws_here)
    except _DrawDue:
        _run_due_draws(now, known_only=False)
        return _submit_locked(asked, draws_here=False)


def _submit_locked(asked: _Submission, *, draws_here: bool) -> tuple[Basket | None, Judgement]:
    """_submit()'s transaction. `draws_here`: a day whose draw is due raises _DrawDue
    (before anything is written) for the caller to run the draw, instead of being refused."""
    household, now, actor, channel = asked.household, asked.now, asked.actor, asked.channel
    with transaction.atomic():
        locked_days = lock_household_and_days(household, asked.adds + asked.cancels)
        basket, credit = open_with_quotients(household, now)
        judgement = judge(
            household,
            basket,
            asked.adds,
            asked.cancels,
            now=now,
            bypass_deadlines=asked.bypass_deadlines,
            lock=True,
            staff=actor.is_staff,
            quotients_read=True,
            locked_days=locked_days,
        )
        if draws_here and any(r.code == windows.DRAW_IN_PROGRESS for r in judgement.refusals):
            raise _DrawDue
        if judgement.refusals and asked.all_or_nothing:
            raise ChangesRefused(judgement.refusals)
        # Requests collected for a booking window's draw are recorded, not served.
        collected = windows.record_draw_requests(
            household, judgement, actor=actor, channel=channel, now=now
        )
        if not judgement.accepted:
            if collected and basket is None and asked.all_or_nothing:
                basket = _nothing_held(household, now)
            _note_collected(basket, collected)
            return basket, judgement
        if basket is None:
            # Held from the start: its lines will be the accepted changes, none an offer.
            activities = [accepted.session.activity for accepted in judgement.accepted]
            basket = new_basket(household, now, expires_at=hold_end(now, activities))
            rows = _write(basket, judgement, actor, channel, now)
        else:
            rows = _write(basket, judgement, actor, channel, now)
            restart_hold(
                basket,
                now,
                activities={row.session.activity_id: row.session.activity for row in rows},
                offer_ends=[
                    row.offer_expires_at
                    for row in rows
                    if row.offer_expires_at is not None
                    and row.offer_expires_at > now
                    and row.booking_status == BookingStatus.REQUESTED
                ],
            )
        basket.rows_after_submission = rows  # type: ignore[attr-defined]
        basket.credit_read = credit  # type: ignore[attr-defined]
        _note_collected(basket, collected)
        waiting.requests_withdrawn(judgement, now=now)
    return basket, judgement


def _run_due_draws(now: datetime.datetime, *, known_only: bool) -> bool:
    """draws.settle_due(); False inside a transaction, where no draw may run (then a day
    whose draw is due is refused: "the draw is being made"). draws.py imports this module:
    imported here when needed."""
    from portail.reservations import draws  # noqa: PLC0415

    if transaction.get_connection().in_atomic_block:
        return False
    draws.settle_due(now, known_only=known_only)
    return True


def rows_after_submission(basket: Basket) -> list[BasketLine] | None:
    """The basket's lines right after submit_changes() wrote them, as
    summary.summary_rows() reads them (same order, same facts), built from what the
    judgement read and what was written: billing.quote.summarize(basket, rows) answers
    without reading the basket back. None when the submission wrote nothing."""
    rows = getattr(basket, "rows_after_submission", None)
    return None if rows is None else sorted(rows, key=page_order)


def credit_read_by_submission(basket: Basket) -> int | None:
    """The household's credit available as submit_changes() read it under the household's
    lock (with its open basket; a submission writes no credit), for the answer's totals
    (billing.quote.summarize(available=...)). None when the submission wrote nothing."""
    return getattr(basket, "credit_read", None)


def _nothing_held(household: Household, now: datetime.datetime) -> Basket:
    """The basket a submission returns when everything it asked was collected for a draw:
    empty and abandoned (it holds nothing), as when a submission leaves a basket empty."""
    basket = new_basket(household, now)
    basket.status = BasketStatus.ABANDONED
    basket.save(update_fields=["status", "updated_at"])
    return basket


def _note_collected(basket: Basket | None, collected: int) -> None:
    """Tell the page how many of the changes were collected for a draw (not served)."""
    if basket is not None:
        basket.collected_for_draw = collected  # type: ignore[attr-defined]


# --- Writing the accepted changes -----------------------------------------------------------


@dataclass
class _Writes:
    """What the accepted changes write, gathered to be written in a few bulk statements."""

    basket: Basket
    judgement: Judgement
    new_bookings: list[Booking] = field(default_factory=list)
    new_lines: list[BasketLine] = field(default_factory=list)
    new_line_changes: list[Accepted] = field(default_factory=list)  # one per new line
    released: list[int] = field(default_factory=list)  # withdrawn requests' bookings
    dropped: list[int] = field(default_factory=list)  # withdrawn cancellations' lines
    entries: list = field(default_factory=list)  # history


def _write(
    basket: Basket,
    judgement: Judgement,
    actor: User,
    channel: str,
    now: datetime.datetime,
) -> list[BasketLine]:
    """Write the accepted changes and their history, a few statements whatever their number
    (bulk inserts: a typical week writes a school year at once). Returns the basket's lines
    afterwards, unordered, as summary.lines_with_facts() would read them."""
    writes = _Writes(basket, judgement)
    for accepted in judgement.accepted:
        action, detail = _STEPS[accepted.outcome.op](writes, accepted)
        writes.entries.append(
            history.entry_for(
                child=accepted.child.pk,
                session=accepted.session.pk,
                action=action,
                actor=actor,
                channel=channel,
                price_cents=accepted.outcome.price_cents,
                detail=detail,
                at=now,
            )
        )
    _apply(writes)
    return _rows_after(writes)


def _rows_after(writes: _Writes) -> list[BasketLine]:
    """The lines the judgement read, less those removed, plus the new ones with the same
    facts (summary.line_facts(): their booking's status, invoiced, attended; no offer)."""
    released, dropped = set(writes.released), set(writes.dropped)
    judgement = writes.judgement
    rows = [
        row
        for row in judgement.rows
        if row.pk not in dropped
        and not (row.booking_id in released and row.kind == LineKind.RESERVATION)
    ]
    for line, accepted in zip(writes.new_lines, writes.new_line_changes, strict=True):
        line.child, line.session = accepted.child, accepted.session
        if line.kind == LineKind.RESERVATION:
            line.booking_status, line.invoiced = BookingStatus.REQUESTED, line.booking.invoiced
        else:
            booking = judgement.bookings[(accepted.child.pk, accepted.session.pk)]
            line.booking_status, line.invoiced = booking.status, booking.invoiced
        line.attended = (accepted.child.pk, accepted.session.pk) in judgement.attended
        line.offer_expires_at = None
        rows.append(line)
    return rows


def _new_request(writes: _Writes, accepted: Accepted) -> tuple[str, str]:
    """A booking requested at the judged price, held by a +1 line of the basket. A day of
    an activity invoiced on booking is `invoiced`: the basket asks no money for it."""
    child, session, outcome = accepted.child, accepted.session, accepted.outcome
    booking = Booking(
        child_id=child.pk,
        session_id=session.pk,
        status=BookingStatus.REQUESTED,
        price_cents=outcome.price_cents,
        late=outcome.late,
        invoiced=session.activity.billing_mode == BillingMode.ON_BOOKING,
        basket_id=writes.basket.pk,
    )
    writes.new_bookings.append(booking)
    writes.new_lines.append(
        BasketLine(
            basket_id=writes.basket.pk,
            kind=LineKind.RESERVATION,
            child_id=child.pk,
            session_id=session.pk,
            booking=booking,  # its id is known once the bookings are inserted
            quantity=1,
            unit_price_cents=outcome.price_cents,
            late=outcome.late,
        )
    )
    writes.new_line_changes.append(accepted)
    return HistoryAction.ADD_RESERVATION, HistoryDetail.REQUESTED


def _withdraw_request(writes: _Writes, accepted: Accepted) -> tuple[str, str]:
    """An unpaid request leaves the basket: its booking is released, its place freed."""
    key = (accepted.child.pk, accepted.session.pk)
    writes.released.append(writes.judgement.bookings[key].pk)
    return HistoryAction.REMOVE_RESERVATION, HistoryDetail.WITHDRAWN


def _request_cancellation(writes: _Writes, accepted: Accepted) -> tuple[str, str]:
    """A paid booking's cancellation: a -1 line at the price paid (the booking stands until
    the basket is validated)."""
    booking = writes.judgement.bookings[(accepted.child.pk, accepted.session.pk)]
    writes.new_lines.append(
        BasketLine(
            basket_id=writes.basket.pk,
            kind=LineKind.CANCELLATION,
            child_id=accepted.child.pk,
            session_id=accepted.session.pk,
            booking_id=booking.pk,
            quantity=-1,
            unit_price_cents=booking.price_cents,
            late=booking.late,
        )
    )
    writes.new_line_changes.append(accepted)
    return HistoryAction.REMOVE_RESERVATION, HistoryDetail.CANCELLATION_REQUESTED


def _withdraw_cancellation(writes: _Writes, accepted: Accepted) -> tuple[str, str]:
    """A cancellation leaves the basket: its line is dropped, the booking stands."""
    key = (accepted.child.pk, accepted.session.pk)
    writes.dropped.append(writes.judgement.lines[key].pk)
    return HistoryAction.ADD_RESERVATION, HistoryDetail.CANCELLATION_WITHDRAWN


# What each accepted change writes (rules.py's four operations), and its history.
_STEPS = {
    rules.NEW_REQUEST: _new_request,
    rules.WITHDRAW_REQUEST: _withdraw_request,
    rules.REQUEST_CANCELLATION: _request_cancellation,
    rules.WITHDRAW_CANCELLATION: _withdraw_cancellation,
}


def _apply(writes: _Writes) -> None:
    """The gathered writes, in a few statements: releases, drops, then bulk inserts."""
    if writes.released:
        Booking.objects.filter(pk__in=writes.released).update(
            status=BookingStatus.RELEASED, updated_at=timezone.now()
        )
        BasketLine.objects.filter(basket=writes.basket, booking_id__in=writes.released).delete()
    if writes.dropped:
        BasketLine.objects.filter(pk__in=writes.dropped).delete()
    Booking.objects.bulk_create(writes.new_bookings)
    BasketLine.objects.bulk_create(writes.new_lines)
    history.record_many(writes.entries)
