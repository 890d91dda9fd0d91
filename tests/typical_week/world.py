"""A commune's school year 2026-2027 (zone C) for typical-week tests.

The canteen runs Monday, Tuesday, Thursday and Friday at 12:00, J-2 working days at 10:00
for booking and cancelling, 3,70 € (5,55 € late); its sessions come from the real session
generation, so school holidays and public holidays have none. The school year runs from
Tuesday 1 September 2026 to Friday 2 July 2027. `NOW` (Monday 24 August 2026, 9:00) is
on time for the whole year.

Days the tests rely on: the All Saints' holidays (17 October – 1 November 2026), Armistice
(Wednesday 11 November), Easter Monday (29 March 2027), Ascension (Thursday 6 May 2027,
with the bridge on Friday 7 May), Whit Monday (17 May 2027).
"""

import datetime
from dataclasses import dataclass, field

from portail.accounts.models import User
from portail.activities import calendar
from portail.activities.models import Activity, Session
from portail.families.models import Child, Household
from tests import factories
from tests.clock import paris
from tests.factories import paid_booking  # noqa: F401 (re-exported for the tests)

D = datetime.date
YEAR_START = D(2026, 9, 1)
YEAR_END = D(2027, 7, 2)
CANTEEN_DAYS = (0, 1, 3, 4)


NOW = paris(2026, 8, 24, 9, 0)


@dataclass
class World:
    activity: Activity
    household: Household
    user: User
    children: list[Child]
    extra: dict = field(default_factory=dict)

    @property
    def child(self) -> Child:
        return self.children[0]

    def session(self, day: datetime.date, activity: Activity | None = None) -> Session:
        return Session.objects.get(activity=activity or self.activity, date=day)


def canteen(start: datetime.date = YEAR_START, end: datetime.date = YEAR_END, **fields) -> Activity:
    fields.setdefault("default_capacity", 50)
    activity = factories.activity(**fields)
    factories.tariff([activity], [(0, None, 370, 555)])
    calendar.generate_sessions(activity, start, end)
    return activity


def family(activity: Activity, children: int = 1, enrolled: bool = True, **enrolment):
    household = factories.household()
    user = factories.guardian(household).user
    kids = [factories.child(household, first_name=f"Enfant{n + 1}") for n in range(children)]
    if enrolled:
        for kid in kids:
            factories.enrolment(kid, activity, **enrolment)
    return household, user, kids


def build(children: int = 1, **activity_fields) -> World:
    activity = canteen(**activity_fields)
    household, user, kids = family(activity, children)
    return World(activity, household, user, kids)


def weekdays_between(start: datetime.date, end: datetime.date, weekdays) -> list[datetime.date]:
    days = []
    day = start
    while day <= end:
        if day.weekday() in weekdays:
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


# --- the pages and the API use the clock (the suite's fixed instant, tests/clock.py) ---------


@dataclass
class LiveWorld:
    """A family whose period starts three weeks ahead of today (the suite's clock,
    tests/clock.py: four school weeks), with sessions generated for four weeks."""

    activity: Activity
    household: Household
    user: User
    children: list[Child]
    start: datetime.date  # a Monday
    end: datetime.date  # the Sunday four weeks later

    def sessions(self, weekdays=CANTEEN_DAYS, activity: Activity | None = None) -> list[Session]:
        return [
            s
            for s in Session.objects.filter(
                activity=activity or self.activity, date__range=(self.start, self.end)
            ).order_by("date")
            if s.date.weekday() in weekdays
        ]


def live(children: tuple[str, ...] = ("Emy", "Lise"), **activity_fields) -> LiveWorld:
    from django.utils import timezone

    today = timezone.localdate()
    start = today - datetime.timedelta(days=today.weekday()) + datetime.timedelta(weeks=3)
    end = start + datetime.timedelta(days=27)
    activity_fields.setdefault("name", "Restauration Scolaire Malves")
    activity = canteen(start, end, **activity_fields)
    household = factories.household(name="PAGES-TEST")
    user = factories.guardian(household, password="secret-pass-123").user
    kids = [factories.child(household, first_name=n, last_name="PAGES-TEST") for n in children]
    for kid in kids:
        factories.enrolment(kid, activity)
    return LiveWorld(activity, household, user, kids, start, end)
