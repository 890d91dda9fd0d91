"""The draw's order is reproducible from its seed: the same seed and households give the
same order whatever order they asked in; another seed gives another order; priority
households come first, each group shuffled."""

import pytest

from portail.activities.models import DrawEntry
from portail.reservations.draws import draw_order, run_draw
from tests.world.days import MONDAY

from .town import AFTER_DRAW, DURING_DRAW, another_family, ask, build, give_priority, window

HOUSEHOLDS = list(range(1, 41))


def test_same_seed_same_order_whatever_the_input_order():
    first = draw_order("a1b2c3", HOUSEHOLDS, set())
    assert draw_order("a1b2c3", list(reversed(HOUSEHOLDS)), set()) == first
    assert sorted(first) == HOUSEHOLDS
    assert first != HOUSEHOLDS  # shuffled


def test_another_seed_another_order():
    assert draw_order("a1b2c3", HOUSEHOLDS, set()) != draw_order("d4e5f6", HOUSEHOLDS, set())


def test_priority_households_come_first_each_group_shuffled():
    priority = {3, 7, 11, 19, 23, 31}
    order = draw_order("a1b2c3", HOUSEHOLDS, priority)
    assert set(order[: len(priority)]) == priority
    assert order[: len(priority)] != sorted(priority) or order[len(priority) :] != sorted(
        set(HOUSEHOLDS) - priority
    )


@pytest.mark.django_db
def test_the_draw_written_on_the_entries_is_the_seeds_order():
    world = build(capacity=50)
    w = window(world, draw_minutes=10, seed="0f1e2d3c")
    families = [world] + [another_family(world) for _ in range(7)]
    give_priority(families[5].household)
    for fam in reversed(families):  # the order they asked in does not matter
        ask(fam, [MONDAY], DURING_DRAW)
    assert run_draw(w.pk, now=AFTER_DRAW)
    ranked = list(DrawEntry.objects.filter(window=w).order_by("rank"))
    ids = [f.household.pk for f in families]
    assert [e.household_id for e in ranked] == draw_order(
        "0f1e2d3c", ids, {families[5].household.pk}
    )
    assert ranked[0].household_id == families[5].household.pk and ranked[0].priority
    assert [e.rank for e in ranked] == list(range(1, 9))
