"""A past day booked and paid whose attendance is not recorded yet stays "Reserved", can no
longer change, and says the day has started rather than a cancellation deadline."""

import pytest
from django.utils import translation

from portail.reservations.states import CellState
from tests.factories import paid_booking
from tests.world.commune import build
from tests.world.days import MONDAY

from .days import monday_cell

pytestmark = pytest.mark.django_db


def test_a_past_booked_day_without_attendance_is_reserved_and_final():
    world = build()
    paid_booking(world.child, world.sessions[MONDAY])
    with translation.override("en"):
        found = monday_cell(world)
    assert found.state == CellState.RESERVED
    assert (found.editable, found.action) == (False, None)
    assert found.price_cents == 370
    assert found.reason == "This day has already started."
