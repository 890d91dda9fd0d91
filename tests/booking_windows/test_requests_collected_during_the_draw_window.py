"""During the draw window a request is recorded for the draw, not served: no booking, no
place held, no basket to pay; the planning says "Request registered: draw at 18:10" and
the day cannot be asked twice."""

import pytest

from portail.activities.models import DrawEntry, DrawRequest
from portail.reservations.judging import ChangesRefused
from portail.reservations.models import BasketStatus, Booking
from portail.reservations.occupancy import taken_places
from portail.reservations.planning import week_planning
from portail.reservations.states import CellState
from tests.world.days import MONDAY, TUESDAY
from tests.world.web import fr

from .town import DRAW_AT, DURING_DRAW, MINUTE, OPENS, ask, build, window

pytestmark = pytest.mark.django_db


def test_a_request_in_the_draw_window_is_recorded_not_served():
    world = build(capacity=1)
    window(world, draw_minutes=10)
    basket = ask(world, [MONDAY, TUESDAY], OPENS)
    assert basket.status == BasketStatus.ABANDONED
    assert basket.lines.count() == 0
    assert not Booking.objects.exists()
    assert taken_places([world.sessions[MONDAY].pk], now=DURING_DRAW) == {}
    entry = DrawEntry.objects.get()
    assert entry.household == world.household and entry.rank is None
    assert {r.session.date for r in DrawRequest.objects.all()} == {MONDAY, TUESDAY}
    assert {r.outcome for r in DrawRequest.objects.all()} == {"pending"}
    assert DrawRequest.objects.first().asked_by == world.user


def test_the_planning_says_the_request_waits_for_the_draw():
    world = build()
    window(world, draw_minutes=10)
    ask(world, [MONDAY], DURING_DRAW)
    cells = {c.date: c for c in week_planning(world.household, MONDAY, now=DRAW_AT - MINUTE).cells}
    assert (cells[MONDAY].state, cells[MONDAY].action, cells[MONDAY].reason) == (
        CellState.REQUESTED,
        None,
        fr("Request registered: draw at %(time)s.", time="18:10"),
    )
    assert cells[TUESDAY].action == "reserve"  # still to ask
    with pytest.raises(ChangesRefused) as refused:
        ask(world, [MONDAY], DURING_DRAW)
    assert refused.value.refusals[0].code == "draw_requested"


def test_after_the_draw_window_and_before_the_draw_the_days_wait():
    world = build()
    window(world, draw_minutes=10)
    # Inside the test's transaction the lazy draw does not run (draws.settle_due).
    with pytest.raises(ChangesRefused) as refused:
        ask(world, [MONDAY], DRAW_AT)
    assert refused.value.refusals[0].code == "draw_in_progress"
