"""Attendance (pointage): staff mark each child of a session present or absent.

The sheet of a session lists the children booked (paid, or a request awaiting payment)
and the children enrolled without a booking. A mark is one of:
- "present", "absent": a booked child (or any child of an activity that needs no booking);
- "absent_justified": a child absent with a medical certificate handed in. Crediting the
  booking's price for it is a gestionnaire's decision (permissions.can_justify_absence),
  never an attendance agent's: the agent's mark records the absence and the certificate
  and credits nothing; the absence then waits for a gestionnaire ("awaiting decision" on
  the sheet), who credits it with `justify_absence()` (the sheet's button, or
  POST /api/v1/staff/attendance/justify). A gestionnaire choosing this mark for a child
  not marked so yet decides at once. Either way the price becomes credit once
  (billing.credits, kind justified_absence; the ledger refuses a second credit for the
  booking) and the mark is final: the credit cannot be taken back here (a mistake is
  corrected by an adjustment on the household's page). Sending the same mark again
  decides nothing (a sheet sent back with its marks checked credits nothing);
- "present_unbooked": a child present without booking on an activity that needs one: the
  activity's late price is due by the household (Attendance.charge_cents, listed on the
  household's page, billed with invoicing). "absent" for such a child removes that mark.

Once a child has a mark, the family's block is locked ("Fréquentation déjà saisie", or
"Non utilisé" for a booked child marked absent): reservations.rules reads Attendance.
Every change writes the child's history (ATTENDANCE_PRESENT / ATTENDANCE_ABSENT, shown
to families as "Service gestionnaire") and the staff's audit trail (with the name).

Only a gestionnaire, or an attendance agent on its own sites, records; never for a day to
come nor on a closed day. Locks: the households' rows, then the session's row (the order
every basket change uses), so a family cannot cancel a day while it is being marked.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portail.accounts.models import User
from portail.activities.models import Activity, Enrolment, Session
from portail.activities.pricing import NoTariff, PriceBook
from portail.backoffice import audit
from portail.backoffice.models import StaffAction, StaffActionKind
from portail.backoffice.permissions import can_justify_absence, can_record_attendance
from portail.billing import credits
from portail.billing.models import CreditEntry, CreditKind
from portail.core.locking import locked
from portail.core.money import format_cents
from portail.families.models import Child, Household
from portail.reservations import history, rules
from portail.reservations.models import (
    ACTIVE_BOOKING_STATUSES,
    Attendance,
    BasketLine,
    BasketStatus,
    Booking,
    BookingStatus,
    Channel,
    HistoryAction,
    HistoryDetail,
    LineKind,
)


class Mark(models.TextChoices):
    PRESENT = "present", gettext_lazy("Present")
    ABSENT = "absent", gettext_lazy("Absent")
    ABSENT_JUSTIFIED = "absent_justified", gettext_lazy("Absent, justified (medical certificate)")
    PRESENT_UNBOOKED = "present_unbooked", gettext_lazy("Present without booking")


class RowKind(models.TextChoices):
    """Why a child is on the sheet, which decides the marks it can get."""

    BOOKED = "booked", gettext_lazy("Reserved")
    REQUESTED = "requested", gettext_lazy("Reservation request (not paid yet)")
    FREE = "free", gettext_lazy("No reservation is required")
    UNBOOKED = "unbooked", gettext_lazy("Enrolled, not booked")


ROW_MARKS = {
    RowKind.BOOKED: (Mark.PRESENT, Mark.ABSENT, Mark.ABSENT_JUSTIFIED),
    RowKind.REQUESTED: (Mark.PRESENT, Mark.ABSENT),
    RowKind.FREE: (Mark.PRESENT, Mark.ABSENT, Mark.ABSENT_JUSTIFIED),
    RowKind.UNBOOKED: (Mark.PRESENT_UNBOOKED, Mark.ABSENT),
}
MAX_MARKS = 500
# Marks a gestionnaire can turn into a credited justified absence (justify_absence).
JUSTIFIABLE = (Mark.ABSENT, Mark.ABSENT_JUSTIFIED)


@dataclass
class SheetRow:
    child: Child
    kind: str  # RowKind
    booking: Booking | None  # the active booking holding a place (BOOKED, REQUESTED)
    attendance: Attendance | None
    credited: bool = False  # the booking's price was credited for a justified absence
    can_credit: bool = False  # the sheet is shown to someone who decides the credit

    @property
    def kind_label(self) -> str:
        return str(RowKind(self.kind).label)

    @property
    def mark(self) -> str | None:
        """The child's current mark, or None."""
        return mark_of(self.attendance, self.kind)

    @property
    def marks(self) -> tuple[str, ...]:
        """The marks this child can get now (a credited absence is final)."""
        if self.final:
            return (Mark.ABSENT_JUSTIFIED,)
        return tuple(ROW_MARKS[self.kind])

    @property
    def final(self) -> bool:
        return self.mark == Mark.ABSENT_JUSTIFIED and self.credited

    @property
    def awaiting_decision(self) -> bool:
        """Absent with a certificate recorded, the price not credited yet: a gestionnaire
        decides (justify_absence)."""
        return (
            self.mark == Mark.ABSENT_JUSTIFIED and self.kind == RowKind.BOOKED and not self.credited
        )

    @property
    def justifiable(self) -> bool:
        """A gestionnaire may credit this absence now (justify_absence)."""
        return self.kind == RowKind.BOOKED and not self.credited and self.mark in JUSTIFIABLE

    @property
    def choices(self) -> list[tuple[str, str]]:
        labels = dict(Mark.choices)
        if self.kind == RowKind.UNBOOKED:
            labels[Mark.ABSENT] = _("Not here")
        if self.kind == RowKind.BOOKED and not self.final:
            labels[Mark.ABSENT_JUSTIFIED] = (
                _("Absent, justified: the price is credited")
                if self.can_credit
                else _("Absent, medical certificate handed in")
            )
        return [(m, labels[m]) for m in self.marks]


