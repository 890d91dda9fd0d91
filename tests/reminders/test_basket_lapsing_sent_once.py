"""An unpaid basket is reminded once, within 10 minutes of the end of its hold: not
before, not again at the next runs; a new submission (a new end) is a new reminder."""

import datetime

import pytest
from django.core import mail

from tests.clock import paris
from tests.reminders.helpers import run, sent
from tests.world.booking import submit
from tests.world.commune import build
from tests.world.days import MONDAY, THURSDAY

pytestmark = pytest.mark.django_db

MINUTE = datetime.timedelta(minutes=1)


def basket_mails() -> list:
    return [m for m in mail.outbox if "/panier/" in m.body]


def test_the_basket_is_reminded_once_before_its_hold_ends(time_machine):
    world = build()
    opened = paris(2026, 11, 30, 9, 0)
    basket = submit(world, add=[(world.child, world.sessions[THURSDAY])], now=opened)
    assert basket.expires_at == opened + 30 * MINUTE

    time_machine.move_to(basket.expires_at - 11 * MINUTE)
    run()
    assert basket_mails() == []

    time_machine.move_to(basket.expires_at - 9 * MINUTE)
    run()
    run()
    assert len(basket_mails()) == 1
    message = basket_mails()[0]
    assert message.to == [world.user.email]
    assert basket.reference in message.body
    assert "09:30" in message.subject
    assert "/mes-donnees/rappels/#reminder-basket_lapsing" in message.body

    time_machine.move_to(basket.expires_at - 2 * MINUTE)
    run()
    assert len(basket_mails()) == 1
    assert len(sent("basket_lapsing")) == 1


def test_a_new_hold_is_a_new_reminder(time_machine):
    world = build()
    opened = paris(2026, 11, 30, 9, 0)
    basket = submit(world, add=[(world.child, world.sessions[THURSDAY])], now=opened)
    time_machine.move_to(basket.expires_at - 5 * MINUTE)
    run()
    again = submit(
        world, add=[(world.child, world.sessions[MONDAY])], now=basket.expires_at - 4 * MINUTE
    )
    assert again.pk == basket.pk and again.expires_at > basket.expires_at
    time_machine.move_to(again.expires_at - 5 * MINUTE)
    run()
    run()
    assert len(basket_mails()) == 2
