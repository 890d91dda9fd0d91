"""The household's credit (avoir) applied to an invoice: as much as is available and
due, one ledger debit per use (invoice_payment), never credit a pending basket payment
holds."""

import pytest

from portail.billing.invoicing.settling import InvoiceRefused, apply_credit
from portail.billing.models import CreditEntry, CreditKind, InvoiceStatus
from portail.reservations.models import Channel
from tests.factories import pending_basket_payment
from tests.world.invoices import TOTAL, actions, balance, fresh, grant, invoice_world

pytestmark = pytest.mark.django_db


def use(invoice, **kwargs):
    return apply_credit(invoice, actor=None, channel=Channel.BACKOFFICE, **kwargs)


def test_credit_smaller_than_the_invoice_pays_part_of_it():
    world, invoice = invoice_world()
    grant(world, 1500)
    applied = use(invoice)
    assert (applied.method, applied.amount_cents) == ("credit", 1500)
    entry = applied.credit_entry
    assert (entry.kind, entry.amount_cents, entry.invoice_id) == (
        CreditKind.INVOICE_PAYMENT,
        -1500,
        invoice.pk,
    )
    assert balance(world) == 0
    invoice = fresh(invoice)
    assert (invoice.status, invoice.remaining_cents) == (InvoiceStatus.PARTIALLY_PAID, TOTAL - 1500)
    assert actions(invoice) == [("payment", 1500)]


def test_credit_larger_than_the_invoice_pays_it_and_the_rest_stays_credit():
    world, invoice = invoice_world()
    grant(world, TOTAL + 700)
    assert use(invoice).amount_cents == TOTAL
    assert fresh(invoice).status == InvoiceStatus.PAID
    assert balance(world) == 700


def test_max_cents_limits_the_credit_used():
    world, invoice = invoice_world()
    grant(world, 2000)
    assert use(invoice, max_cents=500).amount_cents == 500
    assert balance(world) == 1500


def test_no_credit_writes_nothing():
    _world, invoice = invoice_world()
    assert use(invoice) is None
    assert not CreditEntry.objects.exists()
    assert actions(invoice) == []


def test_credit_on_a_paid_invoice_is_refused():
    world, invoice = invoice_world()
    grant(world, TOTAL * 2)
    use(invoice)
    with pytest.raises(InvoiceRefused) as refused:
        use(invoice)
    assert refused.value.code == "nothing_due"
    assert balance(world) == TOTAL


def test_credit_held_by_a_pending_basket_payment_is_not_used():
    world, invoice = invoice_world()
    grant(world, 1000)
    pending_basket_payment(world.household, hold=600)
    assert use(invoice).amount_cents == 400
    assert balance(world) == 600
