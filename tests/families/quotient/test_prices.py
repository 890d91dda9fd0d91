"""A new QF changes the price of the days booked from then on: days already booked keep
their price, days before the new period keep the old band."""

import pytest

from portail.families import quotient
from portail.reservations.models import Booking
from tests import factories
from tests.world.booking import submit
from tests.world.commune import build
from tests.world.days import MONDAY, THURSDAY, TUESDAY

pytestmark = pytest.mark.django_db

LOW, MID, HIGH = 100, 250, 370  # QF under 600, 600 to 999, from 1000 (and unknown)


def price_of(world, day) -> int:
    return Booking.objects.get(child=world.child, session=world.sessions[day]).price_cents


def test_a_new_quotient_prices_days_booked_afterwards_from_its_start_date():
    world = build()
    world.activity.tariffs.clear()
    factories.tariff(
        [world.activity], [(0, 599, LOW, 150), (600, 999, MID, 375), (1000, None, HIGH, 555)]
    )
    factories.quotient_period(world.household, 450)
    submit(world, add=[(world.child, world.sessions[MONDAY])])
    assert price_of(world, MONDAY) == LOW

    # Declared and accepted: QF 800 from Thursday.
    quotient.set_quotient(world.household, 800, THURSDAY, reason="Déclaration QF")
    submit(
        world, add=[(world.child, world.sessions[TUESDAY]), (world.child, world.sessions[THURSDAY])]
    )

    assert price_of(world, MONDAY) == LOW  # booked before the change: keeps its price
    assert price_of(world, TUESDAY) == LOW  # booked after, but before the new QF applies
    assert price_of(world, THURSDAY) == MID  # from the new QF's date: the new band
