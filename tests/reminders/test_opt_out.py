"""A guardian who turned a kind off does not get it; the household's other guardian,
who did not, still does; turning it back on works for what comes next."""

import datetime

import pytest
from django.core import mail

from portail.reminders import preferences
from tests import factories
from tests.reminders.helpers import WEEK_REMINDER_FROM, mails_to, run
from tests.world.commune import build
from tests.world.staff import client_for

pytestmark = pytest.mark.django_db

PAGE = "/mes-donnees/rappels/"


def test_turned_off_on_the_page_it_is_not_sent_to_that_guardian(time_machine):
    world = build()
    other = factories.guardian(world.household, email="co-parent@example.org")
    client = client_for(world.user)
    response = client.post(PAGE, {"kinds": ["basket_lapsing", "offer_expiring", "invoice_due"]})
    assert response.status_code == 302
    assert preferences.turned_off(world.user.guardian) == {"week_not_booked"}

    time_machine.move_to(WEEK_REMINDER_FROM + datetime.timedelta(hours=1))
    run()
    assert mails_to(world.user.email) == []
    assert len(mails_to(other.user.email)) == 1


def test_turned_back_on_it_is_sent(time_machine):
    world = build()
    guardian = world.user.guardian
    preferences.set_wanted(guardian, set())
    time_machine.move_to(WEEK_REMINDER_FROM + datetime.timedelta(hours=1))
    run()
    assert mail.outbox == []
    preferences.set_wanted(guardian, {"week_not_booked"})
    run()
    assert len(mails_to(world.user.email)) == 1
