"""A past day with nothing booked (never booked, or a request that lapsed unpaid) stays
"Locked"; so does a cancelled one on the staff's planning, where staff may still book it."""

import pytest

from portail.reservations.models import BookingStatus
from portail.reservations.states import CellState
from tests.world.booking import held_request
from tests.world.commune import build
from tests.world.days import MONDAY

from .days import cancel_monday_in_time, monday_cell

pytestmark = pytest.mark.django_db


def test_never_booked_or_lapsed_request_stays_locked():
    world = build()
    assert monday_cell(world).state == CellState.LOCKED
    request = held_request(world.child, world.sessions[MONDAY], minutes=-5)
    request.status = BookingStatus.RELEASED
    request.save(update_fields=["status"])
    assert monday_cell(world).state == CellState.LOCKED


def test_the_staff_planning_keeps_a_cancelled_past_day_locked():
    world = build()
    cancel_monday_in_time(world)
    assert monday_cell(world).state == CellState.CANCELLED
    assert monday_cell(world, staff=True).state == CellState.LOCKED
