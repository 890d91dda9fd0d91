"""The one judgement of a child's day, shared by the planning and by submit_changes().

Both ask the same functions, so a block the planning shows as editable is exactly a change
the server accepts at that moment, and a refused change gets the same reason the planning
shows. Everything needed is loaded beforehand (see `Situation`): no query happens here.
Whether a booking still holds its place is occupancy.holds_place(), the in-memory form of
the query that counts the places taken.
"""

import datetime
from collections.abc import Callable, Collection
from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from portail.activities import deadlines
from portail.activities.models import LatePolicy, Session
from portail.activities.pricing import NoTariff
from portail.reservations import windows
from portail.reservations.models import Attendance, BasketStatus, Booking, BookingStatus
from portail.reservations.occupancy import holds_place
from portail.reservations.states import LATE_LABEL as LATE_REASON
from portail.reservations.states import CellAction, CellState

# Refusal codes (Refusal.code).
FULL = "full"
DEADLINE_PASSED = "deadline_passed"
NOT_ENROLLED = "not_enrolled"
CLOSED = "closed"
ALREADY_RESERVED = "already_reserved"
NOT_RESERVED = "not_reserved"
UNKNOWN = "unknown"
NO_BOOKING_REQUIRED = "no_booking_required"
DUPLICATE = "duplicate"
LOCKED = "locked"  # attendance recorded, or payment in progress
NO_PRICE = "no_price"  # no tariff applies: the day cannot be priced
FAMILY_FILE_REQUIRED = "family_file_required"  # the city wants the year's family file first

# What an accepted change does.
NEW_REQUEST = "new_request"
WITHDRAW_REQUEST = "withdraw_request"
REQUEST_CANCELLATION = "request_cancellation"
WITHDRAW_CANCELLATION = "withdraw_cancellation"

PriceFn = Callable[[int, datetime.date, bool], int]  # (activity_id, day, late) -> cents


@dataclass(frozen=True)
class Situation:
    """What is known of one child on one session (session.activity loaded)."""

    session: Session
    enrolled: bool
    attendance: Attendance | None
    booking: Booking | None  # the active (requested or reserved) booking, basket loaded
    cancel_pending: bool  # a cancellation line for this booking in the open basket
    taken: int  # places taken in the session (occupancy.taken_places)
    # The day's school year when the city requires a family file for it that the household
    # has not had accepted (family_file_missing()); None otherwise, and always for staff.
    family_file_missing: int | None = None
    # The booking window governing the day while it is still to come (windows.py).
    window: "windows.WindowView | None" = None
    # The day's last cancelled booking when it has no active one (the parents' planning
    # loads it, facts.bookings_and_places): a past day then says it was cancelled.
    cancelled: Booking | None = None
    # The waiting list (waiting.py): the children waiting before this one (every one
    # waiting for a child not on the list), who are served first; the child's own rank.
    waiting_ahead: int = 0
    waiting_rank: int | None = None


@dataclass(frozen=True)
class Outcome:
    ok: bool
    op: str = ""  # NEW_REQUEST, WITHDRAW_REQUEST, ... when ok
    code: str = ""  # refusal code when not ok
    reason: str = ""
    late: bool = False
    price_cents: int | None = None


