"""What the modes' tests share: the invoices' world (tests/invoices/world.py) with days to
come, and the family's basket submitted and settled through the real services."""

import datetime

from portail.accounts.models import User
from portail.backoffice.permissions import GESTIONNAIRE, POINTAGE, grant_role
from portail.billing.checkout import checkout
from portail.billing.credits import balance_cents
from portail.reservations.basket import submit_changes
from portail.reservations.judging import Change
from portail.reservations.models import Basket, Channel
from tests import factories
from tests.clock import NOW
from tests.world.invoices import World

# Days to come, well before their deadlines: the leisure centre runs on Wednesdays, the
# canteen on Thursdays.
WEDNESDAY = datetime.date(2026, 11, 18)
NEXT_WEDNESDAY = datetime.date(2026, 11, 25)
THURSDAY = datetime.date(2026, 11, 19)


def submit(world: World, add=(), cancel=(), now=NOW) -> Basket:
    """The guardian's changes on the website: (activity, day) pairs for the first child."""
    return submit_changes(
        world.household,
        add=[Change(world.child.pk, world.session(a, d).pk) for a, d in add],
        cancel=[Change(world.child.pk, world.session(a, d).pk) for a, d in cancel],
        actor=world.guardian.user,
        channel=Channel.WEB,
        now=now,
    )


def validate(world: World, now=NOW):
    """OK on the basket (refused with CheckoutRefused when something is due)."""
    return checkout(world.household, actor=world.guardian.user, channel=Channel.WEB, now=now)


def credit(world: World) -> int:
    return balance_cents(world.household)


def staff(role: str = GESTIONNAIRE, sites=None) -> User:
    """A staff member with `role` (a pointage agent on `sites`)."""
    user = factories.staff()
    if role == POINTAGE:
        grant_role(user, role, sites=sites)
    else:
        grant_role(user, role)
    return user
