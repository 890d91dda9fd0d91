"""The French school calendar, and the sessions it gives each activity.

Public holidays come from the `holidays` package, school holidays by zone (A, B, C) from
`vacances-scolaires-france` (the Ministry's published calendar). Both are read once and
cached in memory: generating a whole school year for many activities costs no calendar
work per activity, only three or four queries.
"""

import datetime
import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import holidays
from django.db import transaction
from django.db.models import ForeignObjectRel, ManyToManyRel
from django.dispatch import Signal
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from vacances_scolaires_france import SchoolHolidayDates

from portail.accounts.models import User
from portail.activities.models import Activity, Session
from portail.core.locking import locked
from portail.core.models import Organisation, SchoolZone

# Sent after staff close sessions (inside the closing transaction), so that bookings on
# those days can become credits: sender=Session, sessions=list[Session], reason=str,
# actor=User | None (the staff member who closed them; None: a script).
sessions_closed = Signal()
# Sent once a reopening of closed sessions has committed (their places are free again,
# minus the bookings the reopening restored): sender=Session, sessions=list[Session],
# actor=User | None. A waiting list may offer the places left.
sessions_reopened = Signal()

# The names the Ministry's data gives each school-holiday period, as English msgids.
SCHOOL_HOLIDAY_NAMES = {
    "Vacances de la Toussaint": _("All Saints' holidays"),
    "Vacances de Noël": _("Christmas holidays"),
    "Vacances d'hiver": _("Winter holidays"),
    "Vacances de printemps": _("Spring holidays"),
    "Vacances d'été": _("Summer holidays"),
    "Pont de l'Ascension": _("Ascension bridge"),
}
SUMMER = "Vacances d'été"


class CalendarUnavailable(Exception):
    """The school-holiday data does not cover the dates asked for (or the zone is unknown)."""


def default_zone() -> str:
    """The organisation's school-holiday zone; zone C (Toulouse academy) when none is set."""
    org = Organisation.current()
    return org.school_zone if org else SchoolZone.C


# --- The two calendars -------------------------------------------------------------------


@functools.cache
def _school_data() -> SchoolHolidayDates:
    """Parsing the Ministry's CSV takes a moment: once per process."""
    return SchoolHolidayDates()


def _check_zone(zone: str) -> None:
    if zone not in SchoolHolidayDates.SUPPORTED_ZONES:
        raise CalendarUnavailable(f"Unknown school-holiday zone: {zone!r}")


@functools.cache
def _school_year_days(zone: str, year: int) -> dict[datetime.date, str]:
    """{day: French period name} for every school-holiday day of `zone` in `year`."""
    data = _school_data()
    if not data.min_year <= year <= data.max_year:
        raise CalendarUnavailable(
            f"No school-holiday data for {year} (known: {data.min_year}–{data.max_year})"
        )
    rows = data.holidays_for_year_and_zone(year, zone)
    return {day: row["nom_vacances"] for day, row in rows.items()}


@functools.cache
def _summers(zone: str) -> tuple[tuple[datetime.date, datetime.date], ...]:
    """Every summer-holiday period of `zone` the data knows, as (first day, last day)."""
    data = _school_data()
    days = sorted(
        day
        for year in range(data.min_year, data.max_year + 1)
        for day, name in _school_year_days(zone, year).items()
        if name == SUMMER
    )
    periods: list[tuple[datetime.date, datetime.date]] = []
    for day in days:
        if periods and day == periods[-1][1] + datetime.timedelta(days=1):
            periods[-1] = (periods[-1][0], day)
        else:
            periods.append((day, day))
    return tuple(periods)


@functools.cache
def _public_year(year: int, language: str) -> dict[datetime.date, str]:
    # The language is always explicit: the package otherwise follows the process locale.
    return dict(holidays.France(years=year, language=language).items())


def _days(start: datetime.date, end: datetime.date) -> Iterator[datetime.date]:
    for offset in range((end - start).days + 1):
        yield start + datetime.timedelta(days=offset)