@dataclass
class Sheet:
    session: Session  # activity and site loaded
    booked: list[SheetRow]  # booked or awaiting payment (or everyone enrolled: FREE)
    unbooked: list[SheetRow]  # enrolled without booking, or marked present without one
    refusal: str = ""  # why nothing can be recorded now ("" when it can)

    @property
    def rows(self) -> list[SheetRow]:
        return self.booked + self.unbooked

    def row(self, child_id: int) -> SheetRow | None:
        for row in self.rows:
            if row.child.pk == child_id:
                return row
        return None

    @property
    def marked(self) -> int:
        return sum(1 for r in self.rows if r.attendance is not None)


def mark_of(attendance: Attendance | None, kind: str) -> str | None:
    if attendance is None:
        return None
    if attendance.present:
        if kind == RowKind.UNBOOKED or attendance.charge_cents is not None:
            return Mark.PRESENT_UNBOOKED
        return Mark.PRESENT
    return Mark.ABSENT_JUSTIFIED if attendance.justified else Mark.ABSENT


def day_label(session: Session) -> str:
    return _("%(activity)s, %(date)s") % {
        "activity": session.activity.name,
        "date": formats.date_format(session.date, "SHORT_DATE_FORMAT"),
    }


def recording_refusal(session: Session, now: datetime.datetime) -> str:
    """Why marks cannot be recorded on `session` now; "" when they can."""
    if not session.is_open:
        return _("This day is closed (%(reason)s): there is no attendance to record.") % {
            "reason": session.closed_reason
        }
    if session.date > timezone.localdate(now):
        return _("This day has not come yet: attendance is recorded on the day or after.")
    return ""


