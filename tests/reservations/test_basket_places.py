"""Places: the last place goes to the first, a withdrawal frees its place in the same
submission."""

import pytest

from portail.reservations.basket import submit_changes
from portail.reservations.judging import Change
from portail.reservations.models import Channel
from tests.world.booking import submit
from tests.world.commune import build, family
from tests.world.days import MONDAY, NOW

from .calls import refusals

pytestmark = pytest.mark.django_db


def test_full_day_refused_for_the_household_arriving_after_the_last_place():
    world = build(capacity=1)
    other_household, other_user, (other,) = family(world.activity)
    submit_changes(
        other_household,
        add=[Change(other.pk, world.sessions[MONDAY].pk)],
        cancel=[],
        actor=other_user,
        channel=Channel.WEB,
        now=NOW,
    )
    assert refusals(world, add=[(world.child, world.sessions[MONDAY])]) == [
        (world.child.pk, world.sessions[MONDAY].pk, "full")
    ]


def test_two_children_for_the_last_place_refuse_the_second():
    world = build(children=2, capacity=1)
    emy, lise = world.children
    monday = world.sessions[MONDAY]
    assert refusals(world, add=[(emy, monday), (lise, monday)]) == [(lise.pk, monday.pk, "full")]


def test_a_withdrawal_frees_its_place_for_an_add_in_the_same_submission():
    world = build(children=2, capacity=1)
    emy, lise = world.children
    monday = world.sessions[MONDAY]
    submit(world, add=[(emy, monday)])
    basket = submit(world, add=[(lise, monday)], cancel=[(emy, monday)])
    assert [line.child_id for line in basket.lines.all()] == [lise.pk]
