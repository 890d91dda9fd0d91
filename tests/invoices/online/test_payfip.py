"""An invoice paid on PayFiP (the simulator over real HTTP): counted once when PayFiP
says paid, whatever comes twice, late, forged or with the wrong amount."""

import datetime
import uuid

import pytest
import requests
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from portail.billing import credits, payments
from portail.billing.invoicing.settling import record_counter_payment
from portail.billing.models import (
    InvoiceEvent,
    InvoicePayment,
    InvoiceStatus,
    Payment,
    PaymentState,
)
from portail.families.models import Document
from portail.payfip_simulator.models import NotificationMode, SimulatedOperation, SimulatorBehaviour
from portail.reservations.models import Channel
from tests.pdftext import text as pdf_text
from tests.world.invoices import (
    TOTAL,
    fresh,
    invoice_world,
    online_applied,
    start,
    surplus_cents,
)

pytestmark = pytest.mark.django_db(transaction=True)


def events(invoice) -> list[str]:
    return list(
        InvoiceEvent.objects.filter(invoice=invoice)
        .exclude(action="issued")
        .order_by("at", "pk")
        .values_list("action", flat=True)
    )


def test_paid_on_payfip_the_notification_counts_it_on_the_invoice(simulator):
    world, invoice = invoice_world()
    result = start(world, invoice)
    payment = result.payment
    assert (result.status, result.amount_cents) == ("awaiting_payment", TOTAL)
    assert result.payment_url == f"{simulator.page_url}?idop={payment.idop}"
    assert (payment.refdet, payment.attempt, payment.basket_id) == ("FA2026000001", 1, None)
    # A pending payment of an invoice is not the basket page's "payment in progress".
    assert payments.current_payment(world.household) is None
    page = simulator.open_page(payment.idop)
    assert "24,00" in page.text and "FA2026000001" in page.text
    answer = simulator.submit(payment.idop, outcome="P")
    assert answer.status_code == 302
    assert Payment.objects.get(pk=payment.pk).state == PaymentState.PAID
    invoice = fresh(invoice)
    assert (invoice.status, invoice.paid_cents) == (InvoiceStatus.PAID, TOTAL)
    assert online_applied(invoice) == [(payment.pk, TOTAL)]
    assert events(invoice) == ["online_started", "payment"]
    # The ticket: e-mailed and kept in "Mes documents".
    ticket = Document.objects.get(household=world.household, kind=Document.Kind.PAYMENT_TICKET)
    assert "FA2026-000001" in ticket.title and "24,00" in ticket.body
    (sent,) = [m for m in mail.outbox if "FA2026-000001" in m.subject]
    ((filename, content, mimetype),) = sent.attachments
    assert (filename, mimetype) == ("facture-FA2026-000001.pdf", "application/pdf")
    assert "FA2026-000001" in pdf_text(content)
    # The browser comes back: nothing counted twice.
    requests.get(answer.headers["Location"], timeout=10)
    assert fresh(invoice).paid_cents == TOTAL
    assert InvoicePayment.objects.count() == 1


def test_notified_twice_is_counted_once(simulator):
    SimulatorBehaviour.objects.create(pk=1, notification=NotificationMode.TWICE)
    world, invoice = invoice_world()
    payment = start(world, invoice).payment
    simulator.submit(payment.idop, outcome="P")
    payments.refresh_payment(payment.idop, source=payments.SOURCE_POLL)
    assert fresh(invoice).paid_cents == TOTAL
    assert online_applied(invoice) == [(payment.pk, TOTAL)]
    assert Document.objects.filter(kind=Document.Kind.PAYMENT_TICKET).count() == 1


