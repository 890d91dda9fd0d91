"""The remembered typical week: applying remembers the weekdays, cancelling forgets them."""

import pytest

from portail.reservations.typical_plan import CANCEL, NothingToDo
from portail.reservations.typical_week import remembered
from tests.world.commune import build
from tests.world.days import YEAR, D

from .calls import apply

pytestmark = pytest.mark.django_db


def test_applying_remembers_the_typical_week_and_cancelling_forgets_the_weekday():
    world = build(period=YEAR)
    apply(world, weekdays=(0, 1, 3), start=D(2026, 9, 7), end=D(2026, 9, 18))
    assert remembered(world.household) == {(world.child.pk, world.activity.pk): [0, 1, 3]}
    apply(world, mode=CANCEL, weekdays=(1,), start=D(2026, 9, 14), end=D(2026, 9, 18))
    assert remembered(world.household) == {(world.child.pk, world.activity.pk): [0, 3]}


def test_nothing_is_remembered_when_nothing_was_applied():
    world = build(period=YEAR)
    with pytest.raises(NothingToDo):
        apply(world, weekdays=(0,), start=D(2026, 10, 19), end=D(2026, 10, 30))
    assert remembered(world.household) == {}
