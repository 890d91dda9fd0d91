"""The invoice's PDF, read back as text (tests/pdftext.py): the collectivité and its régie,
the number, dates and period, the lines per child, totals, paid, remaining, how to pay."""

import pytest

from tests.pdftext import find_row, lines
from tests.pdftext import text as pdf_text
from tests.world.web import fr

from .helpers import invoiced_world, login, pay

pytestmark = pytest.mark.django_db


def test_the_pdf_says_everything_a_family_needs(client):
    world, invoice = invoiced_world()
    pay(invoice, 300)
    login(client, world)
    response = client.get(f"/factures/{invoice.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"facture-{invoice.number}.pdf" in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert "Commune de Malves" in text and "1 place de la Mairie" in text
    assert fr("Collection office (régie) of %(name)s", name="Commune de Malves") in text
    assert "123456" in text  # the PayFiP client number
    assert fr("Invoice %(number)s", number=invoice.number) in text
    assert world.household.name in text
    for label, value in (
        ("Issued on", "03/11/2026"),
        ("Due on", "03/12/2026"),
        ("Total of the invoice", "11,00 €"),
        ("Paid", "3,00 €"),
        ("Remaining to pay", "8,00 €"),
    ):
        assert f"{fr(label)} {value}" in text
    assert fr("%(start)s to %(end)s", start="01/10/2026", end="31/10/2026") in text
    first, second = world.children
    all_lines = lines(response.content)
    # One table per child: day, activity, label, quantity, unit price, total.
    assert f"{first.last_name} {first.first_name}" in all_lines
    assert find_row(all_lines, ["05/10/2026", "ALAE soir"]) >= 0
    assert find_row(all_lines, ["1", "1,00 €", "1,00 €"]) >= 0
    assert find_row(all_lines, ["1", "8,00 €", "8,00 €"]) >= 0
    assert f"{second.last_name} {second.first_name}" in all_lines
    assert fr("How to pay") in text
    assert "/factures/" in text  # the portal's page to pay online
    assert fr("Cash") in text and fr("CESU") in text and fr("Bank transfer") in text


def test_a_paid_invoice_has_no_how_to_pay(client):
    world, invoice = invoiced_world()
    pay(invoice, invoice.total_cents)
    login(client, world)
    text = pdf_text(client.get(f"/factures/{invoice.pk}/pdf/").content)
    assert fr("How to pay") not in text
    assert f"{fr('Remaining to pay')} 0,00 €" in text
