"""The days and instants the tests' worlds are placed on.

- The reference week: Monday 7 to Sunday 13 December 2026 (ISO 2026-W50). `NOW` (Tuesday
  1 December, 9:00) is on time for all of it (J-2 working days at 10:00); services are given
  `now`, so the suite's clock (tests/clock.py) does not matter to them.
- The school year 2026-2027 (zone C): Tuesday 1 September 2026 to Friday 2 July 2027.
  `YEAR_NOW` (Monday 24 August 2026, 9:00) is on time for the whole year. Days the tests rely
  on: the All Saints' holidays (17 October - 1 November 2026), Armistice (Wednesday 11
  November), Easter Monday (29 March 2027), Ascension (Thursday 6 May 2027, with the bridge
  on Friday 7 May), Whit Monday (17 May 2027).
- The pages' week: the pages and the API use the clock, so their week is placed three weeks
  ahead of today (the suite's fixed instant, tests/clock.py): on time for booking and
  cancelling, and its four weeks are all school weeks.
"""

import datetime

from django.utils import timezone

from tests.clock import paris

D = datetime.date
MINUTE = datetime.timedelta(minutes=1)

# The canteen's days: Monday, Tuesday, Thursday, Friday.
CANTEEN_DAYS = (0, 1, 3, 4)

MONDAY = D(2026, 12, 7)
TUESDAY = D(2026, 12, 8)
THURSDAY = D(2026, 12, 10)
FRIDAY = D(2026, 12, 11)
WEEK = [MONDAY, TUESDAY, THURSDAY, FRIDAY]
NOW = paris(2026, 12, 1, 9, 0)
# Monday's lunch is over: its attendance can be recorded.
MONDAY_AFTERNOON = paris(2026, 12, 7, 14, 0)

YEAR_START = D(2026, 9, 1)
YEAR_END = D(2027, 7, 2)
YEAR = (YEAR_START, YEAR_END)
YEAR_NOW = paris(2026, 8, 24, 9, 0)


def target_monday() -> datetime.date:
    """The Monday three weeks ahead of today's week."""
    today = timezone.localdate()
    return today - datetime.timedelta(days=today.weekday()) + datetime.timedelta(weeks=3)


def week_code(monday: datetime.date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def weekdays_between(start: datetime.date, end: datetime.date, weekdays) -> list[datetime.date]:
    """The days from `start` to `end` included whose weekday is one of `weekdays`."""
    days = []
    day = start
    while day <= end:
        if day.weekday() in weekdays:
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def week_days(monday: datetime.date, weeks: int = 1) -> list[datetime.date]:
    """The canteen's days of the `weeks` weeks from `monday`."""
    return weekdays_between(monday, monday + datetime.timedelta(weeks=weeks, days=-1), CANTEEN_DAYS)
