"""Money received at the counter for an invoice: partial or whole, each method, never
more than what remains; the status follows the amounts; every payment in the history."""

import pytest

from portail.billing.invoicing.settling import InvoiceRefused, record_counter_payment
from portail.billing.models import COUNTER_METHODS, InvoicePayment, InvoiceStatus
from portail.reservations.models import Channel
from tests.world.invoices import TOTAL, actions, applied_cents, fresh, invoice_world
from tests.world.staff import gestionnaire

pytestmark = pytest.mark.django_db


def pay(invoice, amount, method="cash", **kwargs):
    return record_counter_payment(
        invoice,
        amount_cents=amount,
        method=method,
        actor=kwargs.pop("actor", None),
        channel=Channel.BACKOFFICE,
        **kwargs,
    )


@pytest.mark.parametrize("method", COUNTER_METHODS)
def test_each_counter_method_pays_part_then_the_rest(method):
    _world, invoice = invoice_world()
    staff = gestionnaire()
    first = pay(invoice, 1000, method, reference="CHQ 42", actor=staff)
    assert (first.method, first.amount_cents, first.reference) == (method, 1000, "CHQ 42")
    assert first.actor == staff and first.actor_label == staff.email
    invoice = fresh(invoice)
    assert invoice.status == InvoiceStatus.PARTIALLY_PAID
    assert (invoice.paid_cents, invoice.remaining_cents) == (1000, TOTAL - 1000)
    pay(invoice, TOTAL - 1000, method, actor=staff)
    invoice = fresh(invoice)
    assert invoice.status == InvoiceStatus.PAID
    assert invoice.remaining_cents == 0
    assert applied_cents(invoice) == TOTAL
    assert actions(invoice) == [("payment", 1000), ("payment", TOTAL - 1000)]


def test_a_whole_payment_at_once_marks_the_invoice_paid():
    _world, invoice = invoice_world()
    pay(invoice, TOTAL, "transfer")
    assert fresh(invoice).status == InvoiceStatus.PAID


@pytest.mark.parametrize(
    ("amount", "method", "code"),
    [
        (TOTAL + 1, "cash", "amount_too_large"),
        (0, "cash", "amount_invalid"),
        (-100, "cash", "amount_invalid"),
        ("100", "cash", "amount_invalid"),
        (True, "cash", "amount_invalid"),
        (100, "online", "method_invalid"),
        (100, "credit", "method_invalid"),
        (100, "bitcoin", "method_invalid"),
    ],
)
def test_bad_amounts_and_methods_are_refused_and_change_nothing(amount, method, code):
    _world, invoice = invoice_world()
    with pytest.raises(InvoiceRefused) as refused:
        pay(invoice, amount, method)
    assert refused.value.code == code
    assert refused.value.message
    invoice = fresh(invoice)
    assert (invoice.paid_cents, invoice.status) == (0, InvoiceStatus.UNPAID)
    assert not InvoicePayment.objects.exists()
    assert actions(invoice) == []


def test_over_payment_after_a_partial_one_is_refused():
    _world, invoice = invoice_world()
    pay(invoice, 2000)
    with pytest.raises(InvoiceRefused) as refused:
        pay(invoice, TOTAL - 2000 + 1)
    assert refused.value.code == "amount_too_large"
    assert "4,00" in refused.value.message  # what remains, in the message
    assert fresh(invoice).paid_cents == 2000


def test_a_paid_invoice_has_nothing_due():
    _world, invoice = invoice_world()
    pay(invoice, TOTAL)
    with pytest.raises(InvoiceRefused) as refused:
        pay(invoice, 1)
    assert refused.value.code == "nothing_due"
