"""One invoice for the gestionnaire: lines, payments, credit notes, history; the forms
that record a counter payment, apply the household's credit and issue a credit note.
Bad input gets a clear error (400) and changes nothing."""

import pytest
from django.urls import reverse

from portail.billing import credits
from portail.billing.models import (
    COUNTER_METHODS,
    CreditEntry,
    CreditNote,
    InvoiceEvent,
    InvoicePayment,
    InvoiceStatus,
)
from tests.world.invoices import TOTAL, fresh, invoice_world
from tests.world.staff import client_for, gestionnaire

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    world, invoice = invoice_world()
    user = gestionnaire("gestion@example.org")
    client = client_for(user)
    return world, invoice, client, user


def url(name, invoice) -> str:
    return reverse(f"backoffice:{name}", args=[invoice.pk])


def snapshot(invoice) -> tuple:
    row = fresh(invoice)
    return (
        row.status,
        row.paid_cents,
        row.cancelled_cents,
        row.refunded_cents,
        InvoicePayment.objects.count(),
        CreditNote.objects.count(),
        CreditEntry.objects.count(),
        InvoiceEvent.objects.count(),
    )


def test_the_page_shows_lines_amounts_and_history(setup):
    world, invoice, client, _user = setup
    response = client.get(url("invoice", invoice))
    assert response.status_code == 200
    page = response.content.decode()
    assert invoice.number in page
    assert len(response.context["file"].lines) == 3
    assert world.child.first_name in page
    assert "Centre de loisirs" in page
    assert [e.action for e in response.context["file"].events] == ["issued"]


@pytest.mark.parametrize("method", COUNTER_METHODS)
def test_a_counter_payment_with_each_method(setup, method):
    _world, invoice, client, user = setup
    response = client.post(
        url("invoice_payment", invoice),
        {"payment-amount": "10,50", "payment-method": method, "payment-reference": "N° 1234"},
    )
    assert response.status_code == 302
    assert response["Location"] == url("invoice", invoice)
    (paid,) = InvoicePayment.objects.all()
    assert (paid.amount_cents, paid.method, paid.reference) == (1050, method, "N° 1234")
    assert (paid.actor, paid.channel) == (user, "backoffice")
    row = fresh(invoice)
    assert (row.status, row.remaining_cents) == (InvoiceStatus.PARTIALLY_PAID, TOTAL - 1050)
    page = client.get(url("invoice", invoice)).content.decode()
    assert "N° 1234" in page
    assert "10,50" in page


def test_the_whole_remaining_pays_the_invoice(setup):
    _world, invoice, client, _user = setup
    client.post(
        url("invoice_payment", invoice), {"payment-amount": "24", "payment-method": "cheque"}
    )
    assert fresh(invoice).status == InvoiceStatus.PAID
    page = client.get(url("invoice", invoice)).content.decode()
    assert 'name="payment-amount"' not in page  # nothing left to pay: no form


@pytest.mark.parametrize(
    ("amount", "method"),
    [
        ("1e3", "cash"),
        ("-5", "cash"),
        ("abc", "cash"),
        ("0", "cash"),
        ("", "cash"),
        ("12,345", "cash"),
        ("24,01", "cash"),  # more than what remains
        ("5", "bitcoin"),
        ("5", "online"),  # written by the portal itself, never typed
        ("5", "credit"),
    ],
)
def test_a_bad_payment_is_refused_and_changes_nothing(setup, amount, method):
    _world, invoice, client, _user = setup
    before = snapshot(invoice)
    response = client.post(
        url("invoice_payment", invoice), {"payment-amount": amount, "payment-method": method}
    )
    assert response.status_code == 400
    form = response.context["payment_form"]
    assert form.errors
    assert snapshot(invoice) == before


def test_more_than_the_remaining_says_how_much_remains(setup):
    _world, invoice, client, _user = setup
    client.post(url("invoice_payment", invoice), {"payment-amount": "20", "payment-method": "cash"})
    response = client.post(
        url("invoice_payment", invoice), {"payment-amount": "5", "payment-method": "cash"}
    )
    assert response.status_code == 400
    (message,) = response.context["payment_form"].errors["amount"]
    assert "4,00" in message
    assert fresh(invoice).remaining_cents == 400


def test_a_paid_invoice_takes_no_more_payment(setup):
    _world, invoice, client, _user = setup
    client.post(url("invoice_payment", invoice), {"payment-amount": "24", "payment-method": "cash"})
    before = snapshot(invoice)
    response = client.post(
        url("invoice_payment", invoice), {"payment-amount": "1", "payment-method": "cash"}
    )
    assert response.status_code == 400
    assert response.context["payment_form"].non_field_errors()
    assert snapshot(invoice) == before


