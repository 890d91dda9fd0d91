"""Recording marks (record_marks): staff mark the children of a session, all or nothing.

Each mark is judged against the child's row of the sheet, under the locks (the households'
rows, then the session's row, the order every basket change uses): a mark the row cannot
get is refused with the reason, and one refusal records nothing. The marks accepted are
then written (writing.write). Only a gestionnaire, or an attendance agent on its own
sites, records; never for a day to come nor on a closed day.
"""

import datetime
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portail.accounts.models import User
from portail.activities.models import Activity, Session
from portail.activities.pricing import NoTariff, PriceBook
from portail.backoffice.attendance.sheet import (
    ROW_MARKS,
    Mark,
    RowKind,
    Sheet,
    SheetRow,
    load_sheet,
)
from portail.backoffice.attendance.writing import Plan, Recorded, write
from portail.backoffice.permissions import can_justify_absence, can_record_attendance
from portail.billing.invoicing import billed
from portail.core.locking import locked
from portail.families import quotient
from portail.families.models import Child, Household
from portail.reservations.models import BasketLine, BasketStatus, HistoryDetail, LineKind

MAX_MARKS = 500


class MarksRefused(Exception):
    """Nothing was recorded: `errors` maps each refused child's id to the reason."""

    def __init__(self, errors: dict[int, str], codes: dict[int, str] | None = None) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors
        # A refused child's code when it is not the caller's default (e.g. already_invoiced).
        self.codes = codes or {}


def judge(
    row: SheetRow | None,
    mark: str,
    book: PriceBook,
    session: Session,
    cancelling: set[int],
    *,
    can_credit: bool,
    decision: bool = False,
) -> tuple[Plan | None, str]:
    """The change to make for this mark, or the reason it is refused.

    `can_credit`: the actor decides justified absences (a gestionnaire); `decision`: the
    call is justify_absence(), which credits an absence already marked."""
    if row is None:
        return None, _("This child is neither booked nor enrolled on this day.")
    if mark not in Mark.values:
        return None, _("Unknown mark.")
    current = row.mark
    if row.final:
        if current == mark:
            return Plan(row, mark, noop=True), ""
        return None, _(
            "This absence was justified and its price credited: the mark can no longer "
            "change (adjust the credit on the household's page if it was a mistake)."
        )
    if row.billed is not None and (decision or mark != current) and not row.billed_allows(mark):
        # Already invoiced: final (billing.invoicing.billed); a credit note corrects it.
        return None, row.billed.message
    if not decision and (
        current == mark or (row.kind == RowKind.UNBOOKED and mark == Mark.ABSENT and not current)
    ):
        return Plan(row, mark, noop=True), ""
    if mark not in ROW_MARKS[row.kind]:
        if row.kind == RowKind.UNBOOKED:
            return None, _(
                "This child has no booking on this day: mark “present without booking” "
                "(the late price is then due) or “absent”."
            )
        if row.kind == RowKind.REQUESTED and mark == Mark.ABSENT_JUSTIFIED:
            return None, _(
                "The reservation is not paid yet: there is nothing to credit. Mark “absent”."
            )
        if row.kind == RowKind.FREE:
            return None, _(
                "This activity needs no booking: mark “present” or “absent” (nothing is due)."
            )
        return None, _("This child is booked on this day: mark “present” or “absent”.")
    plan = Plan(row, mark)
    if mark == Mark.ABSENT_JUSTIFIED and row.kind == RowKind.BOOKED and row.invoiced:
        # Invoiced after the fact: nothing was paid, nothing is credited; the day is not
        # invoiced (billing.invoicing reads the mark). No decision awaits.
        plan.history_detail = HistoryDetail.JUSTIFIED_NOT_INVOICED
    elif mark == Mark.ABSENT_JUSTIFIED and row.kind == RowKind.BOOKED and not can_credit:
        # An attendance agent records the certificate; the credit waits for a gestionnaire.
        plan.awaiting_decision = True
        if current is not None:
            plan.history_detail = HistoryDetail.ATTENDANCE_CORRECTED
    elif mark == Mark.ABSENT_JUSTIFIED and row.kind == RowKind.BOOKED:
        if row.booking.pk in cancelling:
            # Recording attendance voids a pending cancellation (billing.settlement), so a
            # justified absence here would compete with it: let the basket settle first.
            return None, _(
                "A cancellation of this day waits in the family's basket. Marking the day "
                "now voids that cancellation: wait until the basket is settled, or mark "
                "“absent”."
            )
        plan.credit_cents = row.booking.price_cents
        plan.history_detail = HistoryDetail.JUSTIFIED_ABSENCE
    elif mark == Mark.PRESENT_UNBOOKED:
        household = row.child.household
        try:
            plan.charge_cents = book.price(
                session.activity_id, session.date, household.qf_on(session.date), late=True
            )
        except NoTariff:
            return None, _(
                "No price is set for this day: a child without booking cannot be recorded present."
            )
        plan.history_detail = HistoryDetail.PRESENT_UNBOOKED
    elif current is not None:
        plan.history_detail = HistoryDetail.ATTENDANCE_CORRECTED
    return plan, ""


