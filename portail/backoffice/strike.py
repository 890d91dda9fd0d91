"""Closing many days at once (a strike): a date range across chosen sites and activities.

Each open session in the range is closed by sessions.close_session(), exactly as from its
own page (bookings cancelled and credited, requests withdrawn, the day in the staff's
trail); a day it refuses (attendance recorded, already invoiced) is reported and left
open, the others are closed. The families are not e-mailed day by day: once all the days
are closed, each household concerned gets ONE e-mail listing its children's days (each
guardian in their own language, kept in "Mes documents"), and one line in the staff's
trail. preview() says beforehand which days would be closed and how many bookings and
families they concern, without changing anything.

Call close_days() outside transaction.atomic(): each day is closed in its own
transactions, in the usual lock order (sessions.py).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portail.accounts.models import User
from portail.activities.models import Activity, Session
from portail.backoffice.households import Refused
from portail.backoffice.sessions import (
    ClosedDay,
    Closure,
    close_session,
    notify_closed_days,
    session_label,
)
from portail.core.models import Site
from portail.core.money import format_cents
from portail.families.models import Document
from portail.reservations.models import Booking, BookingStatus

MAX_DAYS = 366  # a range longer than a year is a typing mistake


@dataclass(frozen=True)
class Choice:
    """What to close: validated by the form (session_forms.StrikeForm)."""

    start: datetime.date
    end: datetime.date
    sites: list[Site]
    activities: list[Activity]  # empty: every activity of the sites
    reason: str = ""


def sessions_for(choice: Choice) -> list[Session]:
    """The open sessions the choice covers, by date, site and activity."""
    rows = Session.objects.filter(date__range=(choice.start, choice.end), is_open=True)
    if choice.activities:
        rows = rows.filter(activity__in=choice.activities)
    else:
        rows = rows.filter(activity__site__in=choice.sites)
    return list(
        rows.select_related("activity__site").order_by(
            "date", "activity__site__name", "activity__start_time", "activity__name", "pk"
        )
    )


@dataclass(frozen=True)
class PreviewDay:
    session: Session
    reserved: int
    requested: int


@dataclass(frozen=True)
class Preview:
    days: list[PreviewDay]
    bookings: int  # reserved bookings that would be cancelled and credited
    requests: int  # requests awaiting payment that would be withdrawn
    families: int  # households concerned


def preview(choice: Choice) -> Preview:
    """What close_days() would close (nothing changed). The service still refuses, when
    closing, a day with attendance or invoiced; those are reported then."""
    sessions = sessions_for(choice)
    ids = [s.pk for s in sessions]
    active = Booking.objects.filter(
        session_id__in=ids, status__in=[BookingStatus.RESERVED, BookingStatus.REQUESTED]
    )
    counts = {
        row["session_id"]: row
        for row in active.values("session_id").annotate(
            reserved=Count("pk", filter=Q(status=BookingStatus.RESERVED)),
            requested=Count("pk", filter=Q(status=BookingStatus.REQUESTED)),
        )
    }
    days = [
        PreviewDay(
            s, counts.get(s.pk, {}).get("reserved", 0), counts.get(s.pk, {}).get("requested", 0)
        )
        for s in sessions
    ]
    families = active.values("child__household_id").distinct().count()
    return Preview(
        days,
        sum(d.reserved for d in days),
        sum(d.requested for d in days),
        families,
    )


@dataclass
class StrikeResult:
    closed: list[Closure] = field(default_factory=list)
    refused: list[tuple[Session, str]] = field(default_factory=list)
    # household id -> [(session, its child's day)], in date order
    households: dict[int, list[tuple[Session, ClosedDay]]] = field(default_factory=dict)
    documents: list[Document] = field(default_factory=list)

    @property
    def cancelled(self) -> int:
        return sum(c.cancelled for c in self.closed)

    @property
    def withdrawn(self) -> int:
        return sum(c.withdrawn for c in self.closed)

    @property
    def credited_cents(self) -> int:
        return sum(c.credited_cents for c in self.closed)


def close_days(
    choice: Choice, *, actor: User, now: datetime.datetime | None = None
) -> StrikeResult:
    """Close every open session of the choice for its reason (module docstring). Raises
    Refused for a missing or too long reason (nothing changed)."""
    now = now or timezone.now()
    result = StrikeResult()
    days: dict[int, list[tuple[Session, ClosedDay]]] = defaultdict(list)
    for session in sessions_for(choice):
        try:
            closure = close_session(session, choice.reason, actor=actor, now=now, notify=False)
        except Refused as refusal:
            if refusal.field == "reason":
                raise
            result.refused.append((session, refusal.message))
            continue
        except Session.DoesNotExist:
            continue
        result.closed.append(closure)
        for household_id, closed_days in closure.households.items():
            days[household_id] += [(closure.session, day) for day in closed_days]
    result.households = dict(days)
    _notify(result, choice.reason, actor, now)
    return result


def _notify(result: StrikeResult, reason: str, actor: User, now: datetime.datetime) -> None:
    """One e-mail per household, listing its days; one line in its staff trail."""

    def summary(days: list, total: int) -> str:
        return ngettext(
            "%(count)d day closed: %(credit)s credited; the family was e-mailed "
            "once for all its days.",
            "%(count)d days closed: %(credit)s credited; the family was e-mailed "
            "once for all its days.",
            len(days),
        ) % {"count": len(days), "credit": format_cents(total)}

    result.documents.extend(
        notify_closed_days(
            result.households,
            reason,
            actor,
            now,
            template="backoffice/sessions_strike_email",
            summary=summary,
        )
    )


def refusal_text(session: Session, message: str) -> str:
    return _("%(day)s was not closed: %(reason)s") % {
        "day": session_label(session),
        "reason": message,
    }
