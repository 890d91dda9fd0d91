"""No week reminder when every day of the child's week is full: there is nothing left to
book. One day with a place left is enough for the reminder."""

import datetime

import pytest
from django.core import mail

from portail.reservations.models import Booking, BookingStatus
from tests.reminders.helpers import WEEK_REMINDER_FROM, mails_to, run
from tests.world.commune import World, build, family
from tests.world.days import WEEK

pytestmark = pytest.mark.django_db

NOW = WEEK_REMINDER_FROM + datetime.timedelta(hours=1)


def other_family_books(world: World, days) -> None:
    """Another household, enrolled too, holds the only place of `days` (paid)."""
    _household, _user, [kid] = family(world.activity)
    for day in days:
        Booking.objects.create(
            child=kid, session=world.sessions[day], status=BookingStatus.RESERVED, price_cents=370
        )


def test_a_full_week_is_not_reminded(time_machine):
    world = build(capacity=1)
    other_family_books(world, WEEK)
    time_machine.move_to(NOW)
    run()
    assert mail.outbox == []


def test_one_day_with_a_place_left_is_reminded(time_machine):
    world = build(capacity=1)
    other_family_books(world, WEEK[:-1])
    time_machine.move_to(NOW)
    run()
    assert len(mails_to(world.user.email)) == 1
