"""What a family or the staff do in a World: submit changes, mark attendance, leave a
request held in a basket."""

import datetime

from django.utils import timezone

from portail.backoffice.attendance.marks import record_marks
from portail.families.models import Child
from portail.reservations.basket import submit_changes
from portail.reservations.judging import Change
from portail.reservations.models import (
    Basket,
    BasketStatus,
    Booking,
    BookingStatus,
    Channel,
    HistoryEntry,
)
from tests.world.commune import World, build
from tests.world.days import MONDAY, MONDAY_AFTERNOON, NOW
from tests.world.staff import gestionnaire

# A hold long enough for a basket opened at NOW to still be open on Monday, when the staff
# record the day's attendance.
TEN_DAYS = 10 * 24 * 60


def submit(world: World, add=(), cancel=(), now=NOW, **kwargs) -> Basket:
    """submit_changes() with (child, session) pairs, by the family's guardian on the
    website unless `actor` and `channel` say otherwise."""
    kwargs.setdefault("actor", world.user)
    kwargs.setdefault("channel", Channel.WEB)
    return submit_changes(
        world.household,
        add=[Change(c.pk, s.pk) for c, s in add],
        cancel=[Change(c.pk, s.pk) for c, s in cancel],
        now=now,
        **kwargs,
    )


def all_days(world: World, child: Child | None = None):
    """Every session of the world for one child, by date, as (child, session) pairs."""
    child = child or world.child
    return [(child, session) for _day, session in sorted(world.sessions.items())]


def long_hold_world(children: int = 1) -> World:
    """The reference week with a hold of ten days, and a gestionnaire in extra["staff"]."""
    world = build(children, hold_minutes=TEN_DAYS)
    world.extra["staff"] = gestionnaire()
    return world


def mark(world: World, child: Child, mark: str, now=MONDAY_AFTERNOON):
    """The staff's attendance mark on Monday, through the attendance service."""
    return record_marks(
        world.sessions[MONDAY], [(child.pk, mark)], actor=world.extra["staff"], now=now
    )


def last_history(child: Child, session) -> HistoryEntry:
    return HistoryEntry.objects.filter(child=child, session=session).order_by("pk").last()


def held_request(
    child: Child, session, *, minutes: int = 30, status: str = BasketStatus.OPEN
) -> Booking:
    """A reservation request in a basket: held for `minutes` more (negative: lapsed)."""
    basket = Basket.objects.filter(household=child.household, status=status).first()
    if basket is None:
        basket = Basket.objects.create(
            household=child.household,
            reference=f"PFR{child.pk}X{session.pk}",
            status=status,
            expires_at=timezone.now() + datetime.timedelta(minutes=minutes),
        )
    return Booking.objects.create(
        child=child, session=session, status=BookingStatus.REQUESTED, price_cents=370, basket=basket
    )
