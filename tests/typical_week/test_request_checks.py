"""Checking the request: a wrong one is refused with its code and field before anything
is judged."""

import pytest

from portail.reservations.typical_plan import Pattern, TypicalWeekInvalid
from tests import factories
from tests.world.commune import build, canteen, family
from tests.world.days import YEAR, D

from .calls import preview

pytestmark = pytest.mark.django_db


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
    world = build(period=YEAR)
    with pytest.raises(TypicalWeekInvalid) as info:
        preview(world, **change)
    assert (info.value.code, info.value.field) == (code, field)
    assert info.value.message


def test_another_households_child_or_an_activity_without_enrolment_is_unknown():
    world = build(period=YEAR)
    _other, _user, (stranger,) = family(world.activity)
    with pytest.raises(TypicalWeekInvalid) as info:
        preview(world, patterns=[Pattern(stranger.pk, world.activity.pk, (0,))])
    assert info.value.code == "unknown_child"
    elsewhere, _sessions = canteen(period=YEAR, name="Autre cantine")
    with pytest.raises(TypicalWeekInvalid) as info:
        preview(world, patterns=[Pattern(world.child.pk, elsewhere.pk, (0,))])
    assert info.value.code == "unknown_activity"


def test_an_activity_without_booking_cannot_have_a_typical_week():
    world = build(period=YEAR)
    free, _sessions = canteen(period=YEAR, name="Garderie", requires_booking=False)
    factories.enrolment(world.child, free)
    with pytest.raises(TypicalWeekInvalid) as info:
        preview(world, patterns=[Pattern(world.child.pk, free.pk, (0,))])
    assert info.value.code == "no_booking_required"
