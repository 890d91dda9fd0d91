"""No notice before the due date for an invoice paid in full, nor once the date is past."""

import pytest
from django.core import mail

from portail.billing.invoicing import settling
from portail.reservations.models import Channel
from tests.clock import paris
from tests.reminders.helpers import run
from tests.world.invoices import invoice_world
from tests.world.staff import gestionnaire

pytestmark = pytest.mark.django_db


def test_a_paid_invoice_is_not_reminded(time_machine):
    _world, invoice = invoice_world()
    settling.record_counter_payment(
        invoice,
        amount_cents=invoice.remaining_cents,
        method="cheque",
        actor=gestionnaire(),
        channel=Channel.BACKOFFICE,
    )
    mail.outbox.clear()
    time_machine.move_to(paris(2026, 12, 1, 9, 0))
    run()
    assert mail.outbox == []


def test_an_invoice_past_its_due_date_gets_no_notice_from_here(time_machine):
    invoice_world()
    mail.outbox.clear()
    time_machine.move_to(paris(2026, 12, 4, 9, 0))
    run()
    assert mail.outbox == []
