"""The booking windows' world: the reference week's canteen (tests/world) whose days open
on Tuesday 1 December 2026 at 18:00, for priority households at 17:00, optionally with a
ten-minute draw (until 18:10). Services are given `now`; the suite's clock stays on
tests/clock.NOW (earlier), so every window is still to come for it."""

import datetime

from portail.activities.models import BookingWindow, HouseholdPriority, PriorityCriterion
from portail.reservations.basket import submit_changes
from portail.reservations.judging import Change
from portail.reservations.models import Channel
from tests.clock import paris
from tests.world.commune import World, build, family
from tests.world.days import FRIDAY, MONDAY

OPENS = paris(2026, 12, 1, 18, 0)
PRIORITY_OPENS = paris(2026, 12, 1, 17, 0)
BEFORE = paris(2026, 12, 1, 9, 0)
DURING_DRAW = paris(2026, 12, 1, 18, 5)
DRAW_AT = paris(2026, 12, 1, 18, 10)
AFTER_DRAW = paris(2026, 12, 1, 18, 11)
MINUTE = datetime.timedelta(minutes=1)


def window(world: World, *, draw_minutes: int = 0, priority: bool = False, seed: str = "abc123"):
    w = BookingWindow.objects.create(
        name="Vacances de Noël",
        first_day=MONDAY,
        last_day=FRIDAY,
        opens_at=OPENS,
        priority_opens_at=PRIORITY_OPENS if priority else None,
        draw_minutes=draw_minutes,
        seed=seed,
    )
    w.activities.add(world.activity)
    return w


def give_priority(household, criterion=PriorityCriterion.RESIDENT) -> None:
    HouseholdPriority.objects.create(household=household, criterion=criterion)


def another_family(world: World) -> World:
    household, user, kids = family(world.activity)
    return World(world.activity, household, user, kids, world.sessions)


def ask(world: World, days, now, child=None):
    """The family asks these days (all or nothing), as the planning page does."""
    child = child or world.child
    return submit_changes(
        world.household,
        add=[Change(child.pk, world.sessions[d].pk) for d in days],
        cancel=[],
        actor=world.user,
        channel=Channel.WEB,
        now=now,
    )


__all__ = ["build"]