def test_the_households_credit_applied(setup):
    world, invoice, client, user = setup
    credits.adjust(world.household, 1000, reason="Geste commercial", actor=user)
    response = client.post(url("invoice_apply_credit", invoice))
    assert response.status_code == 302
    (used,) = InvoicePayment.objects.all()
    assert (used.method, used.amount_cents) == ("credit", 1000)
    assert credits.balance_cents(world.household) == 0
    assert fresh(invoice).remaining_cents == TOTAL - 1000


def test_credit_beyond_the_remaining_stays_credit(setup):
    world, invoice, client, user = setup
    credits.adjust(world.household, TOTAL + 500, reason="Trop perçu", actor=user)
    client.post(url("invoice_apply_credit", invoice))
    assert fresh(invoice).status == InvoiceStatus.PAID
    assert credits.balance_cents(world.household) == 500


def test_no_credit_says_so_and_changes_nothing(setup):
    _world, invoice, client, _user = setup
    before = snapshot(invoice)
    response = client.post(url("invoice_apply_credit", invoice), follow=True)
    assert [str(m) for m in response.context["messages"]]
    assert snapshot(invoice) == before


def test_a_credit_note_with_its_reason(setup):
    world, invoice, client, user = setup
    client.post(url("invoice_payment", invoice), {"payment-amount": "20", "payment-method": "cash"})
    response = client.post(
        url("invoice_credit_note", invoice),
        {"note-amount": "8", "note-reason": "Journée du 05/10 facturée par erreur"},
    )
    assert response.status_code == 302
    (note,) = CreditNote.objects.all()
    assert (note.amount_cents, note.refunded_cents) == (800, 400)
    assert note.reason == "Journée du 05/10 facturée par erreur"
    assert note.actor == user
    assert credits.balance_cents(world.household) == 400
    row = fresh(invoice)
    assert (row.status, row.remaining_cents) == (InvoiceStatus.PAID, 0)
    page = client.get(url("invoice", invoice)).content.decode()
    assert note.number in page
    assert "facturée par erreur" in page


@pytest.mark.parametrize(
    ("amount", "reason"),
    [
        ("8", ""),
        ("8", "   "),
        ("1e3", "x"),
        ("-8", "x"),
        ("abc", "x"),
        ("0", "x"),
        ("24,01", "x"),  # more than the total
    ],
)
def test_a_bad_credit_note_is_refused_and_changes_nothing(setup, amount, reason):
    _world, invoice, client, _user = setup
    before = snapshot(invoice)
    response = client.post(
        url("invoice_credit_note", invoice), {"note-amount": amount, "note-reason": reason}
    )
    assert response.status_code == 400
    assert response.context["credit_note_form"].errors
    assert snapshot(invoice) == before


def test_a_credit_note_without_reason_says_a_reason_is_required(setup):
    _world, invoice, client, _user = setup
    response = client.post(url("invoice_credit_note", invoice), {"note-amount": "8"})
    assert response.status_code == 400
    assert response.context["credit_note_form"].errors["reason"]
    assert not CreditNote.objects.exists()


def test_a_credit_note_of_everything_cancels_the_invoice(setup):
    _world, invoice, client, _user = setup
    client.post(
        url("invoice_credit_note", invoice), {"note-amount": "24", "note-reason": "Doublon"}
    )
    assert fresh(invoice).status == InvoiceStatus.CANCELLED
    page = client.get(url("invoice", invoice)).content.decode()
    assert 'name="note-amount"' not in page
    assert 'name="payment-amount"' not in page


def test_every_change_is_in_the_history(setup):
    world, invoice, client, user = setup
    credits.adjust(world.household, 100, reason="x", actor=user)
    client.post(url("invoice_payment", invoice), {"payment-amount": "5", "payment-method": "cesu"})
    client.post(url("invoice_apply_credit", invoice))
    client.post(url("invoice_credit_note", invoice), {"note-amount": "2", "note-reason": "Geste"})
    events = client.get(url("invoice", invoice)).context["file"].events
    assert [(e.action, e.amount_cents) for e in events] == [
        ("issued", TOTAL),
        ("payment", 500),
        ("payment", 100),
        ("credit_note", 200),
    ]
    assert all(e.actor == user for e in events[1:])
