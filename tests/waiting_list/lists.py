"""What the waiting-list tests share: a full Monday, families joining its list."""

from portail.reservations import waiting
from portail.reservations.models import Booking, BookingStatus, Channel
from tests.world.booking import submit
from tests.world.commune import World, build, family
from tests.world.days import MONDAY, NOW


def full_monday(capacity: int = 1, **fields) -> World:
    """A canteen whose Monday is full: `capacity` places, each reserved (paid) by the
    world's own family's children (world.children)."""
    world = build(children=capacity, capacity=capacity, **fields)
    for child in world.children:
        Booking.objects.create(
            child=child,
            session=world.sessions[MONDAY],
            status=BookingStatus.RESERVED,
            price_cents=370,
        )
    return world


def waiting_family(world: World, name: str = "Attente"):
    """Another family enrolled in the canteen: (household, user, child)."""
    household, user, (child,) = family(world.activity, names=[name])
    return household, user, child


def join(world: World, fam, now=NOW, session=None):
    household, user, child = fam
    return waiting.join(
        household,
        child_id=child.pk,
        session_id=(session or world.sessions[MONDAY]).pk,
        actor=user,
        channel=Channel.WEB,
        now=now,
    )


def cancel_reserved(world: World, child, now=NOW):
    """The world's family asks the cancellation of `child`'s Monday (a -1 line)."""
    return submit(world, cancel=[(child, world.sessions[MONDAY])], now=now)
