"""A justified absence: a gestionnaire's decision (justify_absence).

An attendance agent records an absence with a medical certificate and credits nothing;
the absence then waits for a gestionnaire, who decides it here: the booking's price
becomes the household's credit, once, and the mark is final.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portail.accounts.models import User
from portail.activities.models import Session
from portail.activities.pricing import PriceBook
from portail.backoffice.attendance.marks import (
    MarksRefused,
    judge,
    locked_sheet,
    waiting_cancellations,
)
from portail.backoffice.attendance.sheet import Mark
from portail.backoffice.attendance.writing import Recorded, write
from portail.backoffice.permissions import can_justify_absence
from portail.billing.invoicing import billed


def justify_absence(
    session: Session | int,
    child_id: int,
    *,
    actor: User,
    now: datetime.datetime | None = None,
) -> Recorded:
    """A gestionnaire's decision: the absence of `child_id` on `session` (marked absent,
    with or without the certificate recorded by an agent) is justified, and the booking's
    price becomes credit, once; the mark is then final. A day invoiced after the fact
    (Booking.invoiced) credits nothing: it is marked justified, hence not invoiced.
    History (ATTENDANCE_ABSENT, justified_absence) and the staff's audit trail are written.

    Raises PermissionDenied unless `actor` decides justified absences
    (permissions.can_justify_absence); MarksRefused (nothing changed) when the child has
    no paid booking marked absent on this day, when the price was already credited, when
    a cancellation of the day waits in the family's basket, when the day is already
    invoiced (code already_invoiced: billing.invoicing.billed), or when the day is closed
    or to come; Session.DoesNotExist for an unknown session.
    """
    now = now or timezone.now()
    session_id = session if isinstance(session, int) else session.pk
    child_id = int(child_id)
    Session.objects.only("pk").get(pk=session_id)
    if not can_justify_absence(actor):
        raise PermissionDenied("Only a gestionnaire decides a justified absence")
    with transaction.atomic():
        session, sheet = locked_sheet(session_id, [child_id], now, True)
        row = sheet.row(child_id)
        if row is None:
            raise MarksRefused(
                {child_id: _("This child is neither booked nor enrolled on this day.")}
            )
        if row.final:
            raise MarksRefused(
                {child_id: _("This absence is already justified and its price credited.")}
            )
        if row.invoiced and row.mark == Mark.ABSENT_JUSTIFIED:
            raise MarksRefused(
                {child_id: _("This absence is already justified: the day is not invoiced.")}
            )
        if row.billed is not None and not row.billed_allows(Mark.ABSENT_JUSTIFIED):
            raise MarksRefused({child_id: row.billed.message}, {child_id: billed.CODE})
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
        plan, reason = judge(
            row,
            Mark.ABSENT_JUSTIFIED,
            book,
            session,
            waiting_cancellations(sheet),
            can_credit=True,
            decision=True,
        )
        if plan is None:
            raise MarksRefused({child_id: reason})
        (result,) = write(session, [plan], actor, now)
    return result
