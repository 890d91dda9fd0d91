"""The history of a child's bookings, as the recap PDF, its page and the API show it.

One row per HistoryEntry ("Type d'action"), read in the order the seed's PDF prints them:
by day, then by when the action was taken. Rows are plain values (no model instances)
so that a whole school year (several hundred rows) is read in two queries and formatted
quickly: the entries, and the attendance marks that fill the "Absence" column.

The rows are never filtered by who acted: the family sees what staff and the portal did
on its children's days too ("Service gestionnaire", "Automatique").
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext

from portail.activities.models import Enrolment
from portail.core.money import format_cents
from portail.families.models import Child
from portail.reservations.models import (
    Attendance,
    Channel,
    HistoryAction,
    HistoryDetail,
    HistoryEntry,
)


@dataclass(frozen=True)
class RecapRow:
    """One action on one child's day."""

    date: datetime.date  # the day booked ("Jour")
    activity: str
    action: str  # HistoryAction code
    who: str  # the guardian's e-mail, "Service gestionnaire" or "Automatique (portail)"
    when: datetime.datetime  # aware, Europe/Paris
    channel: str  # Channel code
    price_cents: int | None
    detail: str  # HistoryDetail code, or ""
    absent: bool | None  # the day's attendance mark: True absent, False present, None none

    @property
    def action_label(self) -> str:
        return _label(HistoryAction, self.action)

    @property
    def channel_label(self) -> str:
        return _label(Channel, self.channel)

    @property
    def detail_label(self) -> str:
        """Why the row was written; "" for a reason code not (yet) in HistoryDetail."""
        return _label(HistoryDetail, self.detail, default="") if self.detail else ""

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


_FIELDS = (
    "session_id",
    "session__date",
    "session__activity__name",
    "action",
    "actor_kind",
    "actor_label",
    "created_at",
    "channel",
    "price_cents",
    "detail",
)


def _who(actor_kind: str, actor_label: str, cache: dict[tuple[str, str], str]) -> str:
    """HistoryEntry.who (the one definition), computed once per distinct actor."""
    key = (actor_kind, actor_label)
    if key not in cache:
        cache[key] = HistoryEntry(actor_kind=actor_kind, actor_label=actor_label).who
    return cache[key]


def _rows(child_id: int, entries: Iterable[tuple], sessions_filter: dict) -> list[RecapRow]:
    marks = dict(
        Attendance.objects.filter(child_id=child_id, **sessions_filter).values_list(
            "session_id", "present"
        )
    )
    who_cache: dict[tuple[str, str], str] = {}
    paris = timezone.get_current_timezone()
    rows = []
    for (
        session_id,
        day,
        activity,
        action,
        actor_kind,
        actor_label,
        created_at,
        channel,
        price_cents,
        detail,
    ) in entries:
        present = marks.get(session_id)
        rows.append(
            RecapRow(
                date=day,
                activity=activity,
                action=action,
                who=_who(actor_kind, actor_label, who_cache),
                when=timezone.localtime(created_at, paris),
                channel=channel,
                price_cents=price_cents,
                detail=detail,
                absent=None if present is None else not present,
            )
        )
    return rows


def enrolment_rows(enrolment: Enrolment) -> list[RecapRow]:
    """Every action on the child's days of the enrolment's activity, inside its validity."""
    sessions_filter = {
        "session__activity_id": enrolment.activity_id,
        "session__date__gte": enrolment.valid_from,
        "session__date__lte": enrolment.valid_to,
    }
    entries = (
        HistoryEntry.objects.filter(child_id=enrolment.child_id, **sessions_filter)
        .order_by("session__date", "created_at", "pk")
        .values_list(*_FIELDS)
    )
    return _rows(enrolment.child_id, entries, sessions_filter)


def child_rows(
    child: Child, start: datetime.date | None = None, end: datetime.date | None = None
) -> list[RecapRow]:
    """Every action on the child's days from `start` to `end` (both included; None: no
    limit), every activity, by day, then start time of the activity, then when."""
    sessions_filter: dict = {}
    if start is not None:
        sessions_filter["session__date__gte"] = start
    if end is not None:
        sessions_filter["session__date__lte"] = end
    entries = (
        HistoryEntry.objects.filter(child_id=child.pk, **sessions_filter)
        .order_by("session__date", "session__activity__start_time", "created_at", "pk")
        .values_list(*_FIELDS)
    )
    return _rows(child.pk, entries, sessions_filter)


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
    """The "Absence" column: Yes / No once attendance is recorded, else a dash."""
    if absent is None:
        return "–"
    return gettext("Yes") if absent else gettext("No")
