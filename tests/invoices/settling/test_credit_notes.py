"""Credit notes (avoirs sur facture): partial or whole, with a reason and a gapless
number of their own; the part already paid goes back to the household's credit."""

import pytest

from portail.billing.invoicing.settling import (
    InvoiceRefused,
    cancel_invoice,
    issue_credit_note,
    record_counter_payment,
)
from portail.billing.models import CreditEntry, CreditKind, CreditNote, InvoiceStatus
from portail.reservations.models import Channel
from tests.world.invoices import TOTAL, actions, balance, fresh, invoice_world
from tests.world.staff import gestionnaire

pytestmark = pytest.mark.django_db

STAFF = {"channel": Channel.BACKOFFICE}


def note(invoice, amount, reason="Erreur de pointage", actor=None):
    return issue_credit_note(invoice, amount_cents=amount, reason=reason, actor=actor, **STAFF)


def counter(invoice, amount):
    return record_counter_payment(invoice, amount_cents=amount, method="cash", actor=None, **STAFF)


def test_a_partial_credit_note_lowers_what_remains():
    world, invoice = invoice_world()
    staff = gestionnaire()
    made = note(invoice, 800, actor=staff)
    assert made.number == "AV2026-000001"
    assert (made.amount_cents, made.refunded_cents, made.reason) == (800, 0, "Erreur de pointage")
    assert made.actor_label == staff.email
    invoice = fresh(invoice)
    assert (invoice.cancelled_cents, invoice.remaining_cents) == (800, TOTAL - 800)
    assert invoice.status == InvoiceStatus.UNPAID
    assert balance(world) == 0
    assert actions(invoice) == [("credit_note", 800)]


def test_credit_notes_are_numbered_without_gaps_and_refusals_take_no_number():
    _world, invoice = invoice_world()
    note(invoice, 100)
    with pytest.raises(InvoiceRefused):
        note(invoice, TOTAL)  # more than is left to cancel
    note(invoice, 100)
    assert list(CreditNote.objects.order_by("seq").values_list("number", flat=True)) == [
        "AV2026-000001",
        "AV2026-000002",
    ]


def test_a_whole_credit_note_cancels_the_invoice():
    _world, invoice = invoice_world()
    note(invoice, TOTAL)
    invoice = fresh(invoice)
    assert (invoice.status, invoice.remaining_cents) == (InvoiceStatus.CANCELLED, 0)


def test_the_rest_of_a_partly_paid_invoice_cancelled_makes_it_paid():
    _world, invoice = invoice_world()
    counter(invoice, 1000)
    note(invoice, TOTAL - 1000)
    invoice = fresh(invoice)
    assert (invoice.status, invoice.refunded_cents) == (InvoiceStatus.PAID, 0)


def test_a_credit_note_on_a_paid_invoice_gives_the_money_back_as_credit():
    world, invoice = invoice_world()
    counter(invoice, TOTAL)
    made = note(invoice, 500)
    assert made.refunded_cents == 500
    entry = CreditEntry.objects.get(kind=CreditKind.INVOICE_REFUND)
    assert (entry.amount_cents, entry.invoice_id, entry.reason) == (500, invoice.pk, made.number)
    assert balance(world) == 500
    invoice = fresh(invoice)
    assert (invoice.status, invoice.remaining_cents, invoice.refunded_cents) == (
        InvoiceStatus.PAID,
        0,
        500,
    )


def test_a_credit_note_beyond_what_remains_refunds_only_the_part_paid():
    world, invoice = invoice_world()
    counter(invoice, 1000)  # remaining 1400
    made = note(invoice, 2000)  # 1400 unpaid cancelled, 600 of the paid given back
    assert made.refunded_cents == 600
    assert balance(world) == 600
    invoice = fresh(invoice)
    assert (invoice.status, invoice.remaining_cents) == (InvoiceStatus.PAID, 0)


def test_cancel_gives_back_everything_paid_and_the_invoice_is_cancelled():
    world, invoice = invoice_world()
    counter(invoice, 1000)
    made = cancel_invoice(invoice, reason="Facture émise par erreur", actor=None, **STAFF)
    assert (made.amount_cents, made.refunded_cents) == (TOTAL, 1000)
    assert balance(world) == 1000
    invoice = fresh(invoice)
    assert (invoice.status, invoice.cancelled_cents, invoice.remaining_cents) == (
        InvoiceStatus.CANCELLED,
        TOTAL,
        0,
    )
    assert actions(invoice) == [("payment", 1000), ("credit_note", TOTAL)]
    with pytest.raises(InvoiceRefused) as refused:
        cancel_invoice(invoice, reason="Encore", actor=None, **STAFF)
    assert refused.value.code == "nothing_due"


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_a_credit_note_needs_a_reason(reason):
    _world, invoice = invoice_world()
    with pytest.raises(InvoiceRefused) as refused:
        note(invoice, 100, reason=reason)
    assert refused.value.code == "reason_required"
    with pytest.raises(InvoiceRefused) as refused:
        cancel_invoice(invoice, reason=reason, actor=None, **STAFF)
    assert refused.value.code == "reason_required"
    assert not CreditNote.objects.exists()
    assert fresh(invoice).cancelled_cents == 0


def test_no_credit_note_on_a_cancelled_invoice():
    _world, invoice = invoice_world()
    note(invoice, TOTAL)
    with pytest.raises(InvoiceRefused) as refused:
        note(invoice, 1)
    assert refused.value.code == "nothing_due"
