"""The home page's "Payer ma facture" block: "Payer les factures (N)" with N the invoices
still to pay, those invoices listed (number, due date, remaining, overdue in words), or
"Aucune facture impayée n'est à montrer"."""

import datetime

import pytest

from tests.pdftext import normalize
from tests.world import invoices as w
from tests.world.web import fr, text_of

from .helpers import invoiced_world, login, pay

pytestmark = pytest.mark.django_db


def block(client) -> str:
    page = client.get("/").content.decode()
    start = page.index('id="block-invoice"')
    return normalize(text_of(page[start : page.index("</section>", start)]))


def test_no_invoice_says_so_in_french(client):
    world = w.build()
    login(client, world)
    text = block(client)
    assert "Payer ma facture" in text
    assert fr("Pay the invoices (%(count)s)", count=0) in text
    assert "Aucune facture impayée n'est à montrer." in text


def test_unpaid_invoices_are_counted_and_listed(client, time_machine):
    world, invoice = invoiced_world()
    login(client, world)
    text = block(client)
    assert fr("Pay the invoices (%(count)s)", count=1) in text
    assert invoice.number in text
    assert "Aucune facture impayée" not in text
    # 2 presences at 1,00 € + a booked day at 8,00 € + 1 presence at 1,00 €.
    assert fr("%(amount)s to pay, due on %(date)s", amount="11,00 €", date="03/12/2026") in text
    assert fr("overdue") not in text
    pay(invoice, 500)
    text = block(client)
    assert fr("%(amount)s to pay, due on %(date)s", amount="6,00 €", date="03/12/2026") in text
    time_machine.move_to(datetime.datetime(2026, 12, 4, 9, 0, tzinfo=datetime.UTC))
    login(client, world)  # a new session at the new time
    assert fr("overdue") in block(client)


def test_a_paid_invoice_leaves_the_block(client):
    world, invoice = invoiced_world()
    pay(invoice, invoice.total_cents)
    login(client, world)
    text = block(client)
    assert fr("Pay the invoices (%(count)s)", count=0) in text
    assert invoice.number not in text
    assert "Aucune facture impayée n'est à montrer." in text


def test_another_households_invoices_are_not_counted(client):
    world, _invoice = invoiced_world()
    household, _kid = w.another_household(world)
    client.force_login(household.guardians.get().user)
    assert fr("Pay the invoices (%(count)s)", count=0) in block(client)
