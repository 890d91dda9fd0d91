"""The cancelled bookings come with the active ones: the planning of a week full of
cancelled days takes as many queries as a week with none."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portail.reservations.models import Booking, BookingStatus
from portail.reservations.planning import week_planning
from portail.reservations.states import CellState
from tests.clock import paris
from tests.configuration import keep_configuration
from tests.world.commune import build
from tests.world.days import MONDAY, WEEK

pytestmark = pytest.mark.django_db

AFTER_THE_WEEK = paris(2026, 12, 11, 18, 0)  # Friday evening


def _queries(world) -> tuple[int, set[str]]:
    keep_configuration()
    with CaptureQueriesContext(connection) as ctx:
        planning = week_planning(world.household, MONDAY, now=AFTER_THE_WEEK)
    return len(ctx.captured_queries), {c.state for c in planning.cells}


def test_cancelled_days_cost_no_query():
    plain = build(children=2)
    cancelled = build(children=2)
    for child in cancelled.children:
        for day in WEEK:
            for _twice in range(2):  # booked, cancelled, booked again, cancelled again
                Booking.objects.create(
                    child=child,
                    session=cancelled.sessions[day],
                    status=BookingStatus.CANCELLED,
                    price_cents=370,
                )
    plain_count, plain_states = _queries(plain)
    count, states = _queries(cancelled)
    assert plain_states == {CellState.LOCKED}
    assert states == {CellState.CANCELLED}
    assert count == plain_count