def record_marks(
    session: Session | int,
    marks: Sequence[tuple[int, str]],
    *,
    actor: User,
    now: datetime.datetime | None = None,
) -> list[Recorded]:
    """Record (child id, mark) pairs on `session`; all or nothing.

    Raises PermissionDenied when `actor` may not record on this session's site,
    MarksRefused (nothing changed) when the day cannot be marked or any mark is refused,
    ValueError for an empty or oversized list. A mark equal to the current one changes
    nothing (no history row). Returns one Recorded per pair, in order.
    """
    now = now or timezone.now()
    session_id = session if isinstance(session, int) else session.pk
    marks = [(int(child_id), str(mark)) for child_id, mark in marks]
    if not marks:
        raise ValueError("record_marks() needs at least one mark")
    if len(marks) > MAX_MARKS:
        raise ValueError(f"At most {MAX_MARKS} marks at once")
    session = Session.objects.select_related("activity__site").get(pk=session_id)
    if not can_record_attendance(actor, session.activity.site_id):
        raise PermissionDenied("This staff member does not record attendance on this site")
    can_credit = can_justify_absence(actor)
    child_ids = sorted({child_id for child_id, _mark in marks})
    with transaction.atomic():
        session, sheet = locked_sheet(session_id, child_ids, now, can_credit)
        plans = _judge_marks(marks, sheet, session, can_credit=can_credit)
        results = write(session, plans, actor, now)
    order = {child_id: i for i, (child_id, _mark) in enumerate(marks)}
    return sorted(results, key=lambda r: order[r.child.pk])


def _judge_marks(
    marks: list[tuple[int, str]], sheet: Sheet, session: Session, *, can_credit: bool
) -> list[Plan]:
    """Every mark judged against its child's row: all accepted, or MarksRefused with the
    reason of each refused child (a child marked twice in one call is refused)."""
    book = PriceBook.load([session.activity_id], session.date, session.date)
    cancelling = waiting_cancellations(sheet)
    plans: list[Plan] = []
    errors: dict[int, str] = {}
    codes: dict[int, str] = {}
    seen: set[int] = set()
    for child_id, mark in marks:
        if child_id in seen:
            errors[child_id] = _("This child is marked more than once.")
            continue
        seen.add(child_id)
        plan, reason = judge(
            sheet.row(child_id), mark, book, session, cancelling, can_credit=can_credit
        )
        if plan is None:
            errors[child_id] = reason
            if _billed_refusal(sheet.row(child_id), reason):
                codes[child_id] = billed.CODE
        else:
            plans.append(plan)
    if errors:
        raise MarksRefused(errors, codes)
    return plans


def _billed_refusal(row: SheetRow | None, reason: str) -> bool:
    """The mark was refused because the day is already invoiced."""
    return row is not None and row.billed is not None and reason == row.billed.message


def locked_sheet(
    session_id: int, child_ids: list[int], now: datetime.datetime, can_credit: bool
) -> tuple[Session, Sheet]:
    """Inside a transaction: lock the children's households, then the session (the order
    every basket change uses), and load their rows of the sheet. Raises MarksRefused when
    nothing can be recorded on the day (closed, or not come yet)."""
    household_ids = list(
        Child.objects.filter(pk__in=child_ids).values_list("household_id", flat=True)
    )
    households = {h.pk: h for h in locked(Household.objects.filter(pk__in=household_ids))}
    quotient.attach(households.values())  # their QF periods, for the late prices
    (row,) = locked(Session.objects.filter(pk=session_id))
    row.activity = Activity.objects.select_related("site").get(pk=row.activity_id)
    sheet = load_sheet(row, now, child_ids=child_ids, can_credit=can_credit)
    for sheet_row in sheet.rows:
        sheet_row.child.household = households[sheet_row.child.household_id]
    if sheet.refusal:
        raise MarksRefused(dict.fromkeys(child_ids, sheet.refusal))
    return row, sheet


def waiting_cancellations(sheet: Sheet) -> set[int]:
    """The sheet's bookings whose cancellation waits in a basket."""
    return set(
        BasketLine.objects.filter(
            booking__in=[r.booking for r in sheet.rows if r.booking is not None],
            kind=LineKind.CANCELLATION,
            basket__status__in=(BasketStatus.OPEN, BasketStatus.AWAITING_PAYMENT),
        ).values_list("booking_id", flat=True)
    )
