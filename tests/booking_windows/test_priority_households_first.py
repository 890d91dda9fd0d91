"""A household with a priority criterion (ticked by staff) books from the priority opening;
the others wait for the opening for all, and are told when it is."""

import pytest

from portail.reservations.judging import ChangesRefused
from tests.world.days import MONDAY
from tests.world.web import fr

from .town import MINUTE, OPENS, PRIORITY_OPENS, another_family, ask, build, give_priority, window

pytestmark = pytest.mark.django_db


def test_priority_households_book_between_the_two_openings_and_others_not():
    world = build()
    window(world, priority=True)
    other = another_family(world)
    give_priority(world.household)
    with pytest.raises(ChangesRefused) as early:
        ask(world, [MONDAY], PRIORITY_OPENS - MINUTE)
    assert early.value.refusals[0].reason == fr(
        "Opens on %(date)s at %(time)s.", date="01/12", time="17:00"
    )
    assert ask(world, [MONDAY], PRIORITY_OPENS).lines.count() == 1
    with pytest.raises(ChangesRefused) as refused:
        ask(other, [MONDAY], OPENS - MINUTE)
    assert refused.value.refusals[0].code == "not_open_yet"
    assert refused.value.refusals[0].reason == fr(
        "Opens on %(date)s at %(time)s.", date="01/12", time="18:00"
    )
    assert ask(other, [MONDAY], OPENS).lines.count() == 1
