"""preview_typical_week() and apply_typical_week(): the planning's rules, day by day."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portail.activities import calendar
from portail.activities.models import LatePolicy, Session
from portail.reservations.basket import Change, submit_changes
from portail.reservations.models import (
    Basket,
    BasketLine,
    BasketStatus,
    Booking,
    BookingStatus,
    Channel,
    HistoryAction,
    HistoryDetail,
    HistoryEntry,
    LineKind,
    TypicalWeek,
)
from portail.reservations.occupancy import taken_places
from portail.reservations.typical_week import (
    ACTION_CANCEL,
    ACTION_RESERVE,
    ACTION_WITHDRAW,
    CANCEL,
    RESERVE,
    NothingToDo,
    Pattern,
    TypicalWeekInvalid,
    apply_typical_week,
    default_period,
    preview_typical_week,
    remembered,
)
from tests import factories

from .world import (
    CANTEEN_DAYS,
    NOW,
    YEAR_END,
    YEAR_START,
    D,
    build,
    canteen,
    family,
    paid_booking,
    paris,
    weekdays_between,
)

pytestmark = pytest.mark.django_db


def preview(world, weekdays=CANTEEN_DAYS, start=YEAR_START, end=YEAR_END, **kwargs):
    kwargs.setdefault("mode", RESERVE)
    kwargs.setdefault("actor", world.user)
    kwargs.setdefault("now", NOW)
    patterns = kwargs.pop("patterns", None) or [
        Pattern(c.pk, world.activity.pk, tuple(weekdays)) for c in world.children
    ]
    return preview_typical_week(world.household, patterns=patterns, start=start, end=end, **kwargs)


def apply(world, weekdays=CANTEEN_DAYS, start=YEAR_START, end=YEAR_END, **kwargs):
    kwargs.setdefault("mode", RESERVE)
    kwargs.setdefault("actor", world.user)
    kwargs.setdefault("now", NOW)
    patterns = kwargs.pop("patterns", None) or [
        Pattern(c.pk, world.activity.pk, tuple(weekdays)) for c in world.children
    ]
    return apply_typical_week(world.household, patterns=patterns, start=start, end=end, **kwargs)


def skipped_codes(plan) -> dict[datetime.date, str]:
    return {s.date: s.code for s in plan.skipped}


def snapshot() -> tuple:
    return (
        list(Basket.objects.values_list("pk", "status").order_by("pk")),
        list(Booking.objects.values_list("pk", "status").order_by("pk")),
        list(BasketLine.objects.values_list("pk").order_by("pk")),
        HistoryEntry.objects.count(),
        TypicalWeek.objects.count(),
    )


# --- the preview ----------------------------------------------------------------------------


def test_preview_books_every_school_day_of_the_pattern_at_the_tariff_price():
    world = build()
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
    world = build()
    before = snapshot()
    preview(world)
    assert snapshot() == before


def test_preview_skips_school_holidays_and_public_holidays_with_their_name():
    world = build()
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
    world = build()
    closed = world.session(D(2026, 9, 10))
    calendar.close_sessions([closed], "Grève")
    plan = preview(world, start=D(2026, 9, 7), end=D(2026, 9, 11))
    assert skipped_codes(plan) == {D(2026, 9, 10): "closed"}
    assert plan.skipped[0].reason == "Grève"
    assert plan.skipped[0].session_id == closed.pk
    assert [d.date for d in plan.days] == [D(2026, 9, 7), D(2026, 9, 8), D(2026, 9, 11)]


def test_preview_skips_a_full_day_and_already_booked_days():
    world = build()
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
        now=NOW,
    )
    paid_booking(world.child, world.session(D(2026, 9, 10)))
    plan = preview(world, start=D(2026, 9, 7), end=D(2026, 9, 11))
    assert skipped_codes(plan) == {
        D(2026, 9, 8): "full",
        D(2026, 9, 10): "already_reserved",
    }
    assert [d.date for d in plan.days] == [D(2026, 9, 7), D(2026, 9, 11)]


def test_preview_refuses_days_past_the_deadline_when_late_booking_is_refused():
    world = build(late_policy=LatePolicy.REFUSE)
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
    world = build(late_policy=LatePolicy.SURCHARGE)
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
    activity = canteen()
    household, user, (child,) = family(activity, valid_from=D(2026, 9, 7), valid_to=D(2026, 9, 17))
    world_patterns = [Pattern(child.pk, activity.pk, CANTEEN_DAYS)]
    plan = preview_typical_week(
        household,
        patterns=world_patterns,
        start=D(2026, 9, 1),
        end=D(2026, 9, 25),
        mode=RESERVE,
        actor=user,
        now=NOW,
    )
    booked = [d.date for d in plan.days]
    assert booked == weekdays_between(D(2026, 9, 7), D(2026, 9, 17), CANTEEN_DAYS)
    outside = weekdays_between(D(2026, 9, 1), D(2026, 9, 4), CANTEEN_DAYS) + weekdays_between(
        D(2026, 9, 18), D(2026, 9, 25), CANTEEN_DAYS
    )
    assert skipped_codes(plan) == dict.fromkeys(outside, "not_enrolled")


def test_a_pattern_day_without_any_session_is_reported_as_no_session():
    world = build(end=D(2026, 9, 30))  # sessions generated up to the end of September only
    plan = preview(world, weekdays=(0,), start=D(2026, 9, 21), end=D(2026, 10, 12))
    assert skipped_codes(plan) == {D(2026, 10, 5): "no_session", D(2026, 10, 12): "no_session"}


def test_preview_query_count_does_not_grow_with_the_number_of_days():
    world = build(children=3)
    with CaptureQueriesContext(connection) as one_week:
        week = preview(world, start=D(2026, 9, 7), end=D(2026, 9, 11))
    with CaptureQueriesContext(connection) as school_year:
        year = preview(world)
    assert len(week.days) == 12
    assert len(year.days) > 400
    assert len(school_year.captured_queries) == len(one_week.captured_queries)
    assert len(school_year.captured_queries) <= 20


# --- applying -------------------------------------------------------------------------------


def test_applying_puts_every_day_in_one_open_basket_with_history_per_day():
    world = build(children=2)
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
    assert basket.expires_at == NOW + datetime.timedelta(minutes=30)


def test_applying_joins_the_open_basket_of_the_planning():
    world = build()
    monday = world.session(D(2026, 9, 7))
    first = submit_changes(
        world.household,
        add=[Change(world.child.pk, monday.pk)],
        cancel=[],
        actor=world.user,
        channel=Channel.WEB,
        now=NOW,
    )
    basket, plan = apply(world, start=D(2026, 9, 7), end=D(2026, 9, 11))
    assert basket.pk == first.pk
    assert skipped_codes(plan) == {D(2026, 9, 7): "already_reserved"}
    assert basket.lines.count() == 4


def test_applying_rechecks_under_the_lock_a_day_that_filled_after_the_preview():
    world = build()
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
        now=NOW,
    )
    basket, plan = apply(world, start=D(2026, 9, 7), end=D(2026, 9, 11))
    assert skipped_codes(plan) == {D(2026, 9, 8): "full"}
    assert [d.date for d in plan.days] == [D(2026, 9, 7), D(2026, 9, 10), D(2026, 9, 11)]
    assert taken_places([tuesday.pk], now=NOW) == {tuesday.pk: 1}


def test_applying_never_books_more_than_the_places_between_children_of_one_household():
    world = build(children=3)
    monday = world.session(D(2026, 9, 7))
    monday.capacity = 2
    monday.save()
    basket, plan = apply(world, start=D(2026, 9, 7), end=D(2026, 9, 7))
    assert len(plan.days) == 2
    assert [s.code for s in plan.skipped] == ["full"]
    assert taken_places([monday.pk], now=NOW) == {monday.pk: 2}


def test_applying_with_nothing_possible_raises_and_changes_nothing():
    world = build()
    before = snapshot()
    with pytest.raises(NothingToDo) as info:
        apply(world, weekdays=(0,), start=D(2026, 10, 19), end=D(2026, 10, 30))
    assert {s.code for s in info.value.plan.skipped} == {"holiday"}
    assert snapshot() == before


def test_a_whole_school_year_for_three_children_in_one_request():
    activity = canteen()
    alae = canteen(
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
        now=NOW,
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
    world = build(late_policy=LatePolicy.REFUSE)
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
    world = build()
    with pytest.raises(PermissionDenied):
        preview(world, bypass_deadlines=True)
    stranger = factories.guardian().user
    with pytest.raises(PermissionDenied):
        preview(world, actor=stranger)
    with pytest.raises(PermissionDenied):
        apply(world, actor=stranger)


# --- cancelling a weekday -------------------------------------------------------------------


def test_cancel_mode_cancels_only_the_cancellable_paid_days_with_their_credit():
    world = build()
    days = weekdays_between(D(2026, 9, 7), D(2026, 9, 18), (0,))  # Mondays 7 and 14
    for day in days:
        paid_booking(world.child, world.session(day), price=370)
    late = paid_booking(world.child, world.session(D(2026, 9, 21)), price=555, late=True)
    # Thursday 10 September, 11:00: Monday 14's cancellation closed (J-2 working days 10:00).
    now = paris(2026, 9, 10, 11, 0)
    basket, plan = apply(
        world, mode=CANCEL, weekdays=(0,), start=D(2026, 9, 7), end=D(2026, 9, 28), now=now
    )
    assert skipped_codes(plan) == {
        D(2026, 9, 7): "deadline_passed",
        D(2026, 9, 14): "deadline_passed",
        D(2026, 9, 28): "not_reserved",
    }
    assert [(d.date, d.price_cents, d.action) for d in plan.days] == [
        (D(2026, 9, 21), 555, ACTION_CANCEL)
    ]
    assert plan.credit_cents == 555
    line = basket.lines.get()
    assert (line.kind, line.quantity, line.booking_id) == (LineKind.CANCELLATION, -1, late.pk)
    entry = HistoryEntry.objects.get(session__date=D(2026, 9, 21))
    assert (entry.action, entry.detail, entry.channel) == (
        HistoryAction.REMOVE_RESERVATION,
        HistoryDetail.CANCELLATION_REQUESTED,
        Channel.TYPICAL_WEEK,
    )


def test_cancel_mode_withdraws_unpaid_requests_from_the_basket():
    world = build()
    basket, _plan = apply(world, start=D(2026, 9, 7), end=D(2026, 9, 18))
    basket, plan = apply(world, mode=CANCEL, weekdays=(1,), start=D(2026, 9, 7), end=D(2026, 9, 18))
    assert [(d.date, d.action) for d in plan.days] == [
        (D(2026, 9, 8), ACTION_WITHDRAW),
        (D(2026, 9, 15), ACTION_WITHDRAW),
    ]
    assert plan.credit_cents == 0
    assert plan.total_cents == 740
    assert basket.lines.count() == 6
    assert Booking.objects.filter(status=BookingStatus.RELEASED).count() == 2


# --- the remembered typical week ------------------------------------------------------------


def test_applying_remembers_the_typical_week_and_cancelling_forgets_the_weekday():
    world = build()
    apply(world, weekdays=(0, 1, 3), start=D(2026, 9, 7), end=D(2026, 9, 18))
    assert remembered(world.household) == {(world.child.pk, world.activity.pk): [0, 1, 3]}
    apply(world, mode=CANCEL, weekdays=(1,), start=D(2026, 9, 14), end=D(2026, 9, 18))
    assert remembered(world.household) == {(world.child.pk, world.activity.pk): [0, 3]}


def test_nothing_is_remembered_when_nothing_was_applied():
    world = build()
    with pytest.raises(NothingToDo):
        apply(world, weekdays=(0,), start=D(2026, 10, 19), end=D(2026, 10, 30))
    assert remembered(world.household) == {}


# --- checking the request -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"weekdays": (2,)}, "invalid_weekdays", "weekdays"),
        ({"start": D(2026, 9, 10), "end": D(2026, 9, 9)}, "invalid_period", "to"),
        ({"start": D(2026, 9, 1), "end": D(2027, 9, 2)}, "period_too_long", "to"),
        ({"mode": "maybe"}, "invalid_mode", "mode"),
        ({"weekdays": ()}, "no_pattern", "weekdays"),
    ],
)
def test_a_wrong_request_is_refused_before_anything_is_judged(change, code, field):
    world = build()
    with pytest.raises(TypicalWeekInvalid) as info:
        preview(world, **change)
    assert (info.value.code, info.value.field) == (code, field)
    assert info.value.message


def test_another_households_child_or_an_activity_without_enrolment_is_unknown():
    world = build()
    _other, _user, (stranger,) = family(world.activity)
    with pytest.raises(TypicalWeekInvalid) as info:
        preview(world, patterns=[Pattern(stranger.pk, world.activity.pk, (0,))])
    assert info.value.code == "unknown_child"
    elsewhere = canteen(name="Autre cantine")
    with pytest.raises(TypicalWeekInvalid) as info:
        preview(world, patterns=[Pattern(world.child.pk, elsewhere.pk, (0,))])
    assert info.value.code == "unknown_activity"


def test_an_activity_without_booking_cannot_have_a_typical_week():
    world = build()
    free = canteen(name="Garderie", requires_booking=False)
    factories.enrolment(world.child, free)
    with pytest.raises(TypicalWeekInvalid) as info:
        preview(world, patterns=[Pattern(world.child.pk, free.pk, (0,))])
    assert info.value.code == "no_booking_required"


# --- the default period ---------------------------------------------------------------------


def test_the_default_period_runs_from_the_next_bookable_day_to_the_end_of_the_school_year():
    world = build()
    assert default_period(world.household, now=NOW) == (YEAR_START, YEAR_END)
    # Wednesday 2 September 2026 at 11:00: Thursday 3 and Friday 4 are past J-2 10:00.
    assert default_period(world.household, now=paris(2026, 9, 2, 11, 0)) == (
        D(2026, 9, 7),
        YEAR_END,
    )


def test_the_default_period_stops_at_the_end_of_the_enrolment():
    activity = canteen()
    household, _user, _kids = family(activity, valid_from=D(2026, 9, 1), valid_to=D(2027, 3, 19))
    assert default_period(household, now=NOW) == (YEAR_START, D(2027, 3, 19))
