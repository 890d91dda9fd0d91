"""No basket reminder for a basket paid at the counter, nor for one already lapsed."""

import datetime

import pytest
from django.core import mail

from portail.billing.counter import record_counter_payment
from tests.reminders.helpers import run
from tests.world.booking import submit
from tests.world.commune import build
from tests.world.days import THURSDAY
from tests.world.staff import gestionnaire

pytestmark = pytest.mark.django_db

MINUTE = datetime.timedelta(minutes=1)
OPENED = datetime.datetime(2026, 11, 30, 8, 0, tzinfo=datetime.UTC)


def test_a_basket_paid_at_the_counter_is_not_reminded(time_machine):
    world = build()
    basket = submit(world, add=[(world.child, world.sessions[THURSDAY])], now=OPENED)
    time_machine.move_to(OPENED + 5 * MINUTE)
    record_counter_payment(basket, means="cash", actor=gestionnaire())
    mail.outbox.clear()
    time_machine.move_to(basket.expires_at - 5 * MINUTE)
    run()
    assert mail.outbox == []


def test_a_lapsed_basket_is_not_reminded(time_machine):
    world = build()
    basket = submit(world, add=[(world.child, world.sessions[THURSDAY])], now=OPENED)
    time_machine.move_to(basket.expires_at + MINUTE)
    run()
    assert mail.outbox == []
