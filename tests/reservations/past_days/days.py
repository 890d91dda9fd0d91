"""A past day on the parents' planning: the reference week's Monday, seen on Monday
afternoon once its lunch is over (tests/world/days.py)."""

from portail.billing.checkout import checkout
from portail.reservations.models import Channel
from portail.reservations.planning import PlanningCell, week_planning
from tests.factories import paid_booking
from tests.world.booking import submit
from tests.world.commune import World
from tests.world.days import MONDAY, MONDAY_AFTERNOON, NOW


def monday_cell(world: World, *, now=MONDAY_AFTERNOON, staff: bool = False) -> PlanningCell:
    """The child's Monday block as the planning shows it at `now`."""
    planning = week_planning(world.household, MONDAY, now=now, staff=staff)
    (found,) = planning.cells_for(MONDAY, world.child.pk)
    return found


def cancel_monday_in_time(world: World) -> None:
    """Monday booked and paid, then cancelled by the family in time (validated at NOW)."""
    monday = world.sessions[MONDAY]
    paid_booking(world.child, monday)
    submit(world, cancel=[(world.child, monday)])
    result = checkout(world.household, actor=world.user, channel=Channel.WEB, now=NOW)
    assert result.status == "validated"
