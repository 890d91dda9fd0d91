"""The demo's invoices: the pointage of the past weeks, then a billing run per past month.

Written through the services, as the family and the staff would: the parent books Emy's
supervised homework days (Étude surveillée, invoiced on booking) of the last weeks
(STUDY_SESSIONS days) in one basket, a few days before the first: nothing to pay, the
basket is validated with OK. The attendance agent of École de Malves records, on the
evening of each of those days (PRESENCE_SESSIONS sessions of each ALAE), who came to the
ALAE (morning and evening, invoiced on attendance: each presence is billed) and to the
homework hour (Emy misses one without a certificate, "Non utilisé", billed, and one with
a medical certificate, not billed). Then the gestionnaire issues a billing run
(billing.invoicing.runs.issue) for each of the last INVOICED_MONTHS calendar months before
this one that had something to bill, on the first day of the month after it; the demo
household pays the older invoice at the counter a few days later, and the latest one is
left unpaid, so the parent sees "Payer les factures (1)" at once.

Everything is dated from today, so the demo has invoices whatever the day it is loaded.
The caller (demo.history) runs it once, with the paid weeks.
"""

import datetime

from django.utils import timezone

from portail.accounts.models import User
from portail.activities.models import Activity, Enrolment, Session
from portail.backoffice.attendance.marks import record_marks
from portail.backoffice.attendance.sheet import Mark
from portail.billing.checkout import checkout
from portail.billing.invoicing import runs, settling
from portail.billing.models import BillingRun, Invoice
from portail.demo.commune import (
    ALAE_EVENING,
    ALAE_MORNING,
    DEMO_HOUSEHOLD,
    PARENT_EMAIL,
    POINTAGE_EMAIL,
    STAFF_EMAIL,
    STUDY,
)
from portail.families.models import Household
from portail.reservations.basket import submit_changes
from portail.reservations.judging import Change
from portail.reservations.models import Booking, BookingStatus, Channel

# The pointage covers this many past sessions of each ALAE (about eight school weeks), and
# the homework days booked as many weeks.
PRESENCE_SESSIONS = 32
STUDY_SESSIONS = 24
# Billing runs for this many past calendar months (the last ones with something billed).
INVOICED_MONTHS = 2
# Every ABSENT_EVERY-th day of a child (counted from its first) is an absence.
ABSENT_EVERY = 6


def build_demo_invoices(today: datetime.date | None = None) -> list[BillingRun]:
    """The homework days, the pointage and the billing runs (see the module's docstring);
    the runs issued. Nothing when a billing run already exists (the demo was loaded
    before)."""
    today = today or timezone.localdate()
    if BillingRun.objects.exists():
        return []
    agent = User.objects.filter(email=POINTAGE_EMAIL).first()
    staff = User.objects.filter(email=STAFF_EMAIL).first()
    parent = User.objects.filter(email=PARENT_EMAIL).first()
    household = Household.objects.filter(name=DEMO_HOUSEHOLD).order_by("pk").first()
    if None in (agent, staff, parent, household):
        return []
    _book_study(household, parent, today)
    marked_days = _alae_presences(agent, today) + _study_marks(agent, today)
    return _billing_runs(staff, marked_days, today)


def _book_study(household: Household, parent: User, today: datetime.date) -> None:
    """The household's children enrolled in the homework hour booked on its last
    STUDY_SESSIONS days before today, by the parent on the website three days before the
    first (its deadline is the day before); nothing to pay, validated with OK."""
    enrolments = Enrolment.objects.filter(child__household=household, activity__name=STUDY)
    changes = []
    for enrolment in enrolments.select_related("activity"):
        sessions = Session.objects.filter(
            activity=enrolment.activity,
            is_open=True,
            date__lt=today,
            date__gte=enrolment.valid_from,
            date__lte=enrolment.valid_to,
        ).order_by("-date")[:STUDY_SESSIONS]
        changes += [(enrolment.child_id, session) for session in sessions]
    if not changes:
        return
    first = min(session.date for _child, session in changes)
    booked_at = timezone.make_aware(
        datetime.datetime.combine(first - datetime.timedelta(days=3), datetime.time(19, 30))
    )
    submit_changes(
        household,
        add=[Change(child_id, session.pk) for child_id, session in changes],
        cancel=[],
        actor=parent,
        channel=Channel.WEB,
        now=booked_at,
    )
    checkout(
        household,
        actor=parent,
        channel=Channel.WEB,
        now=booked_at + datetime.timedelta(minutes=2),
        expected_due_cents=0,
    )


