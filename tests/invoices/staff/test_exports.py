"""The régie's CSV files from the invoices page: the invoices issued over a period and
the money applied to invoices over a period; their columns, the period's bounds, totals,
and no cell a spreadsheet would read as a formula."""

import csv
import io

import pytest
from django.conf import settings
from django.urls import reverse

from portail.billing import credits
from portail.billing.invoicing import settling
from portail.reservations.models import Channel
from tests.world.invoices import LEISURE_PRICE as PRICE
from tests.world.invoices import fresh, invoice_world, invoices_in_every_state
from tests.world.staff import client_for, gestionnaire

pytestmark = pytest.mark.django_db

INVOICES = reverse("backoffice:invoices_export")
PAYMENTS = reverse("backoffice:invoice_payments_export")

INVOICE_COLUMNS = [
    "Invoice number",
    "Issue date",
    "Due date",
    "Period start",
    "Period end",
    "Household",
    "Household number",
    "Status",
    "Total (cents)",
    "Total",
    "Paid (cents)",
    "Paid",
    "Cancelled by credit notes (cents)",
    "Cancelled by credit notes",
    "Given back as credit (cents)",
    "Given back as credit",
    "Remaining (cents)",
    "Remaining",
    "Reminders sent",
]
PAYMENT_COLUMNS = [
    "Date",
    "Time",
    "Invoice number",
    "Household",
    "Household number",
    "Means of payment",
    "Debt reference (refdet)",
    "PayFiP operation id (idOp)",
    "Authorisation number or reference",
    "Recorded by",
    "Amount (cents)",
    "Amount",
]


@pytest.fixture
def client():
    return client_for(gestionnaire("gestion@example.org"))


def rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_invoices_issued_in_the_period(client, settings):
    states = invoices_in_every_state(settings)
    table = rows(
        english(client).get(
            INVOICES, {"invoices-start": "2026-10-01", "invoices-end": "2026-10-31"}
        )
    )
    assert table[0] == INVOICE_COLUMNS
    body = [row for row in table[1:] if row and row[0].startswith("FA")]
    numbers = sorted(row[0] for row in body)
    early = [states.unpaid, states.partial, states.paid, states.cancelled]
    assert numbers == sorted(i.number for i in early)
    partial = next(row for row in body if row[0] == states.partial.number)
    assert partial[1:8] == [
        "12/10/2026",
        "22/10/2026",
        "01/10/2026",
        "31/10/2026",
        "Famille Partial",
        str(states.partial.household_id),
        "Partially paid",
    ]
    assert partial[8:] == [
        str(PRICE),
        "€8.00",
        "300",
        "€3.00",
        "0",
        "€0.00",
        "0",
        "€0.00",
        "500",
        "€5.00",
        "0",
    ]
    total = table[-1]
    assert total[0] == "Total of 4 invoices"
    assert total[8] == str(4 * PRICE)
    assert total[16] == str(2 * PRICE - 300)


def test_the_period_bounds_are_the_issue_dates(client, settings):
    states = invoices_in_every_state(settings)
    only_recent = rows(
        client.get(INVOICES, {"invoices-start": "03/11/2026", "invoices-end": "03/11/2026"})
    )
    assert [r[0] for r in only_recent[1:] if r and r[0].startswith("FA")] == [states.recent.number]
    nothing = rows(
        client.get(INVOICES, {"invoices-start": "2026-10-13", "invoices-end": "2026-11-02"})
    )
    assert [r for r in nothing[1:] if r and r[0].startswith("FA")] == []


def test_the_payments_received_in_the_period(time_machine):
    world, invoice = invoice_world()
    gestion = gestionnaire("caisse@example.org")
    money = {"actor": gestion, "channel": Channel.BACKOFFICE}
    time_machine.move_to("2026-11-03 10:15 +01:00")
    settling.record_counter_payment(
        invoice, amount_cents=500, method="cheque", reference="CHQ 0042", **money
    )
    credits.adjust(world.household, 300, reason="Geste", actor=gestion)
    settling.apply_credit(invoice, **money)
    time_machine.move_to("2026-11-04 09:00 +01:00")
    settling.record_counter_payment(invoice, amount_cents=200, method="cesu", **money)
    client = client_for(gestionnaire("regie@example.org"))  # signed in on this day
    table = rows(
        english(client).get(
            PAYMENTS, {"payments-start": "2026-11-03", "payments-end": "2026-11-03"}
        )
    )
    assert table[0] == PAYMENT_COLUMNS
    body = table[1:3]
    assert body[0] == [
        "03/11/2026",
        "10:15",
        invoice.number,
        world.household.name,
        str(world.household.pk),
        "Cheque",
        "",
        "",
        "CHQ 0042",
        "caisse@example.org",
        "500",
        "€5.00",
    ]
    assert body[1][5] == "Household credit"
    assert body[1][10] == "300"
    assert table[3] == []
    assert table[-1][0] == "Total"
    assert table[-1][9:] == ["2", "800", "€8.00"]
    whole = rows(
        client.get(PAYMENTS, {"payments-start": "2026-11-01", "payments-end": "2026-11-30"})
    )
    assert "200" in [row[10] for row in whole[1:] if len(row) > 10]
    assert fresh(invoice).paid_cents == 1000


def test_no_cell_is_a_formula(client):
    world, invoice = invoice_world()
    world.household.name = '=HYPERLINK("http://evil.example","x")'
    world.household.save(update_fields=["name"])
    settling.record_counter_payment(
        invoice,
        amount_cents=100,
        method="cheque",
        reference="+33 cmd|' /C calc'!A0",
        actor=None,
        channel=Channel.BACKOFFICE,
    )
    day = {"start": "2026-11-03", "end": "2026-11-03"}
    for url, prefix in ((INVOICES, "invoices"), (PAYMENTS, "payments")):
        table = rows(client.get(url, {f"{prefix}-{k}": v for k, v in day.items()}))
        cells = [cell for row in table for cell in row]
        assert '\'=HYPERLINK("http://evil.example","x")' in cells
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    table = rows(client.get(PAYMENTS, {f"payments-{k}": v for k, v in day.items()}))
    assert "'+33 cmd|' /C calc'!A0" in [cell for row in table for cell in row]


@pytest.mark.parametrize("url", [INVOICES, PAYMENTS])
@pytest.mark.parametrize(
    "period",
    [
        ("2026-11-30", "2026-11-01"),
        ("2024-01-01", "2026-11-03"),
        ("31/02/2026", "2026-03-01"),
        ("", ""),
    ],
)
def test_a_bad_period_is_refused_on_the_page(client, url, period):
    prefix = "invoices" if url == INVOICES else "payments"
    response = client.get(url, {f"{prefix}-start": period[0], f"{prefix}-end": period[1]})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert response.context[f"{prefix}_form"].errors


def test_without_a_period_this_month_so_far(client):
    _world, invoice = invoice_world()
    table = rows(client.get(INVOICES))
    assert invoice.number in [row[0] for row in table if row]
