"""apply_typical_week(): every possible day into one open basket, judged again under the
lock; staff may bypass deadlines, a guardian only acts for its own household."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from portail.activities.models import LatePolicy, Session
from portail.reservations.basket import submit_changes
from portail.reservations.judging import Change
from portail.reservations.models import (
    BasketStatus,
    Booking,
    BookingStatus,
    Channel,
    HistoryAction,
    HistoryDetail,
    HistoryEntry,
    LineKind,
)
from portail.reservations.occupancy import taken_places
from portail.reservations.typical_plan import RESERVE, NothingToDo, Pattern
from portail.reservations.typical_week import apply_typical_week
from tests import factories
from tests.clock import paris
from tests.world.commune import build, canteen, family
from tests.world.days import YEAR, YEAR_END, YEAR_NOW, YEAR_START, D

from .calls import apply, preview, skipped_codes, snapshot

pytestmark = pytest.mark.django_db


def test_applying_puts_every_day_in_one_open_basket_with_history_per_day():
    world = build(children=2, period=YEAR)
    expected = preview(world)
    basket, plan = apply(world)
    assert basket.status == BasketStatus.OPEN
    assert [(d.child.pk, d.session_id) for d in plan.days] == [
        (d.child.pk, d.session_id) for d in expected.days
    ]
    lines = basket.lines.all()
    assert lines.count() == len(plan.days)
    assert set(lines.values_list("kind", "quantity", "unit_price_cents")) == {
        (LineKind.RESERVATION, 1, 370)
    }
    assert Booking.objects.filter(basket=basket, status=BookingStatus.REQUESTED).count() == len(
        plan.days
    )
    history = HistoryEntry.objects.filter(channel=Channel.TYPICAL_WEEK)
    assert history.count() == len(plan.days)
    assert set(history.values_list("action", "detail", "actor_id", "price_cents")) == {
        (HistoryAction.ADD_RESERVATION, HistoryDetail.REQUESTED, world.user.pk, 370)
    }
    assert basket.expires_at == YEAR_NOW + datetime.timedelta(minutes=30)


def test_applying_joins_the_open_basket_of_the_planning():
    world = build(period=YEAR)
    monday = world.session(D(2026, 9, 7))
    first = submit_changes(
        world.household,
        add=[Change(world.child.pk, monday.pk)],
        cancel=[],
        actor=world.user,
        channel=Channel.WEB,
        now=YEAR_NOW,
    )
    basket, plan = apply(world, start=D(2026, 9, 7), end=D(2026, 9, 11))
    assert basket.pk == first.pk
    assert skipped_codes(plan) == {D(2026, 9, 7): "already_reserved"}
    assert basket.lines.count() == 4


def test_applying_rechecks_under_the_lock_a_day_that_filled_after_the_preview():
    world = build(period=YEAR)
    tuesday = world.session(D(2026, 9, 8))
    tuesday.capacity = 1
    tuesday.save()
    before = preview(world, start=D(2026, 9, 7), end=D(2026, 9, 11))
    assert D(2026, 9, 8) in [d.date for d in before.days]
    other, other_user, (other_child,) = family(world.activity)
    submit_changes(
        other,
        add=[Change(other_child.pk, tuesday.pk)],
        cancel=[],
        actor=other_user,
        channel=Channel.WEB,
        now=YEAR_NOW,
    )
    basket, plan = apply(world, start=D(2026, 9, 7), end=D(2026, 9, 11))
    assert skipped_codes(plan) == {D(2026, 9, 8): "full"}
    assert [d.date for d in plan.days] == [D(2026, 9, 7), D(2026, 9, 10), D(2026, 9, 11)]
    assert taken_places([tuesday.pk], now=YEAR_NOW) == {tuesday.pk: 1}


def test_applying_never_books_more_than_the_places_between_children_of_one_household():
    world = build(children=3, period=YEAR)
    monday = world.session(D(2026, 9, 7))
    monday.capacity = 2
    monday.save()
    basket, plan = apply(world, start=D(2026, 9, 7), end=D(2026, 9, 7))
    assert len(plan.days) == 2
    assert [s.code for s in plan.skipped] == ["full"]
    assert taken_places([monday.pk], now=YEAR_NOW) == {monday.pk: 2}


def test_applying_with_nothing_possible_raises_and_changes_nothing():
    world = build(period=YEAR)
    before = snapshot()
    with pytest.raises(NothingToDo) as info:
        apply(world, weekdays=(0,), start=D(2026, 10, 19), end=D(2026, 10, 30))
    assert {s.code for s in info.value.plan.skipped} == {"holiday"}
    assert snapshot() == before


def test_a_whole_school_year_for_three_children_in_one_request():
    activity, _sessions = canteen(period=YEAR)
    alae, _sessions = canteen(
        period=YEAR,
        name="ALAE soir",
        weekdays="0,1,3,4",
        start_time=datetime.time(16, 30),
        end_time=datetime.time(18, 30),
    )
    household, user, kids = family(activity, children=3)
    for kid in kids:
        factories.enrolment(kid, alae)
    patterns = [
        Pattern(kids[0].pk, activity.pk, (0, 1, 3, 4)),
        Pattern(kids[1].pk, activity.pk, (0, 1, 3, 4)),
        Pattern(kids[2].pk, activity.pk, (0, 1)),
        Pattern(kids[2].pk, alae.pk, (1,)),
    ]
    basket, plan = apply_typical_week(
        household,
        patterns=patterns,
        start=YEAR_START,
        end=YEAR_END,
        mode=RESERVE,
        actor=user,
        now=YEAR_NOW,
    )
    canteen_days = Session.objects.filter(activity=activity).count()
    tuesdays = Session.objects.filter(activity=alae, date__week_day=3).count()
    mondays_tuesdays = Session.objects.filter(activity=activity, date__week_day__in=[2, 3]).count()
    assert len(plan.days) == 2 * canteen_days + mondays_tuesdays + tuesdays
    assert basket.lines.count() == len(plan.days)
    assert plan.total_cents == 370 * len(plan.days)
    assert HistoryEntry.objects.filter(channel=Channel.TYPICAL_WEEK).count() == len(plan.days)
    assert {s.code for s in plan.skipped} == {"holiday"}


def test_staff_may_apply_for_a_household_bypassing_deadlines_at_the_normal_price():
    world = build(late_policy=LatePolicy.REFUSE, period=YEAR)
    agent = factories.staff()
    now = paris(2026, 9, 2, 11, 0)
    basket, plan = apply(
        world,
        start=D(2026, 9, 3),
        end=D(2026, 9, 4),
        now=now,
        actor=agent,
        bypass_deadlines=True,
        channel=Channel.BACKOFFICE,
    )
    assert [(d.date, d.price_cents, d.late) for d in plan.days] == [
        (D(2026, 9, 3), 370, False),
        (D(2026, 9, 4), 370, False),
    ]
    entry = HistoryEntry.objects.get(session__date=D(2026, 9, 3))
    assert (entry.actor_kind, entry.channel) == ("staff", Channel.BACKOFFICE)


def test_a_guardian_may_not_bypass_deadlines_nor_act_for_another_household():
    world = build(period=YEAR)
    with pytest.raises(PermissionDenied):
        preview(world, bypass_deadlines=True)
    stranger = factories.guardian().user
    with pytest.raises(PermissionDenied):
        preview(world, actor=stranger)
    with pytest.raises(PermissionDenied):
        apply(world, actor=stranger)
