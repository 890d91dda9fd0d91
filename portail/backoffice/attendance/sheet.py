"""The attendance sheet of a session: who is expected, why, and the marks recorded so far.

A child is on the sheet when it holds a place (a paid booking, or a request awaiting
payment), is enrolled on the day, or already has a mark. Its row kind (RowKind) decides
the marks it can get (ROW_MARKS); its row says whether a justified absence was credited
and, shown to a gestionnaire, whether one is awaiting a decision.
"""

import datetime
from dataclasses import dataclass

from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portail.accounts.models import User
from portail.activities.models import Enrolment, Session
from portail.backoffice.permissions import can_justify_absence
from portail.billing.invoicing import billed as billing_billed
from portail.billing.models import ChargeKind, CreditEntry, CreditKind
from portail.families.models import Child, Household
from portail.reservations import rules
from portail.reservations.models import (
    ACTIVE_BOOKING_STATUSES,
    Attendance,
    Booking,
    BookingStatus,
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
    billed: billing_billed.Billed | None = None  # the invoice billing this mark or booking

    @property
    def kind_label(self) -> str:
        return str(RowKind(self.kind).label)

    @property
    def mark(self) -> str | None:
        """The child's current mark, or None."""
        return mark_of(self.attendance, self.kind)

    @property
    def marks(self) -> tuple[str, ...]:
        """The marks this child can get now (a credited absence is final; so is a mark or
        a booking already invoiced, billing_billed)."""
        if self.final:
            return (Mark.ABSENT_JUSTIFIED,)
        if self.billed is not None:
            return tuple(m for m in ROW_MARKS[self.kind] if self.billed_allows(m))
        return tuple(ROW_MARKS[self.kind])

    @property
    def invoiced(self) -> bool:
        """The booking is invoiced after the fact (Booking.invoiced): nothing was paid, so
        a justified absence credits nothing; the day is simply not invoiced."""
        return self.booking is not None and self.booking.invoiced

    @property
    def final(self) -> bool:
        return self.mark == Mark.ABSENT_JUSTIFIED and self.credited

    def billed_allows(self, mark: str) -> bool:
        """Once invoiced (billing.invoicing.billed), a mark keeps what was billed: the mark
        stays, and the only mark a booked day billed unmarked can get is "present" (it was
        billed as a booked day, which a presence confirms)."""
        if self.billed is None or mark == self.mark:
            return True
        return (
            self.mark is None and mark == Mark.PRESENT and self.billed.kind == ChargeKind.BOOKED_DAY
        )

    @property
    def billed_final(self) -> bool:
        """The mark is final: already invoiced and no other mark keeps what was billed."""
        return self.billed is not None and self.marks == ((self.mark,) if self.mark else ())

    @property
    def awaiting_decision(self) -> bool:
        """Absent with a certificate recorded, the price not credited yet: a gestionnaire
        decides (justify_absence). Never for a day invoiced after the fact (no credit)."""
        return (
            self.mark == Mark.ABSENT_JUSTIFIED
            and self.kind == RowKind.BOOKED
            and not self.credited
            and not self.invoiced
        )

    @property
    def justifiable(self) -> bool:
        """A gestionnaire may credit this absence now (justify_absence); for a day invoiced
        after the fact, mark it justified (not invoiced)."""
        if self.billed is not None and not self.billed_allows(Mark.ABSENT_JUSTIFIED):
            return False
        if self.invoiced:
            return self.kind == RowKind.BOOKED and self.mark == Mark.ABSENT
        return self.kind == RowKind.BOOKED and not self.credited and self.mark in JUSTIFIABLE

    @property
    def choices(self) -> list[tuple[str, str]]:
        labels = dict(Mark.choices)
        if self.kind == RowKind.UNBOOKED:
            labels[Mark.ABSENT] = _("Not here")
        if self.kind == RowKind.BOOKED and self.invoiced:
            labels[Mark.ABSENT_JUSTIFIED] = _("Absent, justified: the day is not invoiced")
        elif self.kind == RowKind.BOOKED and not self.final:
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


def load_sheet(
    session: Session, now: datetime.datetime, child_ids=None, *, can_credit: bool = False
) -> Sheet:
    """The sheet from four queries (bookings, enrolments, marks, children of the marks),
    and a fifth when a booked child is marked absent with a certificate (its credit)."""
    activity = session.activity
    bookings = (
        Booking.objects.filter(session=session, status__in=ACTIVE_BOOKING_STATUSES)
        .select_related("child", "basket")
        .annotate(**billing_billed.annotations("booking"))
    )
    enrolments = Enrolment.objects.filter(
        activity_id=activity.pk, valid_from__lte=session.date, valid_to__gte=session.date
    ).select_related("child")
    marks = (
        Attendance.objects.filter(session=session)
        .select_related("child")
        .annotate(**billing_billed.annotations("attendance"))
    )
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
            billed=billing_billed.annotated(attendance.get(child.pk))
            or billing_billed.annotated(booking),
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
    return load_sheet(session, now, can_credit=can_credit)


def unbooked_charges(household: Household | int) -> list[Attendance]:
    """The household's children recorded present without booking, with the amount due,
    newest day first (for the household's page; invoicing bills them)."""
    household_id = household if isinstance(household, int) else household.pk
    return list(
        Attendance.objects.filter(child__household_id=household_id, charge_cents__isnull=False)
        .select_related("child", "session__activity__site")
        .order_by("-session__date", "child__first_name", "pk")
    )
