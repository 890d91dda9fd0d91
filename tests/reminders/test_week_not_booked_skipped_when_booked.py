"""No week reminder for a child with a day booked that week (paid, or requested in a
basket that still holds it), nor for a child not enrolled; a lapsed request does not
count as booked."""

import datetime

import pytest
from django.core import mail

from portail.reservations.models import Basket, BasketStatus, Booking, BookingStatus
from tests.reminders.helpers import WEEK_REMINDER_FROM, run
from tests.world.booking import submit
from tests.world.commune import build, family
from tests.world.days import MONDAY, THURSDAY

pytestmark = pytest.mark.django_db

NOW = WEEK_REMINDER_FROM + datetime.timedelta(hours=2)


def test_a_day_booked_and_paid_that_week_is_enough(time_machine):
    world = build()
    basket = submit(world, add=[(world.child, world.sessions[THURSDAY])], now=NOW)
    Basket.objects.filter(pk=basket.pk).update(status=BasketStatus.PAID)
    Booking.objects.filter(basket=basket).update(status=BookingStatus.RESERVED)
    time_machine.move_to(NOW)
    run()
    assert mail.outbox == []


def test_a_request_still_held_counts_and_a_lapsed_one_does_not(time_machine, settings):
    world = build()
    submit(world, add=[(world.child, world.sessions[MONDAY])], now=NOW)
    time_machine.move_to(NOW + datetime.timedelta(minutes=1))
    run()
    assert [m.subject for m in mail.outbox if "07/12/2026" in m.subject] == []
    # The hold (30 minutes) is over: the request no longer books the day.
    time_machine.move_to(NOW + datetime.timedelta(hours=1))
    run()
    assert len([m for m in mail.outbox if "07/12/2026" in m.subject]) == 1


def test_only_the_enrolled_child_is_named_and_a_household_not_enrolled_gets_nothing(
    time_machine,
):
    world = build()
    _household, outsider, _kids = family(world.activity, enrolled=False)
    time_machine.move_to(NOW)
    run()
    assert [m.to for m in mail.outbox] == [[world.user.email]]
    assert outsider.email not in str([m.to for m in mail.outbox])