def public_holidays(start: datetime.date, end: datetime.date) -> dict[datetime.date, str]:
    """Every French public holiday (jour férié) from `start` to `end`, named in the UI language."""
    language = "en_US" if (get_language() or "fr").startswith("en") else "fr"
    found: dict[datetime.date, str] = {}
    for year in range(start.year, end.year + 1):
        for day, name in _public_year(year, language).items():
            if start <= day <= end:
                found[day] = name
    return found


def school_holidays(
    zone: str, start: datetime.date, end: datetime.date
) -> dict[datetime.date, str]:
    """Every school-holiday day of `zone` from `start` to `end`, with its period's name."""
    _check_zone(zone)
    found: dict[datetime.date, str] = {}
    for year in range(start.year, end.year + 1):
        for day, name in _school_year_days(zone, year).items():
            if start <= day <= end:
                found[day] = str(SCHOOL_HOLIDAY_NAMES.get(name, name))
    return found


def closed_days(zone: str, start: datetime.date, end: datetime.date) -> dict[datetime.date, str]:
    """Public holidays and school-holiday days in range; a public holiday's name wins."""
    return {**school_holidays(zone, start, end), **public_holidays(start, end)}


def school_year_bounds(day: datetime.date, zone: str) -> tuple[datetime.date, datetime.date]:
    """The school year containing `day`: the day after the summer holidays up to the day
    before the next ones. A day in the summer holidays belongs to the year that follows."""
    _check_zone(zone)
    summers = _summers(zone)
    begun = [s for s in summers if s[0] <= day]
    following = [s for s in summers if begun and s[0] > begun[-1][1]]
    if not begun or not following:
        raise CalendarUnavailable(f"No school-holiday data for the school year around {day}")
    return begun[-1][1] + datetime.timedelta(days=1), following[0][0] - datetime.timedelta(days=1)


def school_year_starting_in(year: int, zone: str) -> tuple[datetime.date, datetime.date]:
    """The school year that starts in September of `year` (1 December is always inside it)."""
    return school_year_bounds(datetime.date(year, 12, 1), zone)


# --- Sessions ----------------------------------------------------------------------------


@dataclass
class GenerationReport:
    """What generate_sessions did for one activity over one range of days."""

    created: int = 0
    existing: int = 0  # days the rules give that already had a session (left untouched)
    skipped: dict[datetime.date, str] = field(default_factory=dict)  # activity days closed
    removed: int = 0
    kept_used: list[datetime.date] = field(default_factory=list)  # off-rule but in use


def _reverse_relations() -> list[ForeignObjectRel]:
    """Every foreign key that points at Session, hidden ones included.

    A many-to-many to Session is seen through its through table's foreign key, so only
    one-to-many and one-to-one relations are needed. Read at call time: reservations and
    attendance models of other apps add theirs."""
    return [
        rel
        for rel in Session._meta.get_fields(include_hidden=True)
        if isinstance(rel, ForeignObjectRel) and not isinstance(rel, ManyToManyRel)
    ]


def used_session_ids(session_ids: Iterable[int]) -> set[int]:
    """The ids among `session_ids` that any row anywhere references (one query per relation)."""
    ids = set(session_ids)
    used: set[int] = set()
    for rel in _reverse_relations():
        if not ids - used:
            break
        remote = rel.field
        used.update(
            rel.related_model._base_manager.filter(**{f"{remote.name}__in": ids - used})
            .values_list(remote.attname, flat=True)
            .distinct()
        )
    return used


def session_is_used(session: Session) -> bool:
    """True when any other row (a reservation, an attendance...) references this session."""
    return bool(used_session_ids([session.pk]))


def rule_days(
    activity: Activity, start: datetime.date, end: datetime.date, zone: str | None = None
) -> tuple[list[datetime.date], dict[datetime.date, str]]:
    """(days the activity runs, {activity weekday skipped: why}) from `start` to `end`."""
    zone = zone or activity.site.organisation.school_zone
    weekdays = set(activity.weekday_list)
    public = public_holidays(start, end)
    school = {} if activity.open_in_school_holidays else school_holidays(zone, start, end)
    days: list[datetime.date] = []
    skipped: dict[datetime.date, str] = {}
    for day in _days(start, end):
        if day.weekday() not in weekdays:
            continue
        reason = public.get(day) or school.get(day)
        if reason:
            skipped[day] = reason
        else:
            days.append(day)
    return days, skipped


