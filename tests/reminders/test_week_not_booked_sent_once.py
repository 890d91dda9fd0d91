"""A week not booked yet is reminded once, 48 hours before its booking closes: not
before, not again at the next runs, not after the deadline."""

import datetime

import pytest
from django.core import mail

from tests.reminders.helpers import WEEK_CLOSES, WEEK_REMINDER_FROM, run, sent
from tests.world.commune import build

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def test_the_week_is_reminded_once_within_the_window(time_machine):
    world = build(children=2)
    time_machine.move_to(WEEK_REMINDER_FROM - HOUR)
    run()
    assert mail.outbox == []

    time_machine.move_to(WEEK_REMINDER_FROM + HOUR)
    run()
    run()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.user.email]
    assert "07/12/2026" in message.subject and "10:00" in message.subject
    assert "Enfant1" in message.body and "Enfant2" in message.body
    assert world.activity.name in message.body
    assert "/planning/?week=2026-W50" in message.body
    assert "/mes-donnees/rappels/#reminder-week_not_booked" in message.body

    time_machine.move_to(WEEK_CLOSES - HOUR)
    run()
    assert len(mail.outbox) == 1
    assert [r.key for r in sent("week_not_booked")] == ["2026-12-07@20261203T0900Z"]


def test_nothing_once_the_week_has_closed(time_machine):
    build()
    time_machine.move_to(WEEK_CLOSES + HOUR)
    run()
    assert mail.outbox == []
