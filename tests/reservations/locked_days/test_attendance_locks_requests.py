"""Gap 1: once attendance is recorded for a child's day, nothing in the basket changes it:
not the family withdrawing a request still waiting in its open basket, nor withdrawing a
cancellation, nor the staff bypassing the deadlines. The planning shows the day locked."""

import pytest
from django.utils import translation

from portail.backoffice.attendance.sheet import Mark
from portail.reservations import rules
from portail.reservations.judging import ChangesRefused
from portail.reservations.models import Booking, BookingStatus, Channel
from portail.reservations.planning import week_planning
from portail.reservations.states import CellState
from tests.factories import paid_booking
from tests.world.booking import long_hold_world, mark, submit
from tests.world.days import MONDAY, MONDAY_AFTERNOON

pytestmark = pytest.mark.django_db


def _refusal_codes(error: ChangesRefused) -> list[str]:
    return [r.code for r in error.refusals]


def test_a_request_in_the_open_basket_cannot_be_withdrawn_after_attendance():
    world = long_hold_world()
    monday = world.sessions[MONDAY]
    basket = submit(world, add=[(world.child, monday)])
    booking = Booking.objects.get(child=world.child, session=monday)
    mark(world, world.child, Mark.PRESENT)

    with pytest.raises(ChangesRefused) as refused, translation.override("en"):
        submit(world, cancel=[(world.child, monday)], now=MONDAY_AFTERNOON)
    assert _refusal_codes(refused.value) == [rules.LOCKED]
    assert refused.value.refusals[0].reason == "Attendance already recorded."
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED
    assert basket.lines.count() == 1


def test_staff_bypassing_deadlines_cannot_withdraw_it_either():
    world = long_hold_world()
    monday = world.sessions[MONDAY]
    submit(world, add=[(world.child, monday)])
    mark(world, world.child, Mark.ABSENT)

    with pytest.raises(ChangesRefused) as refused:
        submit(
            world,
            cancel=[(world.child, monday)],
            now=MONDAY_AFTERNOON,
            actor=world.extra["staff"],
            channel=Channel.BACKOFFICE,
            bypass_deadlines=True,
        )
    assert _refusal_codes(refused.value) == [rules.LOCKED]
    assert Booking.objects.get(child=world.child, session=monday).status == (
        BookingStatus.REQUESTED
    )


@pytest.mark.parametrize(
    ("attendance", "state"),
    [(Mark.PRESENT, CellState.ATTENDANCE_RECORDED), (Mark.ABSENT, CellState.NOT_USED)],
)
def test_the_planning_shows_a_requested_day_locked_once_attended(attendance, state):
    world = long_hold_world()
    monday = world.sessions[MONDAY]
    submit(world, add=[(world.child, monday)])
    mark(world, world.child, attendance)

    planning = week_planning(world.household, MONDAY, now=MONDAY_AFTERNOON)
    [cell] = planning.cells_for(MONDAY, world.child.pk)
    assert (cell.state, cell.action, cell.editable) == (state, None, False)
    assert cell.change_kind is None


def test_a_cancellation_in_the_basket_cannot_be_withdrawn_after_attendance():
    world = long_hold_world()
    monday = world.sessions[MONDAY]
    paid_booking(world.child, monday)
    basket = submit(world, cancel=[(world.child, monday)])
    mark(world, world.child, Mark.ABSENT)

    planning = week_planning(world.household, MONDAY, now=MONDAY_AFTERNOON)
    [cell] = planning.cells_for(MONDAY, world.child.pk)
    assert (cell.state, cell.action) == (CellState.NOT_USED, None)
    with pytest.raises(ChangesRefused) as refused:
        submit(world, add=[(world.child, monday)], now=MONDAY_AFTERNOON)
    assert _refusal_codes(refused.value) == [rules.LOCKED]
    assert basket.lines.count() == 1


def test_before_attendance_the_request_can_still_be_withdrawn():
    world = long_hold_world()
    monday = world.sessions[MONDAY]
    submit(world, add=[(world.child, monday)])

    submit(world, cancel=[(world.child, monday)], now=MONDAY_AFTERNOON)
    assert Booking.objects.get(child=world.child, session=monday).status == (BookingStatus.RELEASED)
