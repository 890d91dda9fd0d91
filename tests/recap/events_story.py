"""A week of a child's canteen as the real services write it, for the recap's rows.

The canteen "Cantine" (3,70 €) on the reference week (tests/world/days.py). On Tuesday
1 December 2026:
- 09:00 the parent asks for Monday 7, Tuesday 8 and Thursday 10 (website) and pays
  online: PayFiP's answer arrives at 09:03 (paid, the three days booked);
- 10:00 the parent cancels Thursday 10 and validates the basket (nothing to pay): the
  price, 3,70 €, becomes credit.
Staff (a gestionnaire) mark Emy absent on Monday 7 (14:00) and present on Tuesday 8
(14:00). Another household exists, to prove what must not show.
"""

import uuid
from dataclasses import dataclass

from portail.accounts.models import User
from portail.activities.models import Enrolment
from portail.backoffice.attendance.marks import record_marks
from portail.backoffice.attendance.sheet import Mark
from portail.billing.checkout import checkout
from portail.billing.payments import apply_detail
from portail.payfip import client
from portail.reservations.models import Channel
from tests.clock import paris
from tests.world.booking import submit
from tests.world.commune import World, build, family
from tests.world.days import MINUTE, MONDAY, NOW, THURSDAY, TUESDAY
from tests.world.money import detail
from tests.world.staff import gestionnaire

CANTEEN = "Cantine"
PAID_AT = NOW + 3 * MINUTE
CANCELLED_AT = paris(2026, 12, 1, 10, 0)
ABSENT_AT = paris(2026, 12, 7, 14, 0)
PRESENT_AT = paris(2026, 12, 8, 14, 0)


@dataclass
class Week:
    world: World
    staff: User
    enrolment: Enrolment
    other_parent: User
    other_enrolment: Enrolment


def build_week(monkeypatch, settings) -> Week:
    settings.PORTAIL_BASE_URL = "https://portail.example.org"
    settings.PAYFIP_NUMCLI = "012345"
    monkeypatch.setattr(client, "create_payment", lambda *args, **kwargs: str(uuid.uuid4()))
    world = build(1, name=CANTEEN)
    emy = world.child
    staff = gestionnaire()
    days = [(emy, world.sessions[day]) for day in (MONDAY, TUESDAY, THURSDAY)]
    submit(world, add=days, now=NOW)
    result = checkout(world.household, actor=world.user, channel=Channel.WEB, now=NOW)
    assert result.status == "awaiting_payment"
    apply_detail(result.payment, detail(result.payment, "P"), now=PAID_AT)

    submit(world, cancel=[(emy, world.sessions[THURSDAY])], now=CANCELLED_AT)
    validated = checkout(world.household, actor=world.user, channel=Channel.WEB, now=CANCELLED_AT)
    assert validated.status == "validated"

    record_marks(world.sessions[MONDAY], [(emy.pk, Mark.ABSENT)], actor=staff, now=ABSENT_AT)
    record_marks(world.sessions[TUESDAY], [(emy.pk, Mark.PRESENT)], actor=staff, now=PRESENT_AT)

    _household, other_parent, other_kids = family(world.activity, household_name="MARTIN")
    submit(
        World(world.activity, _household, other_parent, other_kids, world.sessions),
        add=[(other_kids[0], world.sessions[MONDAY])],
        now=NOW,
    )
    return Week(
        world,
        staff,
        Enrolment.objects.get(child=emy),
        other_parent,
        Enrolment.objects.get(child=other_kids[0]),
    )
