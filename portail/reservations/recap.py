"""The history of a child's bookings, as the recap PDF, its page and the API show it.

One row per event a parent cares about on a child's day, read in the order the seed's PDF
prints them (by day, then by when): a reservation asked (and, on the same row, how it was
confirmed: paid online, at the counter, validated with credit, invoiced later), a request
removed before it was confirmed, a cancellation (and on the same row its credit, once
validated), a day closed by the service, and the day's attendance: present, or absent
("Non utilisé" ticked). The history writes a row when a request enters the basket and
another when the basket is paid; the recap shows them as one row ("Ajout : RESERVATION",
paid online), never twice. Staff's corrections of an attendance mark make one row, the
last mark. A day marked without any attendance history (older data) still shows its
mark, from Attendance.

Rows are plain values (no model instances) so that a whole school year (several hundred
rows) is read in two queries (the history, and the attendance marks) and laid out quickly.

The rows are never filtered by who acted: the family sees what staff and the portal did
on its children's days too ("Service gestionnaire", "Automatique (portail)").
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext

from portail.activities.models import Enrolment
from portail.core.money import format_cents
from portail.families.models import Child
from portail.reservations.models import (
    Channel,
    HistoryAction,
    HistoryDetail,
)
from portail.reservations.recap_events import EVENTS, build_rows

__all__ = ["EVENTS", "EnrolmentRecap", "RecapRow", "child_rows", "enrolment_rows"]


@dataclass(frozen=True)
class RecapRow:
    """One event on one child's day."""

    date: datetime.date  # the day booked ("Jour")
    activity: str  # the activity booked: the seed's "Option"
    action: str  # HistoryAction code ("Type d'action")
    who: str  # the guardian's e-mail, "Service gestionnaire" or "Automatique (portail)"
    when: datetime.datetime  # aware, Europe/Paris: when the action was taken
    channel: str  # Channel code: how the action came in
    price_cents: int | None
    detail: str  # HistoryDetail code, or "": the outcome (paid online...) or the reason
    # The "Non utilisé" column: True on the day's absence, False on its presence, None on
    # every other row.
    absent: bool | None
    event: str = ""  # one of EVENTS ("booked", "cancelled", "absent"...)
    credit_cents: int | None = None  # the credit ("avoir") the event gave, if any
    # When the request or cancellation of this row was confirmed (its basket paid or
    # validated), when that is not the minute it was asked; else None.
    validated_at: datetime.datetime | None = None
    pending: bool = False  # asked, its basket not validated yet

    @property
    def option(self) -> str:
        """The seed's "Option": what was booked on the day (the activity)."""
        return self.activity

    @property
    def action_label(self) -> str:
        return _label(HistoryAction, self.action)

    @property
    def channel_label(self) -> str:
        return _label(Channel, self.channel)

    @property
    def detail_label(self) -> str:
        """The outcome or the reason, in the active language; "" when there is none (or
        for a reason code not (yet) in HistoryDetail)."""
        if self.pending and self.detail != HistoryDetail.WAITING_OFFER:
            if self.detail == HistoryDetail.CANCELLATION_REQUESTED:
                return gettext("Cancellation requested: basket not validated yet")
            return gettext("Reservation requested: basket not validated yet")
        label = _label(HistoryDetail, self.detail, default="") if self.detail else ""
        if label and self.validated_at is not None:
            label = gettext("%(what)s on %(date)s at %(time)s") % {
                "what": label,
                "date": self.validated_at.strftime("%d/%m/%Y"),
                "time": self.validated_at.strftime("%H:%M"),
            }
        return label

    @property
    def credit_text(self) -> str:
        """ "Credit: €3.70" when the event gave credit, else ""."""
        if not self.credit_cents:
            return ""
        return gettext("Credit: %(amount)s") % {"amount": format_cents(self.credit_cents)}

    @property
    def price_text(self) -> str:
        """The price in the active language, a dash when the action has none."""
        return "–" if self.price_cents is None else format_cents(self.price_cents)

    @property
    def absence_text(self) -> str:
        return absence_label(self.absent)


def _label(choices: type, code: str, default: str | None = None) -> str:
    """The translated label of a stored code; `default` (else the code itself) when the
    code is not (yet) one of the choices."""
    try:
        return str(choices(code).label)
    except ValueError:
        return code if default is None else default


@dataclass(frozen=True)
class EnrolmentRecap:
    """Everything the recap PDF of one enrolment prints."""

    enrolment: Enrolment
    child_name: str  # "PAGES-TEST Emy", as the seed's "Nom Prénom"
    activity: str
    site: str
    valid_from: datetime.date
    valid_to: datetime.date
    rows: list[RecapRow]


def enrolment_rows(enrolment: Enrolment) -> list[RecapRow]:
    """Every event on the child's days of the enrolment's activity, inside its validity."""
    sessions_filter = {
        "session__activity_id": enrolment.activity_id,
        "session__date__gte": enrolment.valid_from,
        "session__date__lte": enrolment.valid_to,
    }
    return build_rows(enrolment.child_id, sessions_filter, RecapRow)


def child_rows(
    child: Child, start: datetime.date | None = None, end: datetime.date | None = None
) -> list[RecapRow]:
    """Every event on the child's days from `start` to `end` (both included; None: no
    limit), every activity, by day, then start time of the activity, then when."""
    sessions_filter: dict = {}
    if start is not None:
        sessions_filter["session__date__gte"] = start
    if end is not None:
        sessions_filter["session__date__lte"] = end
    return build_rows(child.pk, sessions_filter, RecapRow)


def enrolment_recap(enrolment: Enrolment) -> EnrolmentRecap:
    """The recap of one enrolment (`enrolment` with child and activity__site selected)."""
    child = enrolment.child
    return EnrolmentRecap(
        enrolment=enrolment,
        child_name=f"{child.last_name} {child.first_name}",
        activity=enrolment.activity.name,
        site=enrolment.activity.site.name,
        valid_from=enrolment.valid_from,
        valid_to=enrolment.valid_to,
        rows=enrolment_rows(enrolment),
    )


def household_enrolments(household_id: int):
    """The household's enrolments, scoped: another household's id is simply not there."""
    return Enrolment.objects.filter(child__household_id=household_id).select_related(
        "child", "activity__site"
    )


def absence_label(absent: bool | None) -> str:
    """The "Non utilisé" column: Yes on the day's absence, No on its presence, else a dash."""
    if absent is None:
        return "–"
    return gettext("Yes") if absent else gettext("No")
