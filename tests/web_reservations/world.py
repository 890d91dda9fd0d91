"""The seed's family for page and API tests: household PAGES-TEST, Emy and Lise, the canteen
"Restauration Scolaire Malves" at 3,70 € (5,55 € late) on Monday, Tuesday, Thursday, Friday.

The pages use the clock, so the week is placed three weeks ahead of today: on time for
booking and cancelling (J-2 working days). Today is the suite's fixed instant (tests/clock.py),
whose weeks three to seven ahead are all school weeks.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from portail.accounts.models import User
from portail.activities.models import Activity, Session
from portail.families.models import Child, Household
from tests import factories
from tests.factories import paid_booking  # noqa: F401 (re-exported for the tests)

PASSWORD = "secret-pass-123"
CANTEEN = "Restauration Scolaire Malves"


def target_monday() -> datetime.date:
    today = timezone.localdate()
    return today - datetime.timedelta(days=today.weekday()) + datetime.timedelta(weeks=3)


def week_code(monday: datetime.date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def week_days(monday: datetime.date) -> list[datetime.date]:
    """Monday, Tuesday, Thursday, Friday: the canteen's days."""
    return [monday + datetime.timedelta(days=n) for n in (0, 1, 3, 4)]


@dataclass
class Family:
    household: Household
    user: User
    children: list[Child]
    activity: Activity
    sessions: dict[datetime.date, Session]
    monday: datetime.date
    extra: dict = field(default_factory=dict)

    @property
    def emy(self) -> Child:
        return self.children[0]

    @property
    def week(self) -> str:
        return week_code(self.monday)

    @property
    def days(self) -> list[datetime.date]:
        return week_days(self.monday)


def activity(name: str = CANTEEN, monday: datetime.date | None = None, **fields):
    """An activity with its tariff (3,70 €, late 5,55 €) and its sessions of the week."""
    monday = monday or target_monday()
    site = factories.site()
    fields.setdefault("default_capacity", 50)
    act = factories.activity(site, name=name, **fields)
    factories.tariff([act], [(0, None, 370, 555)])
    sessions = {
        day: factories.session(act, day)
        for day in week_days(monday)
        if day.weekday() in act.weekday_list
    }
    return act, sessions


def seed_family(
    names: tuple[str, ...] = ("Emy", "Lise"),
    household_name: str = "PAGES-TEST",
    email: str | None = None,
    act: tuple[Activity, dict[datetime.date, Session]] | None = None,
    **activity_fields,
) -> Family:
    monday = target_monday()
    act_, sessions = act or activity(monday=monday, **activity_fields)
    household = factories.household(name=household_name)
    user = factories.guardian(household, email=email, password=PASSWORD).user
    children = [
        factories.child(household, first_name=name, last_name=household_name) for name in names
    ]
    for kid in children:
        factories.enrolment(kid, act_)
    return Family(household, user, children, act_, sessions, monday)


def change(action: str, child: Child, session: Session) -> str:
    return f"{action}:{child.pk}:{session.pk}"
