"""Invoices are a gestionnaire's pages: attendance agents and kitchens get 403 on every
page and form, parents 403, signed-out visitors the login page; nothing changes."""

import pytest
from django.test import Client
from django.urls import reverse

from portail.backoffice.permissions import CUISINE, POINTAGE
from portail.billing.models import CreditNote, InvoicePayment
from tests.world.invoices import fresh, invoice_world, refused_staff
from tests.world.staff import client_for, gestionnaire

pytestmark = pytest.mark.django_db

PAGES = ["invoices", "invoices_export", "invoice_payments_export"]
INVOICE_PAGES = ["invoice"]
FORMS = ["invoice_payment", "invoice_apply_credit", "invoice_credit_note"]
POST = {
    "payment-amount": "5",
    "payment-method": "cash",
    "note-amount": "5",
    "note-reason": "x",
}


def urls(invoice) -> list[tuple[str, str]]:
    gets = [("get", reverse(f"backoffice:{name}")) for name in PAGES]
    gets += [("get", reverse(f"backoffice:{name}", args=[invoice.pk])) for name in INVOICE_PAGES]
    posts = [("post", reverse(f"backoffice:{name}", args=[invoice.pk])) for name in FORMS]
    return gets + posts


def _unchanged(invoice) -> None:
    assert not InvoicePayment.objects.exists()
    assert not CreditNote.objects.exists()
    assert fresh(invoice).paid_cents == 0


@pytest.mark.parametrize("role", [POINTAGE, CUISINE])
def test_other_staff_roles_get_403(role):
    world, invoice = invoice_world()
    client = refused_staff(world)[role]
    for method, url in urls(invoice):
        response = getattr(client, method)(url, POST)
        assert response.status_code == 403, (role, url)
    _unchanged(invoice)


def test_a_parent_gets_403_even_for_their_own_invoice():
    world, invoice = invoice_world()
    client = Client()
    client.force_login(world.guardian.user)
    for method, url in urls(invoice):
        assert getattr(client, method)(url, POST).status_code == 403, url
    _unchanged(invoice)


def test_signed_out_visitors_go_to_the_login_page():
    _world, invoice = invoice_world()
    for method, url in urls(invoice):
        response = getattr(Client(), method)(url, POST)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login")), url
    _unchanged(invoice)


def test_the_gestionnaire_opens_them_and_the_menu_links_the_list():
    _world, invoice = invoice_world()
    client = client_for(gestionnaire("gestion@example.org"))
    for method, url in urls(invoice):
        if method == "get":
            assert client.get(url).status_code == 200, url
    menu = client.get(reverse("backoffice:index")).content.decode()
    assert reverse("backoffice:invoices") in menu


def test_other_roles_see_no_invoices_in_their_menu():
    world, _invoice = invoice_world()
    for client in refused_staff(world).values():
        menu = client.get(reverse("backoffice:index")).content.decode()
        assert reverse("backoffice:invoices") not in menu


def test_the_household_page_links_to_its_invoices():
    world, _invoice = invoice_world()
    client = client_for(gestionnaire("gestion@example.org"))
    page = client.get(reverse("backoffice:household", args=[world.household.pk])).content
    link = f"{reverse('backoffice:invoices')}?household={world.household.pk}"
    assert link in page.decode()


def test_an_unknown_invoice_is_404():
    client = client_for(gestionnaire("gestion@example.org"))
    assert client.get(reverse("backoffice:invoice", args=[999999])).status_code == 404
    url = reverse("backoffice:invoice_payment", args=[999999])
    assert client.post(url, POST).status_code == 404
