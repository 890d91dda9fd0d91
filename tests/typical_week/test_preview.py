"""preview_typical_week(): the planning's rules, day by day, before anything changes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portail.activities import calendar
from portail.activities.models import LatePolicy, Session
from portail.reservations.basket import submit_changes
from portail.reservations.judging import Change
from portail.reservations.models import Channel
from portail.reservations.typical_plan import ACTION_RESERVE, RESERVE, Pattern
from portail.reservations.typical_week import preview_typical_week
from tests.clock import paris
from tests.configuration import keep_configuration
from tests.factories import paid_booking
from tests.world.commune import build, canteen, family
from tests.world.days import CANTEEN_DAYS, YEAR, YEAR_NOW, YEAR_START, D, weekdays_between

from .calls import preview, skipped_codes, snapshot

pytestmark = pytest.mark.django_db


def test_preview_books_every_school_day_of_the_pattern_at_the_tariff_price():
    world = build(period=YEAR)
    plan = preview(world, weekdays=(0, 1, 3, 4))
    sessions = list(
        Session.objects.filter(activity=world.activity).order_by("date").values_list("date")
    )
    assert [d.date for d in plan.days] == [s[0] for s in sessions]
    assert {d.price_cents for d in plan.days} == {370}
    assert not any(d.late for d in plan.days)
    assert {d.action for d in plan.days} == {ACTION_RESERVE}
    assert plan.total_cents == 370 * len(plan.days)


def test_preview_changes_nothing():
    world = build(period=YEAR)
    before = snapshot()
    preview(world)
    assert snapshot() == before


def test_preview_skips_school_holidays_and_public_holidays_with_their_name():
    world = build(period=YEAR)
    plan = preview(world, weekdays=(0, 3, 4))
    skipped = {s.date: s for s in plan.skipped}
    # All Saints' holidays: every canteen weekday from 19 October to 30 October 2026.
    for day in weekdays_between(D(2026, 10, 19), D(2026, 10, 30), (0, 3, 4)):
        assert skipped[day].code == "holiday"
        assert skipped[day].reason == str(calendar.SCHOOL_HOLIDAY_NAMES["Vacances de la Toussaint"])
    # Public holidays in term time: Easter Monday, Ascension (and its bridge), Whit Monday.
    assert skipped[D(2027, 3, 29)].code == "holiday"
    assert skipped[D(2027, 3, 29)].reason == "Lundi de Pâques"
    assert skipped[D(2027, 5, 6)].reason == "Ascension"
    assert skipped[D(2027, 5, 7)].code == "holiday"  # the Ascension bridge
    assert skipped[D(2027, 5, 17)].reason == "Lundi de Pentecôte"
    booked = {d.date for d in plan.days}
    assert not booked & set(skipped)
    assert D(2027, 3, 25) in booked  # an ordinary Thursday


def test_preview_skips_a_day_closed_by_the_service_with_its_reason():
    world = build(period=YEAR)
    closed = world.session(D(2026, 9, 10))
    calendar.close_sessions([closed], "Grève")
    plan = preview(world, start=D(2026, 9, 7), end=D(2026, 9, 11))
    assert skipped_codes(plan) == {D(2026, 9, 10): "closed"}
    assert plan.skipped[0].reason == "Grève"
    assert plan.skipped[0].session_id == closed.pk
    assert [d.date for d in plan.days] == [D(2026, 9, 7), D(2026, 9, 8), D(2026, 9, 11)]


def test_preview_skips_a_full_day_and_already_booked_days():
    world = build(period=YEAR)
    full = world.session(D(2026, 9, 8))
    full.capacity = 1
    full.save()
    other, other_user, (other_child,) = family(world.activity)
    submit_changes(
        other,
        add=[Change(other_child.pk, full.pk)],
        cancel=[],
        actor=other_user,
        channel=Channel.WEB,
        now=YEAR_NOW,
    )
    paid_booking(world.child, world.session(D(2026, 9, 10)))
    plan = preview(world, start=D(2026, 9, 7), end=D(2026, 9, 11))
    assert skipped_codes(plan) == {
        D(2026, 9, 8): "full",
        D(2026, 9, 10): "already_reserved",
    }
    assert [d.date for d in plan.days] == [D(2026, 9, 7), D(2026, 9, 11)]


def test_preview_refuses_days_past_the_deadline_when_late_booking_is_refused():
    world = build(late_policy=LatePolicy.REFUSE, period=YEAR)
    # Wednesday 2 September, 11:00: Thursday 3 and Friday 4 closed at J-2 working days 10:00.
    now = paris(2026, 9, 2, 11, 0)
    plan = preview(world, start=D(2026, 9, 3), end=D(2026, 9, 11), now=now)
    assert skipped_codes(plan) == {
        D(2026, 9, 3): "deadline_passed",
        D(2026, 9, 4): "deadline_passed",
    }
    assert plan.skipped[0].reason
    assert [d.date for d in plan.days] == [
        D(2026, 9, 7),
        D(2026, 9, 8),
        D(2026, 9, 10),
        D(2026, 9, 11),
    ]


def test_preview_gives_the_late_price_past_the_deadline_when_late_booking_is_surcharged():
    world = build(late_policy=LatePolicy.SURCHARGE, period=YEAR)
    now = paris(2026, 9, 2, 11, 0)
    plan = preview(world, start=D(2026, 9, 3), end=D(2026, 9, 8), now=now)
    assert [(d.date, d.price_cents, d.late) for d in plan.days] == [
        (D(2026, 9, 3), 555, True),
        (D(2026, 9, 4), 555, True),
        (D(2026, 9, 7), 370, False),
        (D(2026, 9, 8), 370, False),
    ]
    assert plan.late_count == 2
    assert plan.total_cents == 555 * 2 + 370 * 2


def test_preview_skips_days_outside_the_enrolment():
    activity, _sessions = canteen(period=YEAR)
    household, user, (child,) = family(activity, valid_from=D(2026, 9, 7), valid_to=D(2026, 9, 17))
    world_patterns = [Pattern(child.pk, activity.pk, CANTEEN_DAYS)]
    plan = preview_typical_week(
        household,
        patterns=world_patterns,
        start=D(2026, 9, 1),
        end=D(2026, 9, 25),
        mode=RESERVE,
        actor=user,
        now=YEAR_NOW,
    )
    booked = [d.date for d in plan.days]
    assert booked == weekdays_between(D(2026, 9, 7), D(2026, 9, 17), CANTEEN_DAYS)
    outside = weekdays_between(D(2026, 9, 1), D(2026, 9, 4), CANTEEN_DAYS) + weekdays_between(
        D(2026, 9, 18), D(2026, 9, 25), CANTEEN_DAYS
    )
    assert skipped_codes(plan) == dict.fromkeys(outside, "not_enrolled")


def test_a_pattern_day_without_any_session_is_reported_as_no_session():
    # Sessions generated up to the end of September only.
    world = build(period=(YEAR_START, D(2026, 9, 30)))
    plan = preview(world, weekdays=(0,), start=D(2026, 9, 21), end=D(2026, 10, 12))
    assert skipped_codes(plan) == {D(2026, 10, 5): "no_session", D(2026, 10, 12): "no_session"}


def test_preview_query_count_does_not_grow_with_the_number_of_days():
    world = build(children=3, period=YEAR)
    keep_configuration()
    with CaptureQueriesContext(connection) as one_week:
        week = preview(world, start=D(2026, 9, 7), end=D(2026, 9, 11))
    with CaptureQueriesContext(connection) as school_year:
        year = preview(world)
    assert len(week.days) == 12
    assert len(year.days) > 400
    assert len(school_year.captured_queries) == len(one_week.captured_queries)
    assert len(school_year.captured_queries) <= 20
