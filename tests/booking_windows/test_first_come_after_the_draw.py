"""Once drawn, the window's days are first come, first served: a request is served at once
(held in the basket), and a full day is refused as any other."""

import pytest

from portail.activities.models import DrawRequest
from portail.reservations.draws import run_draw
from portail.reservations.judging import ChangesRefused
from portail.reservations.models import BasketStatus
from tests.world.days import MONDAY, TUESDAY

from .town import AFTER_DRAW, DURING_DRAW, another_family, ask, build, window

pytestmark = pytest.mark.django_db


def test_after_the_draw_requests_are_served_at_once():
    world = build(capacity=1)
    w = window(world, draw_minutes=10)
    ask(world, [MONDAY], DURING_DRAW)
    run_draw(w.pk, now=AFTER_DRAW)
    late = another_family(world)
    basket = ask(late, [TUESDAY], AFTER_DRAW)
    assert basket.status == BasketStatus.OPEN and basket.lines.count() == 1
    with pytest.raises(ChangesRefused) as refused:
        ask(late, [MONDAY], AFTER_DRAW)
    assert refused.value.refusals[0].code == "full"
    assert DrawRequest.objects.count() == 1
