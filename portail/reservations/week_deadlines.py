"""When the booking of a week closes, per activity: what the reminders and the calendar
feed tell families ("the week of 14/12 can be booked until Tuesday 08/12 at 23:59").

A week's deadline, for an activity, is the normal-price booking deadline of its first open
day that week (rules.action_until: never after the day starts). Later days may close
later (a deadline counted per day); the first one is what a family must not miss.
Only activities that need a booking count.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from portail.activities.models import Activity, Enrolment, Session
from portail.reservations.rules import action_until
from portail.reservations.states import CellAction


@dataclass(frozen=True)
class WeekDeadline:
    activity: Activity
    monday: datetime.date
    closes: datetime.datetime  # aware
    sessions: tuple[Session, ...]  # the activity's open days that week, by date


def open_sessions(
    start: datetime.date, end: datetime.date, activity_ids: Iterable[int] | None = None
) -> list[Session]:
    """The open days from `start` to `end` (included) of the activities needing a booking."""
    sessions = Session.objects.filter(
        is_open=True, activity__requires_booking=True, date__range=(start, end)
    )
    if activity_ids is not None:
        sessions = sessions.filter(activity_id__in=list(activity_ids))
    return list(sessions.select_related("activity").order_by("date", "activity_id", "pk"))


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def week_deadlines(sessions: Iterable[Session]) -> list[WeekDeadline]:
    """Each (activity, week) of `sessions` with its deadline, by deadline."""
    groups: dict[tuple[int, datetime.date], list[Session]] = {}
    for session in sessions:
        groups.setdefault((session.activity_id, monday_of(session.date)), []).append(session)
    weeks = []
    for (_activity_id, monday), days in groups.items():
        days.sort(key=lambda s: (s.date, s.pk))
        first = days[0]
        closes = action_until(first, CellAction.RESERVE, late=False)
        weeks.append(WeekDeadline(first.activity, monday, closes, tuple(days)))
    weeks.sort(key=lambda w: (w.closes, w.monday, w.activity.pk))
    return weeks


def household_deadlines(
    household_id: int, now: datetime.datetime, weeks: int
) -> list[tuple[datetime.date, datetime.datetime, list[str]]]:
    """The deadlines still ahead of the weeks (up to `weeks` weeks from today) the
    household's children are enrolled in: (monday, closes, activities' names), the
    activities closing at the same moment together, by deadline."""
    today = timezone.localdate(now)
    end = today + datetime.timedelta(weeks=weeks)
    enrolments = list(
        Enrolment.objects.filter(
            child__household_id=household_id, valid_from__lte=end, valid_to__gte=today
        )
    )
    if not enrolments:
        return []
    groups: dict[tuple[datetime.date, datetime.datetime], list[str]] = {}
    for week in week_deadlines(open_sessions(today, end, {e.activity_id for e in enrolments})):
        enrolled = any(
            e.activity_id == week.activity.pk and e.covers(s.date)
            for e in enrolments
            for s in week.sessions
        )
        if enrolled and week.closes > now:
            names = groups.setdefault((week.monday, week.closes), [])
            if week.activity.name not in names:
                names.append(week.activity.name)
    return [(monday, closes, names) for (monday, closes), names in groups.items()]