def _when(moment: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


# --- The family-file gate ------------------------------------------------------------------


def school_year_of(day: datetime.date) -> int:
    """The school year of a day, named by the year it starts in as families.FamilyFile
    names it: 1 September to 31 August, so the summer holidays belong to the year they
    close (a file accepted for 2026-2027 covers the summer centre of July 2027), like the
    default enrolment period."""
    return day.year if day.month >= 9 else day.year - 1


def school_year_label(year: int) -> str:
    return f"{year}-{year + 1}"


def family_file_missing(session: Session, on_file: Collection[int]) -> int | None:
    """The school year whose family file this day needs and the household lacks, else None.

    The city's rule (Organisation.family_file_required_from, read through the session's
    activity.site.organisation, loaded with it): every school year from that one on needs
    its own accepted family file before its days are booked (a day that needs no booking
    needs no file). `on_file`: the school years the household has one accepted for
    (families.family_files)."""
    required_from = session.activity.site.organisation.family_file_required_from
    year = school_year_of(session.date)
    if required_from is None or year < required_from or year in on_file:
        return None
    return year if session.activity.requires_booking else None


def family_file_reason(year: int) -> str:
    return _(
        "Your family file for the %(school_year)s school year must be accepted first: send "
        "the “Family file update” procedure."
    ) % {"school_year": school_year_label(year)}


def in_open_basket(booking: Booking, now: datetime.datetime) -> bool:
    """A requested booking held by an open basket that has not expired."""
    basket = booking.basket
    return (
        booking.status == BookingStatus.REQUESTED
        and basket is not None
        and basket.status == BasketStatus.OPEN
        and basket.expires_at is not None
        and basket.expires_at > now
    )


def judge_add(
    s: Situation, *, now: datetime.datetime, price: PriceFn, bypass_deadlines: bool
) -> Outcome:
    """May this child be booked on this session now, and at what price?"""
    session = s.session
    activity = session.activity
    booking = s.booking if holds_place(s.booking, now) else None
    if not activity.requires_booking:
        return Outcome(False, code=NO_BOOKING_REQUIRED, reason=_("No reservation is required."))
    if s.attendance is not None:
        # The day has happened: nothing the basket holds changes it any more (the
        # attendance page is the only way to act on it).
        return Outcome(False, code=LOCKED, reason=_("Attendance already recorded."))
    if booking is not None and booking.status == BookingStatus.RESERVED and s.cancel_pending:
        return Outcome(True, op=WITHDRAW_CANCELLATION, price_cents=booking.price_cents)
    if booking is not None:
        return Outcome(False, code=ALREADY_RESERVED, reason=_("Already reserved or requested."))
    if not session.is_open:
        return Outcome(False, code=CLOSED, reason=session.closed_reason or _("Closed."))
    if not s.enrolled:
        return Outcome(
            False, code=NOT_ENROLLED, reason=_("Not enrolled in this activity on this day.")
        )
    gate = windows.refusal(s.window, now) if s.window and not bypass_deadlines else None
    if gate is not None:
        return Outcome(False, code=gate[0], reason=gate[1])
    late = False
    if not bypass_deadlines:
        start = deadlines.session_start(activity, session.date)
        if now >= start:
            return Outcome(False, code=DEADLINE_PASSED, reason=_("This day has already started."))
        closes = deadlines.booking_deadline(activity, session.date)
        if now >= closes:
            if activity.late_policy == LatePolicy.REFUSE:
                return Outcome(
                    False,
                    code=DEADLINE_PASSED,
                    reason=_("Reservations closed on %(deadline)s.") % {"deadline": _when(closes)},
                )
            late = True
    if s.family_file_missing is not None:
        # A family booking only: staff see the file at the counter (facts.py loads no gate
        # for them). Cancellations and kept bookings never reach here.
        return Outcome(
            False, code=FAMILY_FILE_REQUIRED, reason=family_file_reason(s.family_file_missing)
        )
    try:
        cents = price(activity.pk, session.date, late)
    except NoTariff:
        return Outcome(False, code=NO_PRICE, reason=_("No price is set for this day."))
    if s.window and not bypass_deadlines and windows.collecting(s.window, now):
        # Collected for the draw, not served: no place is taken now (windows.py).
        return Outcome(True, op=windows.DRAW_REQUEST, late=late, price_cents=cents)
    if s.taken + s.waiting_ahead >= session.capacity:
        return Outcome(False, code=FULL, reason=_("No place left."), late=late, price_cents=cents)
    return Outcome(True, op=NEW_REQUEST, late=late, price_cents=cents)


def judge_cancel(s: Situation, *, now: datetime.datetime, bypass_deadlines: bool) -> Outcome:
    """May this child's booking (or request) on this session be cancelled (or withdrawn) now?"""
    session = s.session
    activity = session.activity
    booking = s.booking if holds_place(s.booking, now) else None
    if s.attendance is not None and (activity.requires_booking or booking is not None):
        # Checked first: once attendance is recorded the day is locked for everyone (staff
        # with bypass_deadlines included) whatever the basket holds, even an unpaid request.
        return Outcome(False, code=LOCKED, reason=_("Attendance already recorded."))
    if booking is not None and in_open_basket(booking, now):
        # An unpaid request can otherwise always leave the basket.
        return Outcome(
            True, op=WITHDRAW_REQUEST, late=booking.late, price_cents=booking.price_cents
        )
    if not activity.requires_booking:
        return Outcome(False, code=NO_BOOKING_REQUIRED, reason=_("No reservation is required."))
    if booking is None:
        return Outcome(False, code=NOT_RESERVED, reason=_("Not reserved."))
    if booking.status == BookingStatus.REQUESTED:
        return Outcome(False, code=LOCKED, reason=_("Payment in progress."))
    if s.cancel_pending:
        return Outcome(
            False, code=NOT_RESERVED, reason=_("Its cancellation is already in the basket.")
        )
    if not session.is_open:
        return Outcome(False, code=CLOSED, reason=session.closed_reason or _("Closed."))
    if not bypass_deadlines:
        closes = deadlines.cancel_deadline(activity, session.date)
        if now >= min(closes, deadlines.session_start(activity, session.date)):
            return Outcome(
                False,
                code=DEADLINE_PASSED,
                reason=_("Cancellations closed on %(deadline)s.") % {"deadline": _when(closes)},
            )
    return Outcome(
        True, op=REQUEST_CANCELLATION, late=booking.late, price_cents=booking.price_cents
    )


def action_until(session: Session, action: str | None, *, late: bool) -> datetime.datetime | None:
    """Until when the block's action can be taken, as judge_add / judge_cancel decide it
    (a parent: deadlines apply): a booking at the normal price until the booking deadline,
    a late one (late price) until the day starts; a cancellation until the cancellation
    deadline (never after the start). None for any other action."""
    activity = session.activity
    start = deadlines.session_start(activity, session.date)
    if action == CellAction.RESERVE:
        return start if late else min(deadlines.booking_deadline(activity, session.date), start)
    if action == CellAction.CANCEL:
        return min(deadlines.cancel_deadline(activity, session.date), start)
    return None


@dataclass(frozen=True)
class CellView:
    state: CellState
    action: str | None
    late: bool
    price_cents: int | None
    reason: str


_REFUSAL_STATES = {
    NOT_ENROLLED: CellState.NOT_ENROLLED,
    FULL: CellState.FULL,
    CLOSED: CellState.CLOSED,
    NO_BOOKING_REQUIRED: CellState.NO_RESERVATION_REQUIRED,
    windows.DRAW_REQUESTED: CellState.REQUESTED,
}


def _cancelled_reason(session: Session) -> str:
    """Why a past day's booking was cancelled, when the service closed the day."""
    if session.is_open:
        return ""
    return _("Day closed: %(reason)s") % {"reason": session.closed_reason}


def cell_view(s: Situation, *, now: datetime.datetime, price: PriceFn) -> CellView:
    """What the planning shows for this child's day (as a parent: deadlines apply)."""
    session = s.session
    activity = session.activity
    booking = s.booking if holds_place(s.booking, now) else None
    if not activity.requires_booking:
        return CellView(
            CellState.NO_RESERVATION_REQUIRED, None, False, None, _("No reservation is required.")
        )
    if s.attendance is not None:
        # Before the basket: attendance locks the day whatever the basket holds (a request
        # still waiting in it included), as judge_add() and judge_cancel() refuse.
        paid = booking.price_cents if booking is not None else None
        late = booking.late if booking is not None else False
        if booking is not None and not s.attendance.present:
            return CellView(CellState.NOT_USED, None, late, paid, _("Booked but absent."))
        # What the day was, in words (the state says only that the pointage is done).
        if not s.attendance.present:
            was = _("Absent.")
        elif booking is None:
            was = _("Present without booking.")
        else:
            was = _("Booked and present.")
        return CellView(CellState.ATTENDANCE_RECORDED, None, late, paid, was)
    past = now >= deadlines.session_start(activity, session.date)
    if past and booking is None and s.cancelled is not None:
        return CellView(
            CellState.CANCELLED, None, s.cancelled.late, None, _cancelled_reason(session)
        )
    if booking is not None and in_open_basket(booking, now):
        reason = "" if session.is_open else session.closed_reason
        return CellView(
            CellState.REQUESTED,
            CellAction.UNDO_REQUEST,
            booking.late,
            booking.price_cents,
            reason,
        )
    if not session.is_open:
        paid = booking.price_cents if booking is not None else None
        return CellView(CellState.CLOSED, None, False, paid, session.closed_reason or _("Closed."))
    if booking is not None and booking.status == BookingStatus.REQUESTED:
        return CellView(
            CellState.REQUESTED, None, booking.late, booking.price_cents, _("Payment in progress.")
        )
    if booking is not None:
        if s.cancel_pending:
            return CellView(
                CellState.CANCEL_REQUESTED,
                CellAction.UNDO_REQUEST,
                booking.late,
                booking.price_cents,
                "",
            )
        outcome = judge_cancel(s, now=now, bypass_deadlines=False)
        return CellView(
            CellState.RESERVED,
            CellAction.CANCEL if outcome.ok else None,
            booking.late,
            booking.price_cents,
            # A past day booked, its attendance not recorded yet: the cancellation
            # deadline says nothing any more.
            _("This day has already started.") if past else outcome.reason,
        )
    if s.waiting_rank is not None and not past:
        rank = _("Waiting list (rank %(rank)d)") % {"rank": s.waiting_rank}
        return CellView(CellState.WAITING_LIST, None, False, None, rank)
    outcome = judge_add(s, now=now, price=price, bypass_deadlines=False)
    if outcome.ok:
        return CellView(
            CellState.NOT_RESERVED,
            CellAction.RESERVE,
            outcome.late,
            outcome.price_cents,
            str(LATE_REASON) if outcome.late else "",
        )
    state = _REFUSAL_STATES.get(outcome.code, CellState.LOCKED)
    return CellView(state, None, outcome.late, outcome.price_cents, outcome.reason)
