"""A past day the family booked, then cancelled in time, says "Cancelled" (not "Locked")."""

import pytest
from django.utils import translation

from portail.reservations.models import Booking, BookingStatus
from portail.reservations.states import CellState
from tests.world.commune import build
from tests.world.days import NOW

from .days import cancel_monday_in_time, monday_cell

pytestmark = pytest.mark.django_db


def test_a_past_day_cancelled_by_the_family_says_cancelled():
    world = build()
    cancel_monday_in_time(world)
    assert Booking.objects.get(child=world.child).status == BookingStatus.CANCELLED

    found = monday_cell(world)

    assert found.state == CellState.CANCELLED
    assert (found.editable, found.action, found.until) == (False, None, None)
    assert found.price_cents is None  # its price became a credit: nothing is owed for it
    assert found.reason == ""
    with translation.override("en"):
        assert str(CellState(found.state).label) == "Cancelled"


def test_before_the_day_a_cancelled_day_can_be_booked_again():
    world = build()
    cancel_monday_in_time(world)
    assert monday_cell(world, now=NOW).state == CellState.NOT_RESERVED
