"""The family's invoices pages: the list (number, period, dates, amounts, status in words,
PDF link), one invoice (lines per child, payments, credit notes, history), guardians of
the household only; another household's invoice is a 404 like one that does not exist."""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from portail.billing.invoicing import queries, settling
from portail.billing.models import Invoice, InvoiceStatus
from portail.reservations.models import Channel
from tests import factories
from tests.clock import NOW
from tests.pdftext import normalize
from tests.world import invoices as w
from tests.world.web import fr, text_of

from .helpers import invoiced_world, login, pay

pytestmark = pytest.mark.django_db


def french(label) -> str:
    """A lazy label (a status, with its context) as a French page shows it."""
    with translation.override("fr"):
        return str(label)


def read(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return normalize(text_of(response.content.decode()))


def test_the_list_shows_every_figure_in_words(client):
    world, invoice = invoiced_world()
    pay(invoice, 300)
    login(client, world)
    page = client.get("/factures/").content.decode()
    text = normalize(text_of(page))
    assert invoice.number in text
    assert fr("%(start)s to %(end)s", start="01/10/2026", end="31/10/2026") in text
    for figure in ("03/11/2026", "03/12/2026", "11,00 €", "3,00 €", "8,00 €"):
        assert figure in text
    assert french(InvoiceStatus.PARTIALLY_PAID.label) in text
    assert f'href="/factures/{invoice.pk}/pdf/"' in page
    assert "<caption" in page and 'scope="col"' in page and 'scope="row"' in page


def test_an_overdue_invoice_says_so(client, time_machine):
    world, _invoice = invoiced_world()
    time_machine.move_to(datetime.datetime(2027, 1, 5, 9, 0, tzinfo=datetime.UTC))
    login(client, world)
    assert fr("overdue") in read(client, "/factures/")


def test_the_detail_lists_lines_per_child_payments_and_history(client):
    world, invoice = invoiced_world()
    pay(invoice, 500, method="cheque")
    login(client, world)
    text = read(client, f"/factures/{invoice.pk}/")
    first, second = world.children
    assert f"{first.last_name} {first.first_name}" in text
    assert f"{second.last_name} {second.first_name}" in text
    assert "05/10/2026" in text and "07/10/2026" in text and "08/10/2026" in text
    assert "ALAE soir" in text and "Centre de loisirs" in text
    assert fr("Total for %(child)s", child=f"{first.last_name} {first.first_name}") in text
    assert "10,00 €" in text  # the first child's total
    assert fr("Cheque") in text and "5,00 €" in text
    assert fr("Issued") in text and fr("Payment received") in text
    assert fr("Remaining to pay") in text and "6,00 €" in text


def test_the_pay_link_shows_only_while_something_is_due(client):
    world, invoice = invoiced_world()
    login(client, world)
    page = client.get(f"/factures/{invoice.pk}/").content.decode()
    assert f"/factures/{invoice.pk}/payer/" in page
    pay(invoice, invoice.total_cents)
    page = client.get(f"/factures/{invoice.pk}/").content.decode()
    assert f"/factures/{invoice.pk}/payer/" not in page
    assert french(InvoiceStatus.PAID.label) in normalize(text_of(page))


def test_a_credit_note_is_shown(client):
    world, invoice = invoiced_world()
    settling.issue_credit_note(
        invoice,
        amount_cents=100,
        reason="Sortie annulée",
        actor=None,
        channel=Channel.BACKOFFICE,
        now=NOW,
    )
    login(client, world)
    text = read(client, f"/factures/{invoice.pk}/")
    assert "AV2026-000001" in text and "Sortie annulée" in text
    assert fr("Cancelled by credit notes") in text


@pytest.mark.parametrize("suffix", ["", "pdf/"])
def test_another_households_invoice_is_not_found(client, suffix):
    world, invoice = invoiced_world()
    household, _kid = w.another_household(world)
    client.force_login(household.guardians.get().user)
    assert client.get(f"/factures/{invoice.pk}/{suffix}").status_code == 404
    assert client.get(f"/factures/{invoice.pk + 1000}/{suffix}").status_code == 404
    login(client, world)
    assert client.get(f"/factures/{invoice.pk}/{suffix}").status_code == 200


def test_guardians_only(client):
    world, invoice = invoiced_world()
    for url in ("/factures/", f"/factures/{invoice.pk}/", f"/factures/{invoice.pk}/pdf/"):
        client.logout()
        assert client.get(url).status_code == 302  # to the login page
        client.force_login(factories.staff())
        assert client.get(url).status_code == 403


def test_an_empty_list(client):
    world = w.build()
    login(client, world)
    assert fr("No invoice yet.") in read(client, "/factures/")


def test_queries_are_few_whatever_the_number_of_lines():
    world, invoice = invoiced_world()
    pay(invoice, 100)
    pay(invoice, 100)
    with CaptureQueriesContext(connection) as few:
        found = queries.invoice_for_household(world.household, invoice.pk)
        lines = [(line.child.first_name, line.session.activity.name) for line in found.lines.all()]
        list(found.payments_applied.all()), list(found.events.all()), list(found.credit_notes.all())
    assert len(lines) == 4
    # The invoice, its lines (child, session, activity joined), payments, credit notes, events.
    assert len(few) == 5
    assert list(queries.unpaid_invoices(world.household)) == [invoice]
    pay(invoice, invoice.total_cents - 200)
    assert list(queries.unpaid_invoices(world.household)) == []
    assert list(queries.household_invoices(world.household)) == [invoice]


def test_invoice_for_household_refuses_another_household():
    world, invoice = invoiced_world()
    household, _kid = w.another_household(world)
    with pytest.raises(Http404):
        queries.invoice_for_household(household, invoice.pk)
    assert Invoice.objects.filter(pk=invoice.pk).exists()


def page_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as done:
        assert client.get(url).status_code == 200
    return len(done)


def test_the_home_and_list_pages_run_the_same_queries_for_one_invoice_or_three(client):
    world, _invoice = invoiced_world()
    login(client, world)
    home, listing = page_queries(client, "/"), page_queries(client, "/factures/")
    for month in (8, 9):  # two more invoices, for August and September
        w.presence(world, world.child, datetime.date(2026, month, 14))
        w.issue(datetime.date(2026, month, 1), datetime.date(2026, month, 28))
    assert Invoice.objects.filter(household=world.household).count() == 3
    assert page_queries(client, "/") == home
    assert page_queries(client, "/factures/") == listing
    assert fr("Pay the invoices (%(count)s)", count=3) in read(client, "/")


def test_lines_say_their_kind_in_the_readers_language_whatever_the_language_issued_in(client):
    world, invoice = invoiced_world()  # issued in French, the default language
    issued = {fr("Presence"), fr("Booked day")}
    assert set(invoice.lines.values_list("label", flat=True)) == issued
    assert issued.isdisjoint({"Presence", "Booked day"})
    login(client, world)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = read(client, f"/factures/{invoice.pk}/")
    assert "Presence" in text and "Booked day" in text
    assert not any(label in text for label in issued)
