"""A past day cancelled, then attended anyway, says what the attendance says (present
without booking), not "Cancelled"."""

import pytest
from django.utils import translation

from portail.reservations.models import Attendance
from portail.reservations.states import CellState
from tests.world.commune import build
from tests.world.days import MONDAY

from .days import cancel_monday_in_time, monday_cell

pytestmark = pytest.mark.django_db


def test_attendance_recorded_wins_over_the_cancellation():
    world = build()
    cancel_monday_in_time(world)
    Attendance.objects.create(child=world.child, session=world.sessions[MONDAY], present=True)
    with translation.override("en"):
        found = monday_cell(world)
    assert found.state == CellState.ATTENDANCE_RECORDED
    assert found.reason == "Present without booking."
