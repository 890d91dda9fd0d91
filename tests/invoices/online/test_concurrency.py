"""A counter payment and PayFiP's confirmation of the same invoice at the same moment,
with notifications and returns racing: the money is counted once, never twice, and
whatever the invoice no longer needs becomes credit."""

import threading

import pytest
import requests
from django.db import connections
from django.db.models import Sum

from portail.billing import credits, payments
from portail.billing.invoicing.settling import InvoiceRefused, record_counter_payment
from portail.billing.models import InvoicePayment, InvoiceStatus, Payment, PaymentState
from portail.payfip_simulator.models import NotificationMode, SimulatorBehaviour
from portail.reservations.models import Channel
from tests.world.invoices import TOTAL, fresh, invoice_world, start

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

RACERS = 6


@pytest.mark.parametrize("counter_cents", [TOTAL, 1000])
def test_counter_and_online_at_once_count_the_money_once(simulator, counter_cents):
    SimulatorBehaviour.objects.create(pk=1, notification=NotificationMode.NEVER)
    world, invoice = invoice_world()
    payment = start(world, invoice).payment
    assert simulator.submit(payment.idop, outcome="P").status_code == 302
    barrier = threading.Barrier(RACERS)
    counter: list = []
    errors: list = []
    notify = simulator.base + payments.NOTIFY_PATH
    back = simulator.base + payments.RETURN_PATH

    def race(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            if index == 0:
                try:
                    counter.append(
                        record_counter_payment(
                            invoice,
                            amount_cents=counter_cents,
                            method="cash",
                            actor=None,
                            channel=Channel.BACKOFFICE,
                        ).amount_cents
                    )
                except InvoiceRefused as refused:
                    counter.append(refused.code)
            elif index % 2:
                requests.post(notify, data={"idOp": payment.idop}, timeout=60)
            else:
                requests.get(back, params={"idop": payment.idop}, timeout=60)
        except Exception as error:  # pragma: no cover - shown by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=race, args=(i,)) for i in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    payment = Payment.objects.get(pk=payment.pk)
    assert payment.state == PaymentState.PAID
    invoice = fresh(invoice)
    assert (invoice.status, invoice.paid_cents) == (InvoiceStatus.PAID, TOTAL)
    online = InvoicePayment.objects.filter(payment=payment).aggregate(t=Sum("amount_cents"))["t"]
    taken_at_counter = counter[0] if isinstance(counter[0], int) else 0
    # Everything received is either on the invoice or in the credit, once.
    assert (online or 0) + taken_at_counter == TOTAL
    assert credits.balance_cents(world.household) == payment.amount_cents - (online or 0)
    assert taken_at_counter + payment.amount_cents == TOTAL + credits.balance_cents(world.household)
