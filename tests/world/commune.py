"""A canteen and a family enrolled in it: the World most tests start from.

The canteen runs Monday, Tuesday, Thursday and Friday at 12:00, J-2 working days at 10:00
for booking and cancelling, at 3,70 € (5,55 € late). Its sessions are on the days a test
gives, or over a period the ones the calendar generates (none in the school or public
holidays).

- `build`: a canteen and a family on the reference week, or over a period such as the
  school year (tests/world/days.py).
- `seed_family`: the seed's family for page and API tests: household PAGES-TEST, Emy and
  Lise, the canteen "Restauration Scolaire Malves", on the pages' week three weeks ahead of
  today (or more weeks from there).
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from portail.accounts.models import User
from portail.activities import calendar
from portail.activities.models import Activity, Session
from portail.families.models import Child, Household
from tests import factories
from tests.world.days import CANTEEN_DAYS, WEEK, target_monday, week_code, week_days

PASSWORD = "secret-pass-123"
CANTEEN = "Restauration Scolaire Malves"


@dataclass
class World:
    """A canteen, its sessions by day, and a household whose children are enrolled in it.
    `monday` is the first of the `weeks` weeks the pages show (seed_family only)."""

    activity: Activity
    household: Household
    user: User
    children: list[Child]
    sessions: dict[datetime.date, Session]
    monday: datetime.date | None = None
    weeks: int = 1
    extra: dict = field(default_factory=dict)

    @property
    def child(self) -> Child:
        return self.children[0]

    @property
    def emy(self) -> Child:
        """The seed family's first child, Emy."""
        return self.children[0]

    @property
    def week(self) -> str:
        """The ISO code of the first week, as the planning's `week` parameter."""
        return week_code(self.monday)

    @property
    def days(self) -> list[datetime.date]:
        """The canteen's days of the first week."""
        return week_days(self.monday)

    @property
    def start(self) -> datetime.date:
        return self.monday

    @property
    def end(self) -> datetime.date:
        """The last Sunday of the weeks."""
        return self.monday + datetime.timedelta(weeks=self.weeks, days=-1)

    def session(self, day: datetime.date, activity: Activity | None = None) -> Session:
        return Session.objects.get(activity=activity or self.activity, date=day)

    def sessions_on(self, weekdays=CANTEEN_DAYS, activity: Activity | None = None) -> list[Session]:
        """The sessions from `start` to `end` on `weekdays`, by date."""
        return [
            s
            for s in Session.objects.filter(
                activity=activity or self.activity, date__range=(self.start, self.end)
            ).order_by("date")
            if s.date.weekday() in weekdays
        ]


def canteen(
    days=(), *, period: tuple[datetime.date, datetime.date] | None = None, **fields
) -> tuple[Activity, dict[datetime.date, Session]]:
    """A canteen (3,70 €, 5,55 € late) and its sessions by day: one on each of `days` it
    runs on, or over `period` (start, end) the ones the calendar generates."""
    fields.setdefault("default_capacity", 50)
    activity = factories.activity(**fields)
    factories.tariff([activity], [(0, None, 370, 555)])
    runs = activity.weekday_list
    sessions = {day: factories.session(activity, day) for day in days if day.weekday() in runs}
    if period is not None:
        calendar.generate_sessions(activity, *period)
        sessions = {s.date: s for s in Session.objects.filter(activity=activity).order_by("date")}
    return activity, sessions


def family(
    activity: Activity | Sequence[Activity],
    children: int = 1,
    *,
    names=None,
    household_name: str | None = None,
    email: str | None = None,
    enrolled: bool = True,
    household_fields: dict | None = None,
    **enrolment,
) -> tuple[Household, User, list[Child]]:
    """A household (with `household_fields`, e.g. its quotient_familial), its guardian
    (password PASSWORD) and its children, named `names` or Enfant1, Enfant2...; enrolled in
    `activity` (one or several) unless not `enrolled` (`enrolment`: valid_from, valid_to)."""
    fields = dict(household_fields or {})
    if household_name:
        fields["name"] = household_name
    household = factories.household(**fields)
    user = factories.guardian(household, email=email, password=PASSWORD).user
    names = names or [f"Enfant{n + 1}" for n in range(children)]
    kids = [factories.child(household, first_name=name) for name in names]
    activities = [activity] if isinstance(activity, Activity) else list(activity)
    if enrolled:
        for kid in kids:
            for one in activities:
                factories.enrolment(kid, one, **enrolment)
    return household, user, kids


def build(
    children: int = 1,
    capacity: int = 50,
    *,
    period: tuple[datetime.date, datetime.date] | None = None,
    **activity_fields,
) -> World:
    """A canteen of `capacity` places and a family of `children` enrolled in it, on the
    reference week (tests/world/days.py), or over `period` (e.g. days.YEAR)."""
    activity_fields.setdefault("default_capacity", capacity)
    activity, sessions = canteen(WEEK if period is None else (), period=period, **activity_fields)
    household, user, kids = family(activity, children)
    return World(activity, household, user, kids, sessions)


def seed_family(
    names=("Emy", "Lise"),
    household_name: str = "PAGES-TEST",
    email: str | None = None,
    act: tuple[Activity, dict[datetime.date, Session]] | None = None,
    weeks: int = 1,
    **activity_fields,
) -> World:
    """The seed's family on the pages' week (and `weeks` - 1 more): in a new canteen named
    CANTEEN, or in `act` (a canteen and its sessions, e.g. another family's)."""
    monday = target_monday()
    if act is None:
        activity_fields.setdefault("name", CANTEEN)
        act = canteen(week_days(monday, weeks), **activity_fields)
    activity, sessions = act
    household, user, kids = family(
        activity, names=names, household_name=household_name, email=email
    )
    return World(activity, household, user, kids, sessions, monday, weeks)


def seed_days(fam: World) -> list[tuple[Child, Session]]:
    """The seed's basket: Emy and Lise, Thursday and Friday (4 x 3,70 = 14,80)."""
    return [(kid, fam.sessions[day]) for day in fam.days[2:] for kid in fam.children]
