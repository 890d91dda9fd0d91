"""The basket scenario's households, on a tiny city: their 20 days are really bookable.

No timing here: figures come from `python -m bench`, never from the test suite.
"""

import datetime

import pytest

from bench.city import generate_city
from bench.scenarios.basket import LEAD_DAYS, bookable_days
from portail.activities.models import Enrolment, Session
from portail.families.models import Guardian, Household
from portail.reservations.basket import submit_changes
from portail.reservations.judging import Change
from portail.reservations.models import Channel

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 26)
DAYS = 20


def test_each_household_gets_twenty_distinct_enrolled_open_days_in_date_order():
    generate_city(0.004, seed=7, today=TODAY)
    start = TODAY + datetime.timedelta(days=LEAD_DAYS)
    plans = bookable_days(start, DAYS)
    assert plans, "the tiny city has households with 20 bookable days"
    sessions = Session.objects.in_bulk()
    for household_id, changes in plans.items():
        assert len(changes) == DAYS
        pairs = [(c["child_id"], c["session_id"]) for c in changes]
        assert len(set(pairs)) == DAYS
        dates = [sessions[session_id].date for _child, session_id in pairs]
        assert dates == sorted(dates) and dates[0] >= start
        for child_id, session_id in pairs:
            session = sessions[session_id]
            assert session.is_open
            assert Enrolment.objects.filter(
                child_id=child_id,
                child__household_id=household_id,
                activity_id=session.activity_id,
                valid_from__lte=session.date,
                valid_to__gte=session.date,
            ).exists()


def test_the_service_accepts_every_day_the_scenario_will_submit():
    generate_city(0.004, seed=7, today=TODAY)
    start = TODAY + datetime.timedelta(days=LEAD_DAYS)
    household_id, changes = sorted(bookable_days(start, DAYS).items())[0]
    household = Household.objects.get(pk=household_id)
    guardian = Guardian.objects.filter(household=household).select_related("user").first()
    now = datetime.datetime.combine(TODAY, datetime.time(9), tzinfo=datetime.UTC)
    basket = submit_changes(
        household,
        add=[Change(c["child_id"], c["session_id"]) for c in changes],
        cancel=[],
        actor=guardian.user,
        channel=Channel.API,
        now=now,
    )
    assert basket.lines.count() == DAYS