def _evening(day: datetime.date) -> datetime.datetime:
    """When the agent records the day's marks: that evening, Paris time."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(18, 45)))


def _alae_presences(agent: User, today: datetime.date) -> list[datetime.date]:
    """The ALAE's last past sessions, each child enrolled marked present (absent now and
    then); the days marked."""
    days = []
    for activity in Activity.objects.filter(name__in=(ALAE_MORNING, ALAE_EVENING)):
        sessions = Session.objects.filter(activity=activity, is_open=True, date__lt=today)
        for session in sessions.order_by("-date")[:PRESENCE_SESSIONS]:
            children = (
                Enrolment.objects.filter(
                    activity=activity, valid_from__lte=session.date, valid_to__gte=session.date
                )
                .order_by("child_id")
                .values_list("child_id", flat=True)
            )
            marks = [
                (child_id, Mark.ABSENT if _absent(session.date, i) else Mark.PRESENT)
                for i, child_id in enumerate(children)
            ]
            if marks:
                record_marks(session, marks, actor=agent, now=_evening(session.date))
                days.append(session.date)
    return days


def _absent(day: datetime.date, index: int) -> bool:
    return (day.toordinal() + index) % ABSENT_EVERY == 0


def _study_marks(agent: User, today: datetime.date) -> list[datetime.date]:
    """The homework days booked before today: present, except the first one (absent, no
    certificate: "Non utilisé", invoiced) and the second (absent with a medical
    certificate: not invoiced); the days marked."""
    bookings = Booking.objects.filter(
        session__activity__name=STUDY,
        session__date__lt=today,
        session__is_open=True,
        status=BookingStatus.RESERVED,
        child__household__name=DEMO_HOUSEHOLD,
    ).select_related("session")
    days = []
    for index, booking in enumerate(bookings.order_by("session__date", "child_id")):
        mark = {0: Mark.ABSENT, 1: Mark.ABSENT_JUSTIFIED}.get(index, Mark.PRESENT)
        record_marks(
            booking.session,
            [(booking.child_id, mark)],
            actor=agent,
            now=_evening(booking.session.date),
        )
        days.append(booking.session.date)
    return days


def _month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _next_month(first: datetime.date) -> datetime.date:
    return (first + datetime.timedelta(days=32)).replace(day=1)


def _billing_runs(
    staff: User, marked_days: list[datetime.date], today: datetime.date
) -> list[BillingRun]:
    """A run for each of the last INVOICED_MONTHS months before this one with marks, on
    the first of the month after it (never later than now); the demo household's older
    invoice paid at the counter a few days after it was issued."""
    now = timezone.now()
    this_month = _month_start(today)
    months = sorted({_month_start(day) for day in marked_days if day < this_month})
    issued = []
    for first in months[-INVOICED_MONTHS:]:
        end = _next_month(first) - datetime.timedelta(days=1)
        at = timezone.make_aware(
            datetime.datetime.combine(_next_month(first), datetime.time(8, 30))
        )
        at = min(at, now - datetime.timedelta(minutes=5))
        issued.append(runs.issue(first, end, actor=staff, channel=Channel.BACKOFFICE, now=at))
    invoices = list(
        Invoice.objects.filter(run__in=issued, household__name=DEMO_HOUSEHOLD).order_by(
            "issued_on", "pk"
        )
    )
    if len(invoices) >= 2:
        older = invoices[0]
        paid_at = min(
            timezone.make_aware(
                datetime.datetime.combine(
                    older.issued_on + datetime.timedelta(days=6), datetime.time(10, 15)
                )
            ),
            now - datetime.timedelta(minutes=1),
        )
        settling.record_counter_payment(
            older,
            amount_cents=older.remaining_cents,
            method="card",
            reference="Démo",
            actor=staff,
            channel=Channel.BACKOFFICE,
            now=paid_at,
        )
    return issued
