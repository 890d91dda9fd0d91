"""Two reminder runs at the same moment send one reminder: each invoice's row is locked
and its reminders counted again under the lock (threads; the database's locks)."""

import threading

import pytest
from django.core import mail
from django.db import connection

from portail.billing.invoicing import reminders
from portail.billing.models import InvoiceEvent
from tests.clock import paris
from tests.world.invoices import fresh, invoice_world

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

RACERS = 4


def test_concurrent_runs_send_each_reminder_once():
    _world, invoice = invoice_world()
    mail.outbox.clear()
    now = paris(2026, 12, 10, 9, 0)
    barrier = threading.Barrier(RACERS)
    sent: list[int] = []
    errors: list[BaseException] = []

    def race() -> None:
        try:
            barrier.wait(timeout=30)
            sent.append(reminders.send_reminders(now=now))
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
    assert len(mail.outbox) == 1
    assert fresh(invoice).reminders_sent == 1
    assert InvoiceEvent.objects.filter(invoice=invoice, action="reminder").count() == 1
