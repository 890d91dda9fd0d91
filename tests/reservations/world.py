"""A small commune for reservation tests: one canteen, one household with children.

The reference week is Monday 7 to Sunday 13 December 2026 (ISO 2026-W50); the canteen
runs Monday, Tuesday, Thursday and Friday at 12:00, J-2 working days at 10:00 for both
booking and cancelling, 3,70 € (5,55 € late). `NOW` (Tuesday 1 December, 9:00) is on time
for the whole week.
"""

import datetime
from dataclasses import dataclass, field

from portail.accounts.models import User
from portail.activities.models import Activity, Session
from portail.families.models import Child, Household
from tests import factories
from tests.clock import PARIS, paris  # noqa: F401 (re-exported for the tests)
from tests.factories import paid_booking  # noqa: F401 (re-exported for the tests)

D = datetime.date
MONDAY = D(2026, 12, 7)
TUESDAY = D(2026, 12, 8)
THURSDAY = D(2026, 12, 10)
FRIDAY = D(2026, 12, 11)
WEEK = [MONDAY, TUESDAY, THURSDAY, FRIDAY]


NOW = paris(2026, 12, 1, 9, 0)


@dataclass
class World:
    activity: Activity
    household: Household
    user: User
    children: list[Child]
    sessions: dict[datetime.date, Session]
    extra: dict = field(default_factory=dict)

    @property
    def child(self) -> Child:
        return self.children[0]


def canteen(capacity: int = 50, **fields) -> tuple[Activity, dict[datetime.date, Session]]:
    activity = factories.activity(default_capacity=capacity, **fields)
    factories.tariff([activity], [(0, None, 370, 555)])
    sessions = {day: factories.session(activity, day) for day in WEEK}
    return activity, sessions


def family(activity: Activity, children: int = 1, enrolled: bool = True, **fields):
    household = factories.household(**fields)
    user = factories.guardian(household).user
    kids = [factories.child(household) for _ in range(children)]
    if enrolled:
        for kid in kids:
            factories.enrolment(kid, activity)
    return household, user, kids


def build(children: int = 1, capacity: int = 50, **activity_fields) -> World:
    activity, sessions = canteen(capacity, **activity_fields)
    household, user, kids = family(activity, children)
    return World(activity, household, user, kids, sessions)
