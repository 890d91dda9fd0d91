"""An unpaid invoice is reminded once, 3 days before its due date: not before, not again
at the next runs; billing's own reminders after the due date are untouched."""

import datetime

import pytest
from django.core import mail

from portail.billing.invoicing.reminders import send_reminders
from tests.clock import paris
from tests.reminders.helpers import run, sent
from tests.world.invoices import fresh, invoice_world

pytestmark = pytest.mark.django_db


def test_the_invoice_is_reminded_once_before_it_is_due(time_machine):
    world, invoice = invoice_world()
    assert invoice.due_on == datetime.date(2026, 12, 3)
    mail.outbox.clear()

    time_machine.move_to(paris(2026, 11, 29, 23, 0))
    run()
    assert mail.outbox == []

    time_machine.move_to(paris(2026, 11, 30, 7, 0))
    run()
    run()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.guardian.user.email]
    assert invoice.number in message.subject and "03/12/2026" in message.subject
    assert f"/factures/{invoice.pk}/payer/" in message.body
    assert "/mes-donnees/rappels/#reminder-invoice_due" in message.body

    time_machine.move_to(paris(2026, 12, 3, 18, 0))
    run()
    assert len(mail.outbox) == 1
    assert [r.key for r in sent("invoice_due")] == [f"{invoice.pk}@2026-12-03"]
    assert fresh(invoice).reminders_sent == 0  # the relances are billing's, after the date

    time_machine.move_to(paris(2026, 12, 10, 9, 0))
    run()
    assert send_reminders() == 1
    assert len(mail.outbox) == 2
