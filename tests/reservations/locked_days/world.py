"""The reservations' test commune (Monday 7 to Friday 11 December 2026, 3,70 EUR; NOW is
Tuesday 1 December, 9:00), with a hold long enough for a basket opened at NOW to still be
open on Monday, when the staff record the day's attendance, and a gestionnaire."""

import datetime

from portail.accounts.models import User
from portail.backoffice.attendance.marks import record_marks
from portail.backoffice.permissions import GESTIONNAIRE, grant_role
from portail.reservations.basket import submit_changes
from portail.reservations.judging import Change
from portail.reservations.models import Basket, Channel, HistoryEntry
from tests import factories
from tests.reservations.world import MONDAY, NOW, World, build, paris

TEN_DAYS = 10 * 24 * 60
# Monday's lunch is over: its attendance can be recorded.
MONDAY_AFTERNOON = paris(2026, 12, 7, 14, 0)
MINUTE = datetime.timedelta(minutes=1)


def long_hold_world(children: int = 1) -> World:
    world = build(children, hold_minutes=TEN_DAYS)
    world.extra["staff"] = gestionnaire()
    return world


def gestionnaire() -> User:
    user = factories.staff(first_name="Camille", last_name="ROUX")
    grant_role(user, GESTIONNAIRE)
    return user


def submit(world: World, add=(), cancel=(), now=NOW, user=None, **kwargs) -> Basket:
    return submit_changes(
        world.household,
        add=[Change(c.pk, s.pk) for c, s in add],
        cancel=[Change(c.pk, s.pk) for c, s in cancel],
        actor=user or world.user,
        channel=Channel.BACKOFFICE if user is not None else Channel.WEB,
        now=now,
        **kwargs,
    )


def mark(world: World, child, mark: str, now=MONDAY_AFTERNOON):
    """The staff's attendance mark on Monday, through the attendance service."""
    return record_marks(
        world.sessions[MONDAY], [(child.pk, mark)], actor=world.extra["staff"], now=now
    )


def last_history(child, session) -> HistoryEntry:
    return HistoryEntry.objects.filter(child=child, session=session).order_by("pk").last()
