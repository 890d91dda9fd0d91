"""Two runs at the same instant (cron on two machines) send each reminder once: the
claim (ReminderSent's unique constraint) is inserted before the mail is sent.
Threads, each with its own database connection."""

import datetime
import threading

import pytest
from django.core import mail
from django.db import connection

from portail.reminders.models import ReminderSent
from portail.reminders.sending import send_due
from tests.reminders.helpers import WEEK_REMINDER_FROM
from tests.world.commune import build

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

RACERS = 4


def test_concurrent_runs_send_once():
    world = build(children=2)
    now = WEEK_REMINDER_FROM + datetime.timedelta(hours=1)
    barrier = threading.Barrier(RACERS)
    sent: list[int] = []
    errors: list[BaseException] = []

    def race() -> None:
        try:
            barrier.wait(timeout=30)
            sent.append(send_due(now))
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=race) for _ in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert sorted(sent) == [0] * (RACERS - 1) + [1]
    assert [m.to for m in mail.outbox] == [[world.user.email]]
    assert ReminderSent.objects.count() == 1