def _load_sheet(
    session: Session, now: datetime.datetime, child_ids=None, *, can_credit: bool = False
) -> Sheet:
    """The sheet from four queries (bookings, enrolments, marks, children of the marks),
    and a fifth when a booked child is marked absent with a certificate (its credit)."""
    activity = session.activity
    bookings = Booking.objects.filter(
        session=session, status__in=ACTIVE_BOOKING_STATUSES
    ).select_related("child", "basket")
    enrolments = Enrolment.objects.filter(
        activity_id=activity.pk, valid_from__lte=session.date, valid_to__gte=session.date
    ).select_related("child")
    marks = Attendance.objects.filter(session=session).select_related("child")
    if child_ids is not None:
        bookings = bookings.filter(child_id__in=child_ids)
        enrolments = enrolments.filter(child_id__in=child_ids)
        marks = marks.filter(child_id__in=child_ids)
    holding = {b.child_id: b for b in bookings if rules.holds_place(b, now)}
    attendance = {a.child_id: a for a in marks}
    children: dict[int, Child] = {}
    for b in holding.values():
        children[b.child_id] = b.child
    for e in enrolments:
        children.setdefault(e.child_id, e.child)
    for a in attendance.values():
        children.setdefault(a.child_id, a.child)
    certified = [
        holding[a.child_id].pk for a in attendance.values() if a.justified and a.child_id in holding
    ]
    credited = (
        set(
            CreditEntry.objects.filter(
                booking_id__in=certified, kind=CreditKind.JUSTIFIED_ABSENCE
            ).values_list("booking_id", flat=True)
        )
        if certified
        else set()
    )
    booked, unbooked = [], []
    for child in sorted(children.values(), key=lambda c: (c.last_name, c.first_name, c.pk)):
        booking = holding.get(child.pk)
        if not activity.requires_booking:
            kind = RowKind.FREE
        elif booking is None:
            kind = RowKind.UNBOOKED
        elif booking.status == BookingStatus.RESERVED:
            kind = RowKind.BOOKED
        else:
            kind = RowKind.REQUESTED
        row = SheetRow(
            child,
            kind,
            booking,
            attendance.get(child.pk),
            credited=booking is not None and booking.pk in credited,
            can_credit=can_credit,
        )
        (unbooked if kind == RowKind.UNBOOKED else booked).append(row)
    return Sheet(session, booked, unbooked, recording_refusal(session, now))


def attendance_sheet(
    session: Session | int,
    *,
    now: datetime.datetime | None = None,
    viewer: User | None = None,
) -> Sheet:
    """Who is expected on `session` and the marks recorded so far (five queries whatever
    the number of children, six with an absence to decide). `viewer`: the staff member
    the sheet is shown to (its labels say whether a justified absence credits). Raises
    Session.DoesNotExist for an unknown id."""
    now = now or timezone.now()
    session_id = session if isinstance(session, int) else session.pk
    session = Session.objects.select_related("activity__site").get(pk=session_id)
    can_credit = viewer is not None and can_justify_absence(viewer)
    return _load_sheet(session, now, can_credit=can_credit)


