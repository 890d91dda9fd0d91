"""default_period(): from the next bookable day to the end of the school year or of the
enrolment."""

import pytest

from portail.reservations.typical_week import default_period
from tests.clock import paris
from tests.world.commune import build, canteen, family
from tests.world.days import YEAR, YEAR_END, YEAR_NOW, YEAR_START, D

pytestmark = pytest.mark.django_db


def test_the_default_period_runs_from_the_next_bookable_day_to_the_end_of_the_school_year():
    world = build(period=YEAR)
    assert default_period(world.household, now=YEAR_NOW) == (YEAR_START, YEAR_END)
    # Wednesday 2 September 2026 at 11:00: Thursday 3 and Friday 4 are past J-2 10:00.
    assert default_period(world.household, now=paris(2026, 9, 2, 11, 0)) == (
        D(2026, 9, 7),
        YEAR_END,
    )


def test_the_default_period_stops_at_the_end_of_the_enrolment():
    activity, _sessions = canteen(period=YEAR)
    household, _user, _kids = family(activity, valid_from=D(2026, 9, 1), valid_to=D(2027, 3, 19))
    assert default_period(household, now=YEAR_NOW) == (YEAR_START, D(2027, 3, 19))
