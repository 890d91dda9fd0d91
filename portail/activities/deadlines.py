"""Booking and cancellation deadlines, as the field expresses them (DeadlineKind).

All times are Europe/Paris wall-clock times (settings.TIME_ZONE); the results are aware
datetimes. "N hours before" counts real elapsed hours: 72 h before Monday 26 October 2026
at 12:00 is Friday 23 October at 13:00, because the night of the change lasts 25 hours.
Every other kind is a calendar day at a wall-clock time, so "the day before at 15:00" stays
15:00 across a DST change. A wall-clock time that does not exist (02:30 on the last Sunday
of March) is read with the offset before the change (it is 03:30 summer time); an ambiguous
one (02:30 on the last Sunday of October) is its first occurrence (summer time).

Working days skip Saturdays, Sundays and French public holidays (the `holidays` package,
metropolitan France).
"""

import datetime
import functools
import zoneinfo

import holidays
from django.conf import settings

from portail.activities.models import Activity, DeadlineKind


def paris() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def at(day: datetime.date, time: datetime.time) -> datetime.datetime:
    """The aware datetime of a Paris wall-clock time on a day (fold=0, see module doc)."""
    return datetime.datetime.combine(day, time).replace(tzinfo=paris())


@functools.lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("FR", years=year).keys())


def is_public_holiday(day: datetime.date) -> bool:
    return day in _public_holidays(day.year)


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and not is_public_holiday(day)


def working_days_before(day: datetime.date, count: int) -> datetime.date:
    """The `count`-th working day before `day` (0: `day` itself)."""
    current = day
    remaining = count
    while remaining > 0:
        current -= datetime.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def deadline(
    kind: str, value: int, time: datetime.time, start: datetime.datetime
) -> datetime.datetime:
    """The deadline of this kind for a session starting at `start` (aware)."""
    day = start.astimezone(paris()).date()
    if kind == DeadlineKind.NONE:
        return start
    if kind == DeadlineKind.HOURS_BEFORE:
        # Real elapsed hours: compute in UTC, then show in Paris time.
        utc = start.astimezone(datetime.UTC) - datetime.timedelta(hours=value)
        return utc.astimezone(paris())
    if kind == DeadlineKind.DAYS_BEFORE:
        return at(day - datetime.timedelta(days=value), time)
    if kind == DeadlineKind.WORKING_DAYS_BEFORE:
        return at(working_days_before(day, value), time)
    if kind == DeadlineKind.WEEKDAY_BEFORE_WEEK:
        monday = day - datetime.timedelta(days=day.weekday())
        return at(monday - datetime.timedelta(days=7) + datetime.timedelta(days=value % 7), time)
    raise ValueError(f"unknown deadline kind {kind!r}")


def session_start(activity: Activity, day: datetime.date) -> datetime.datetime:
    return at(day, activity.start_time)


def booking_deadline(activity: Activity, day: datetime.date) -> datetime.datetime:
    """Until this moment (excluded) a booking is on time; after it the late policy applies."""
    return deadline(
        activity.booking_deadline_kind,
        activity.booking_deadline_value,
        activity.booking_deadline_time,
        session_start(activity, day),
    )


def cancel_deadline(activity: Activity, day: datetime.date) -> datetime.datetime:
    """Until this moment (excluded) the parent may cancel a booking."""
    return deadline(
        activity.cancel_deadline_kind,
        activity.cancel_deadline_value,
        activity.cancel_deadline_time,
        session_start(activity, day),
    )
