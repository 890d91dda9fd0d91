"""Joining a full day's waiting list: ranks in the order of arrival, never on a day with a
place free, never twice."""

import pytest

from portail.reservations import waiting
from portail.reservations.waiting_models import WaitingListEntry
from tests.waiting_list.lists import full_monday, join, waiting_family
from tests.world.commune import build
from tests.world.days import MONDAY

pytestmark = pytest.mark.django_db


def test_families_rank_in_the_order_they_join():
    world = full_monday()
    families = [waiting_family(world, f"F{n}") for n in range(3)]
    entries = [join(world, fam) for fam in families]
    assert [e.rank for e in entries] == [1, 2, 3]
    waiting.leave(families[0][0], entries[0].pk, actor=families[0][1], channel="web")
    assert [waiting.rank_of(WaitingListEntry.objects.get(pk=e.pk)) for e in entries] == [
        None,
        1,
        2,
    ]


def test_a_day_with_a_place_free_cannot_be_joined():
    world = build(capacity=2)
    with pytest.raises(waiting.WaitingRefused) as refused:
        join(world, (world.household, world.user, world.child))
    assert refused.value.code == waiting.NOT_FULL
    assert not WaitingListEntry.objects.exists()


def test_a_child_joins_a_day_once():
    world = full_monday()
    fam = waiting_family(world)
    join(world, fam)
    with pytest.raises(waiting.WaitingRefused) as refused:
        join(world, fam)
    assert refused.value.code == waiting.ALREADY_WAITING
    assert WaitingListEntry.objects.filter(session=world.sessions[MONDAY]).count() == 1
