"""The family's page to pay an invoice (/factures/<pk>/payer/), over real HTTP and
without JavaScript: a POST form (CSRF) with "use my credit first", PayFiP, the return
page."""

import pytest

from portail.billing.models import InvoiceStatus, Payment
from portail.core.money import format_cents
from tests import factories
from tests.world import invoices as invoices_world
from tests.world.invoices import TOTAL, fresh, grant, invoice_world
from tests.world.web import Browser, fr, text_of

pytestmark = pytest.mark.django_db(transaction=True)


def euros(cents: int) -> str:
    return format_cents(cents, "fr")


def parent(live_server, world) -> Browser:
    browser = Browser(live_server.url, language="fr")
    browser.login(world.guardian.user.email)
    return browser


def test_pay_with_part_credit_then_payfip_and_back(simulator, live_server):
    world, invoice = invoice_world()
    grant(world, 1000)
    browser = parent(live_server, world)
    path = f"/factures/{invoice.pk}/payer/"
    page = browser.get(path)
    assert page.status_code == 200
    text = text_of(page.text)
    assert f"{fr('Left to pay')} {euros(TOTAL)}" in text
    assert fr("Use my credit first (available: %(amount)s)", amount=euros(1000)) in text
    assert 'name="use_credit"' in page.text
    answer = browser.post(path, {"use_credit": "1"})
    assert answer.status_code == 302
    payment = Payment.objects.get()
    assert answer.headers["Location"] == f"{simulator.page_url}?idop={payment.idop}"
    assert payment.amount_cents == TOTAL - 1000
    assert fresh(invoice).paid_cents == 1000  # the credit, applied at once
    paid = simulator.submit(payment.idop, outcome="P")
    back = browser.get(paid.headers["Location"])
    assert back.status_code == 200
    text = text_of(back.text)
    assert (
        fr("Invoice %(number)s – payment of %(amount)s", number="FA2026-000001", amount=euros(1400))
        in text
    )
    assert fr("Your payment of %(amount)s is confirmed.", amount=euros(1400)) in text
    assert f'href="/factures/{invoice.pk}/"' in back.text
    assert 'href="/factures/"' in back.text
    assert fresh(invoice).status == InvoiceStatus.PAID


def test_without_ticking_the_credit_the_whole_remaining_goes_to_payfip(simulator, live_server):
    world, invoice = invoice_world()
    grant(world, 1000)
    browser = parent(live_server, world)
    answer = browser.post(f"/factures/{invoice.pk}/payer/", {})
    assert answer.status_code == 302
    assert Payment.objects.get().amount_cents == TOTAL
    assert fresh(invoice).paid_cents == 0


def test_credit_covering_it_shows_paid_on_the_invoice(live_server):
    world, invoice = invoice_world()
    grant(world, TOTAL)
    browser = parent(live_server, world)
    answer = browser.post(f"/factures/{invoice.pk}/payer/", {"use_credit": "1"})
    assert (answer.status_code, answer.headers["Location"]) == (302, f"/factures/{invoice.pk}/")
    assert fresh(invoice).status == InvoiceStatus.PAID
    assert not Payment.objects.exists()
    again = browser.get(f"/factures/{invoice.pk}/payer/")
    assert fr("Nothing is due on this invoice.") in text_of(again.text)
    assert 'name="use_credit"' not in again.text


def test_a_refusal_is_told_on_the_page(live_server):
    world, invoice = invoice_world()
    grant(world, TOTAL - 50)  # 0,50 left: below PayFiP's minimum
    browser = parent(live_server, world)
    path = f"/factures/{invoice.pk}/payer/"
    answer = browser.post(path, {"use_credit": "1"})
    assert (answer.status_code, answer.headers["Location"]) == (302, path)
    message = fr(
        "The amount left to pay (%(amount)s) is below the minimum of %(minimum)s for an "
        "online payment: please pay it at the counter.",
        amount=euros(50),
        minimum=euros(100),
    )
    assert message in text_of(browser.get(path).text)
    assert fresh(invoice).paid_cents == 0


def test_another_households_invoice_is_not_found(live_server):
    world, invoice = invoice_world()
    other, _kid = invoices_world.another_household(world)
    stranger = factories.guardian(other)
    browser = Browser(live_server.url)
    browser.login(stranger.user.email)
    path = f"/factures/{invoice.pk}/payer/"
    assert browser.get(path).status_code == 404
    token_page = browser.get("/mon-avoir/")
    token = token_page.text.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    answer = browser.session.post(
        browser.url(path),
        data={"csrfmiddlewaretoken": token, "use_credit": "1"},
        headers={"Referer": browser.url("/mon-avoir/")},
        allow_redirects=False,
        timeout=20,
    )
    assert answer.status_code == 404
    assert fresh(invoice).paid_cents == 0