def test_refused_changes_nothing_and_a_second_attempt_pays(simulator):
    world, invoice = invoice_world()
    first = start(world, invoice).payment
    simulator.submit(first.idop, outcome="R")
    assert Payment.objects.get(pk=first.pk).state == PaymentState.REFUSED
    invoice = fresh(invoice)
    assert (invoice.status, invoice.paid_cents) == (InvoiceStatus.UNPAID, 0)
    assert events(invoice) == ["online_started", "online_failed"]
    second = start(world, invoice).payment
    assert (second.attempt, second.refdet) == (2, first.refdet)
    simulator.submit(second.idop, outcome="V")
    assert fresh(invoice).status == InvoiceStatus.PAID
    assert online_applied(invoice) == [(second.pk, TOTAL)]


def test_paid_after_expiry_is_still_counted(simulator, settings):
    SimulatorBehaviour.objects.create(pk=1, notification=NotificationMode.NEVER)
    world, invoice = invoice_world()
    payment = start(world, invoice).payment
    # No result for longer than PAYFIP_PENDING_MAX_MINUTES: expired.
    later = timezone.now() + datetime.timedelta(minutes=settings.PAYFIP_PENDING_MAX_MINUTES + 1)
    payments.check_pending_payments(now=later)
    assert Payment.objects.get(pk=payment.pk).state == PaymentState.EXPIRED
    assert fresh(invoice).status == InvoiceStatus.UNPAID
    assert events(invoice) == ["online_started", "online_failed"]
    # The parent had paid after all: the poll finds it.
    simulator.submit(payment.idop, outcome="P")
    payments.check_pending_payments(now=later)
    assert Payment.objects.get(pk=payment.pk).state == PaymentState.PAID
    invoice = fresh(invoice)
    assert (invoice.status, invoice.paid_cents) == (InvoiceStatus.PAID, TOTAL)
    # Late: the family and the staff are told.
    assert Document.objects.filter(kind=Document.Kind.MESSAGE).exists()


def test_paid_at_the_counter_meanwhile_the_online_money_becomes_credit(simulator):
    SimulatorBehaviour.objects.create(pk=1, notification=NotificationMode.NEVER)
    world, invoice = invoice_world()
    payment = start(world, invoice).payment
    simulator.submit(payment.idop, outcome="P")
    record_counter_payment(
        invoice, amount_cents=1000, method="cash", actor=None, channel=Channel.BACKOFFICE
    )
    call_command("check_payments", verbosity=0)
    payment = Payment.objects.get(pk=payment.pk)
    assert payment.state == PaymentState.PAID
    invoice = fresh(invoice)
    assert (invoice.status, invoice.paid_cents) == (InvoiceStatus.PAID, TOTAL)
    assert online_applied(invoice) == [(payment.pk, TOTAL - 1000)]
    assert surplus_cents(payment) == 1000
    assert credits.balance_cents(world.household) == 1000
    message = Document.objects.get(kind=Document.Kind.MESSAGE)
    assert "10,00" in message.body


def test_wrong_amount_is_a_mismatch_and_counts_nothing(simulator):
    world, invoice = invoice_world()
    payment = start(world, invoice).payment
    SimulatedOperation.objects.filter(idop=payment.idop).update(montant_cents=TOTAL - 100)
    simulator.submit(payment.idop, outcome="P")
    assert Payment.objects.get(pk=payment.pk).state == PaymentState.MISMATCH
    invoice = fresh(invoice)
    assert (invoice.status, invoice.paid_cents) == (InvoiceStatus.UNPAID, 0)
    assert not InvoicePayment.objects.exists()
    assert credits.balance_cents(world.household) == 0
    assert events(invoice) == ["online_started", "online_failed"]


def test_forged_notifications_change_nothing(simulator, live_server):
    world, invoice = invoice_world()
    payment = start(world, invoice).payment
    for idop in (str(uuid.uuid4()), payment.idop):  # unknown; real but not paid
        answer = requests.post(
            live_server.url + payments.NOTIFY_PATH, data={"idOp": idop}, timeout=10
        )
        assert (answer.status_code, answer.text) == (200, "OK")
    assert Payment.objects.get(pk=payment.pk).state == PaymentState.PENDING
    assert fresh(invoice).paid_cents == 0
    assert not InvoicePayment.objects.exists()