def generate_sessions(
    activity: Activity, start: datetime.date, end: datetime.date, *, prune: bool = False
) -> GenerationReport:
    """Create the activity's missing sessions from `start` to `end` included.

    One session per activity weekday, except public holidays and, unless the activity is
    open in the holidays, school-holiday days; capacity is the activity's default. Existing
    sessions are never changed (staff may have edited capacity or closed the day). With
    `prune`, sessions in range the rules would not create are deleted unless something
    references them (those are kept and listed). The activity row is locked, so two runs
    for the same activity cannot both insert."""
    if start > end:
        raise ValueError("start must not be after end")
    days, skipped = rule_days(activity, start, end)
    report = GenerationReport(skipped=skipped)
    with transaction.atomic():
        locked(Activity.objects.filter(pk=activity.pk))
        in_range = dict(
            Session.objects.filter(activity=activity, date__range=(start, end)).values_list(
                "date", "pk"
            )
        )
        wanted = set(days)
        missing = [day for day in days if day not in in_range]
        report.existing = len(days) - len(missing)
        Session.objects.bulk_create(
            [
                Session(activity=activity, date=d, capacity=activity.default_capacity)
                for d in missing
            ],
            batch_size=500,
        )
        report.created = len(missing)
        if prune:
            extra = {pk: day for day, pk in in_range.items() if day not in wanted}
            if extra:
                locked(Session.objects.filter(pk__in=extra))
                used = used_session_ids(extra)
                unused = [pk for pk in extra if pk not in used]
                Session.objects.filter(pk__in=unused).delete()
                report.removed = len(unused)
                report.kept_used = sorted(extra[pk] for pk in used)
    return report


def close_sessions(sessions: Iterable[Session], reason: str, *, actor: User | None = None) -> int:
    """Close these sessions for `reason` (strike, outing...); returns how many were open.

    Sends `sessions_closed` so that bookings on those days can become credits; `actor`
    (the staff member closing them, a User) goes with it for the families' history.
    Staff close days through portail.backoffice.sessions.close_session(), which also
    withdraws the day's requests, e-mails the families and refuses a day already attended."""
    reason = reason.strip()
    if not reason:
        raise ValueError("A closed day needs a reason.")
    ids = [s.pk for s in sessions]
    with transaction.atomic():
        rows = [s for s in locked(Session.objects.filter(pk__in=ids)) if s.is_open]
        Session.objects.filter(pk__in=[s.pk for s in rows]).update(
            is_open=False, closed_reason=reason
        )
        for s in rows:
            s.is_open, s.closed_reason = False, reason
        if rows:
            sessions_closed.send(sender=Session, sessions=rows, reason=reason, actor=actor)
    return len(rows)


def reopen_sessions(sessions: Iterable[Session], *, actor: User | None = None) -> list[Session]:
    """Open these sessions again; returns those that were closed (now open).

    Once the reopening has committed, sends `sessions_reopened` with them: their places
    are free again. Staff reopen days through portail.billing.reopening
    .reopen_closed_sessions() (the back office's reopen_session() and the admin), which
    first restores the bookings the closure cancelled where the families' credit allows:
    calling this alone leaves them cancelled and credited."""
    ids = [s.pk for s in sessions]
    with transaction.atomic():
        rows = [s for s in locked(Session.objects.filter(pk__in=ids)) if not s.is_open]
        Session.objects.filter(pk__in=[s.pk for s in rows]).update(is_open=True, closed_reason="")
        for s in rows:
            s.is_open, s.closed_reason = True, ""
        if rows:
            transaction.on_commit(
                lambda: sessions_reopened.send(sender=Session, sessions=rows, actor=actor)
            )
    return rows
