"""Helpers for the money tests, on top of the reservations' test commune.

The canteen runs Monday 7 to Friday 11 December 2026 at 3,70 EUR; NOW (Tuesday 1 December,
9:00) is on time for all of it. Every service is given `now`, so the real date does not
matter.
"""

import datetime

from django.db.models import Sum
from django.utils import timezone

from portail.billing import credits
from portail.billing.models import Payment, PaymentState
from portail.payfip.client import PaymentDetail
from portail.reservations.basket import submit_changes
from portail.reservations.judging import Change
from portail.reservations.models import Basket, Booking, BookingStatus, Channel
from tests import factories
from tests.reservations.world import (  # noqa: F401 (re-exported for the tests)
    FRIDAY,
    MONDAY,
    NOW,
    PARIS,
    THURSDAY,
    TUESDAY,
    WEEK,
    World,
    build,
    family,
    paid_booking,
    paris,
)

MINUTE = datetime.timedelta(minutes=1)


def submit(world: World, add=(), cancel=(), now=NOW, user=None) -> Basket:
    return submit_changes(
        world.household,
        add=[Change(c.pk, s.pk) for c, s in add],
        cancel=[Change(c.pk, s.pk) for c, s in cancel],
        actor=user or world.user,
        channel=Channel.WEB,
        now=now,
    )


def week(world: World, child=None):
    """The four days of the week for one child, as (child, session) pairs."""
    child = child or world.child
    return [(child, world.sessions[day]) for day in WEEK]


def detail(payment: Payment, resultrans: str = "P", **changes) -> PaymentDetail:
    """PayFiP's answer about `payment`, as recupererDetailPaiementSecurise would give it."""
    values = {
        "idop": payment.idop,
        "resultrans": resultrans,
        "montant_cents": payment.amount_cents,
        "refdet": payment.refdet,
        "numcli": payment.numcli,
        "mel": payment.mel,
        "exer": payment.exer,
        "objet": payment.objet,
        "numauto": "123456" if resultrans in ("P", "V") else "",
        "transaction_at": NOW.replace(minute=5),
        "saisie": "T",
    }
    values.update(changes)
    return PaymentDetail(**values)


def statuses(bookings) -> list[str]:
    return [Booking.objects.get(pk=b.pk).status for b in bookings]


def reserved_cents(household) -> int:
    """The price of the household's confirmed (reserved) bookings."""
    return (
        Booking.objects.filter(child__household=household, status=BookingStatus.RESERVED).aggregate(
            total=Sum("price_cents")
        )["total"]
        or 0
    )


def paid_cents(household) -> int:
    return (
        Payment.objects.filter(household=household, state=PaymentState.PAID).aggregate(
            total=Sum("amount_cents")
        )["total"]
        or 0
    )


def assert_money_kept(household, *, before_cents: int = 0) -> None:
    """Money paid + staff credit (+ what was already reserved) = reserved + credit."""
    assert paid_cents(household) + credits.staff_granted_cents(household) + before_cents == (
        reserved_cents(household) + credits.balance_cents(household)
    )


def live_world(children: int = 1, capacity: int = 50) -> World:
    """The same commune on four days three weeks from today, for the tests where the
    simulator and the notification run on the clock (the suite's, tests/clock.py)."""
    today = timezone.localdate()
    monday = today + datetime.timedelta(days=21 - today.weekday())
    days = [monday + datetime.timedelta(days=n) for n in (0, 1, 3, 4)]
    activity = factories.activity(default_capacity=capacity)
    factories.tariff([activity], [(0, None, 370, 555)])
    sessions = {day: factories.session(activity, day) for day in days}
    household, user, kids = family(activity, children)
    return World(activity, household, user, kids, sessions)


def live_submit(world: World, pairs) -> Basket:
    return submit(world, add=pairs, now=timezone.now())


def all_days(world: World, child=None):
    child = child or world.child
    return [(child, session) for _day, session in sorted(world.sessions.items())]