class MarksRefused(Exception):
    """Nothing was recorded: `errors` maps each refused child's id to the reason."""

    def __init__(self, errors: dict[int, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass
class Recorded:
    child: Child
    mark: str
    changed: bool
    credit_cents: int = 0  # absent_justified: the price credited
    charge_cents: int | None = None  # present_unbooked: the amount due
    awaiting_decision: bool = False  # absent_justified by an agent: nothing credited yet


@dataclass
class _Plan:
    row: SheetRow
    mark: str
    credit_cents: int = 0
    charge_cents: int | None = None
    history_detail: str = ""
    noop: bool = False  # the mark is already the child's
    awaiting_decision: bool = False  # a certificate recorded without credit (an agent)


def _judge(
    row: SheetRow | None,
    mark: str,
    book: PriceBook,
    session: Session,
    cancelling: set[int],
    *,
    can_credit: bool,
    decision: bool = False,
) -> tuple[_Plan | None, str]:
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
            return _Plan(row, mark, noop=True), ""
        return None, _(
            "This absence was justified and its price credited: the mark can no longer "
            "change (adjust the credit on the household's page if it was a mistake)."
        )
    if not decision and (
        current == mark or (row.kind == RowKind.UNBOOKED and mark == Mark.ABSENT and not current)
    ):
        return _Plan(row, mark, noop=True), ""
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
    plan = _Plan(row, mark)
    if mark == Mark.ABSENT_JUSTIFIED and row.kind == RowKind.BOOKED and not can_credit:
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
        session, sheet = _locked_sheet(session_id, child_ids, now, can_credit)
        book = PriceBook.load([session.activity_id], session.date, session.date)
        cancelling = _cancelling(sheet)
        plans: list[_Plan] = []
        errors: dict[int, str] = {}
        seen: set[int] = set()
        for child_id, mark in marks:
            if child_id in seen:
                errors[child_id] = _("This child is marked more than once.")
                continue
            seen.add(child_id)
            plan, reason = _judge(
                sheet.row(child_id), mark, book, session, cancelling, can_credit=can_credit
            )
            if plan is None:
                errors[child_id] = reason
            else:
                plans.append(plan)
        if errors:
            raise MarksRefused(errors)
        results = _write(session, plans, actor, now)
    order = {child_id: i for i, (child_id, _mark) in enumerate(marks)}
    return sorted(results, key=lambda r: order[r.child.pk])


def _locked_sheet(
    session_id: int, child_ids: list[int], now: datetime.datetime, can_credit: bool
) -> tuple[Session, Sheet]:
    """Inside a transaction: lock the children's households, then the session (the order
    every basket change uses), and load their rows of the sheet. Raises MarksRefused when
    nothing can be recorded on the day (closed, or not come yet)."""
    household_ids = list(
        Child.objects.filter(pk__in=child_ids).values_list("household_id", flat=True)
    )
    households = {h.pk: h for h in locked(Household.objects.filter(pk__in=household_ids))}
    (row,) = locked(Session.objects.filter(pk=session_id))
    row.activity = Activity.objects.select_related("site").get(pk=row.activity_id)
    sheet = _load_sheet(row, now, child_ids=child_ids, can_credit=can_credit)
    for sheet_row in sheet.rows:
        sheet_row.child.household = households[sheet_row.child.household_id]
    if sheet.refusal:
        raise MarksRefused(dict.fromkeys(child_ids, sheet.refusal))
    return row, sheet


def _cancelling(sheet: Sheet) -> set[int]:
    """The sheet's bookings whose cancellation waits in a basket."""
    return set(
        BasketLine.objects.filter(
            booking__in=[r.booking for r in sheet.rows if r.booking is not None],
            kind=LineKind.CANCELLATION,
            basket__status__in=(BasketStatus.OPEN, BasketStatus.AWAITING_PAYMENT),
        ).values_list("booking_id", flat=True)
    )


def justify_absence(
    session: Session | int,
    child_id: int,
    *,
    actor: User,
    now: datetime.datetime | None = None,
) -> Recorded:
    """A gestionnaire's decision: the absence of `child_id` on `session` (marked absent,
    with or without the certificate recorded by an agent) is justified, and the booking's
    price becomes credit, once; the mark is then final. History (ATTENDANCE_ABSENT,
    justified_absence) and the staff's audit trail are written.

    Raises PermissionDenied unless `actor` decides justified absences
    (permissions.can_justify_absence); MarksRefused (nothing changed) when the child has
    no paid booking marked absent on this day, when the price was already credited, when
    a cancellation of the day waits in the family's basket, or when the day is closed or
    to come; Session.DoesNotExist for an unknown session.
    """
    now = now or timezone.now()
    session_id = session if isinstance(session, int) else session.pk
    child_id = int(child_id)
    Session.objects.only("pk").get(pk=session_id)
    if not can_justify_absence(actor):
        raise PermissionDenied("Only a gestionnaire decides a justified absence")
    with transaction.atomic():
        session, sheet = _locked_sheet(session_id, [child_id], now, True)
        row = sheet.row(child_id)
        if row is None:
            raise MarksRefused(
                {child_id: _("This child is neither booked nor enrolled on this day.")}
            )
        if row.final:
            raise MarksRefused(
                {child_id: _("This absence is already justified and its price credited.")}
            )
        if not row.justifiable:
            raise MarksRefused(
                {
                    child_id: _(
                        "Only the absence of a child with a paid booking, marked absent, can "
                        "be justified."
                    )
                }
            )
        book = PriceBook.load([session.activity_id], session.date, session.date)
        plan, reason = _judge(
            row,
            Mark.ABSENT_JUSTIFIED,
            book,
            session,
            _cancelling(sheet),
            can_credit=True,
            decision=True,
        )
        if plan is None:
            raise MarksRefused({child_id: reason})
        (result,) = _write(session, [plan], actor, now)
    return result


def _write(
    session: Session, plans: list[_Plan], actor: User, now: datetime.datetime
) -> list[Recorded]:
    entries = []
    actions = []
    label = audit.staff_label(actor)[:400]
    results = []
    mark_labels = dict(Mark.choices)
    for plan in plans:
        row, child = plan.row, plan.row.child
        if plan.noop:
            results.append(Recorded(child, plan.mark, False))
            continue
        present = plan.mark in (Mark.PRESENT, Mark.PRESENT_UNBOOKED)
        if plan.mark == Mark.ABSENT and row.kind == RowKind.UNBOOKED:
            # "Not here": an unbooked child has no mark (its amount due goes with it).
            Attendance.objects.filter(pk=row.attendance.pk).delete()
        elif row.attendance is None:
            Attendance.objects.create(
                child=child,
                session=session,
                present=present,
                justified=plan.mark == Mark.ABSENT_JUSTIFIED,
                charge_cents=plan.charge_cents,
                recorded_by=actor,
            )
        else:
            Attendance.objects.filter(pk=row.attendance.pk).update(
                present=present,
                justified=plan.mark == Mark.ABSENT_JUSTIFIED,
                charge_cents=plan.charge_cents,
                recorded_by=actor,
                recorded_at=now,
            )
        if plan.credit_cents:
            credits.add_credit(
                child.household,
                plan.credit_cents,
                kind=CreditKind.JUSTIFIED_ABSENCE,
                reason=_("Justified absence: %(child)s – %(day)s")
                % {"child": child.first_name, "day": day_label(session)},
                actor=actor,
                booking=row.booking,
                at=now,
            )
        price = row.booking.price_cents if row.booking is not None else plan.charge_cents
        entries.append(
            history.entry_for(
                child=child,
                session=session,
                action=HistoryAction.ATTENDANCE_PRESENT
                if present
                else HistoryAction.ATTENDANCE_ABSENT,
                actor=actor,
                channel=Channel.BACKOFFICE,
                price_cents=price,
                detail=plan.history_detail,
                at=now,
            )
        )
        summary = _("Attendance of %(child)s, %(day)s: %(mark)s.") % {
            "child": f"{child.first_name} {child.last_name}",
            "day": day_label(session),
            "mark": mark_labels[plan.mark],
        }
        if plan.credit_cents:
            summary += " " + _("Price credited: %(amount)s.") % {
                "amount": format_cents(plan.credit_cents)
            }
        if plan.awaiting_decision:
            summary += " " + _("Nothing credited: the certificate awaits a manager's decision.")
        if plan.charge_cents is not None:
            summary += " " + _("Amount due: %(amount)s.") % {
                "amount": format_cents(plan.charge_cents)
            }
        if row.mark is not None:
            summary += " " + _("(Was: %(mark)s.)") % {"mark": mark_labels[row.mark]}
        actions.append(
            StaffAction(
                household_id=child.household_id,
                actor=actor,
                actor_label=label,
                kind=StaffActionKind.ATTENDANCE,
                summary=summary,
                created_at=now,
            )
        )
        results.append(
            Recorded(
                child,
                plan.mark,
                True,
                plan.credit_cents,
                plan.charge_cents,
                awaiting_decision=plan.awaiting_decision,
            )
        )
    history.record_many(entries)
    StaffAction.objects.bulk_create(actions)
    return results


def unbooked_charges(household: Household | int) -> list[Attendance]:
    """The household's children recorded present without booking, with the amount due,
    newest day first (for the household's page; invoicing bills them)."""
    household_id = household if isinstance(household, int) else household.pk
    return list(
        Attendance.objects.filter(child__household_id=household_id, charge_cents__isnull=False)
        .select_related("child", "session__activity__site")
        .order_by("-session__date", "child__first_name", "pk")
    )
