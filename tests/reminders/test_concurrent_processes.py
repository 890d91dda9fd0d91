"""Separate processes (cron on two machines) running at the same instant send each
reminder once: on PostgreSQL the second insert of the claim waits for the first
transaction, then fails on the unique constraint. PostgreSQL only (SQLite serialises
writers: tests/reminders/test_concurrent_runs.py races threads there)."""

import datetime
import multiprocessing

import pytest
from django.db import connections

from portail.families.models import Document
from portail.reminders.models import ReminderSent
from portail.reminders.sending import send_due
from tests.reminders.helpers import WEEK_REMINDER_FROM
from tests.world.commune import build

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

RACERS = 4
NOW = WEEK_REMINDER_FROM + datetime.timedelta(hours=1)


def _race(barrier, results) -> None:
    try:
        barrier.wait(timeout=30)
        results.put(("done", send_due(NOW)))
    except BaseException as error:  # the parent asserts on it
        results.put(("error", repr(error)))
    finally:
        connections.close_all()


def test_processes_send_each_reminder_once():
    if connections["default"].vendor != "postgresql":
        pytest.skip("separate processes race on the unique index: PostgreSQL only")
    world = build(children=2)
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    connections.close_all()
    barrier = context.Barrier(RACERS)
    processes = [context.Process(target=_race, args=(barrier, results)) for _ in range(RACERS)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
        assert process.exitcode == 0
    messages = sorted(results.get(timeout=5) for _ in range(RACERS))
    assert messages == [("done", 0)] * (RACERS - 1) + [("done", 1)], messages
    assert ReminderSent.objects.count() == 1
    assert Document.objects.filter(household=world.household).count() == 1
