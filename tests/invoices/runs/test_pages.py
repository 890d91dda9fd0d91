"""The staff's billing-run pages: the period (last month by default), the preview per
household with its price rules, "Issue the invoices", the past runs; gestionnaires only."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from portail.backoffice.permissions import CUISINE, GESTIONNAIRE, POINTAGE, grant_role
from portail.billing.invoicing import runs
from portail.billing.models import BillingRun, Invoice, InvoiceEvent
from tests import factories
from tests.world import invoices as w

pytestmark = pytest.mark.django_db

PAGE = "/gestion/facturation/"
ISSUE = "/gestion/facturation/emettre/"
OCTOBER = {"start": "2026-10-01", "end": "2026-10-31"}


def client_of(role: str) -> Client:
    user = factories.staff()
    grant_role(user, role)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def staff() -> Client:
    return client_of(GESTIONNAIRE)


@pytest.fixture
def world():
    world = w.build()
    w.presence(world, world.child, w.MON)
    w.booked(world, world.children[1], w.TUE, late=True, price=1000)
    return world


def test_the_page_proposes_last_month(staff):
    response = staff.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="2026-10-01"' in html and 'value="2026-10-31"' in html
    assert "<caption>" in html  # past runs' table


def test_the_preview_shows_lines_per_child_with_their_price_rule(staff, world):
    response = staff.get(PAGE, OCTOBER)
    assert response.status_code == 200
    html = response.content.decode()
    assert world.household.name in html
    assert str(world.child) in html and str(world.children[1]) in html
    assert "ALAE soir" in html and "Centre de loisirs" in html
    assert "QF 0–600" in html  # the presence's rule
    for bill in runs.preview(w.OCTOBER[0], w.OCTOBER[1], now=w.NOW).households:
        for charge in bill.charges:
            assert escape(charge.price_rule) in html
    assert "11,00" in html  # 1 € + 10 €
    assert 'action="/gestion/facturation/emettre/"' in html
    assert "csrfmiddlewaretoken" in html
    assert not BillingRun.objects.exists()  # a preview writes nothing


def test_issuing_writes_the_invoices_and_shows_the_run(staff, world):
    response = staff.post(ISSUE, OCTOBER)
    assert response.status_code == 302
    run = BillingRun.objects.get()
    assert response["Location"] == f"/gestion/facturation/{run.pk}/"
    invoice = Invoice.objects.get(run=run)
    assert invoice.total_cents == 1100 and invoice.number == "FA2026-000001"
    assert InvoiceEvent.objects.get(invoice=invoice).channel == "backoffice"
    page = staff.get(response["Location"])
    assert page.status_code == 200
    assert "FA2026-000001" in page.content.decode()
    assert world.household.name in page.content.decode()
    listing = staff.get(PAGE).content.decode()
    assert f"/gestion/facturation/{run.pk}/" in listing
    # Again: nothing left, so the preview offers no button and a run issues nothing.
    assert 'action="/gestion/facturation/emettre/"' not in staff.get(PAGE, OCTOBER).content.decode()
    staff.post(ISSUE, OCTOBER)
    assert Invoice.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"start": "2026-10-31", "end": "2026-10-01"}, 400),
        ({"start": "2025-01-01", "end": "2026-10-31"}, 400),
        ({"start": "1999-01-01", "end": "1999-01-31"}, 400),
        ({"start": "not a date", "end": "2026-10-31"}, 400),
        ({"start": "2026-11-03", "end": "2026-11-30"}, 400),
    ],
)
def test_bad_periods_are_refused_with_a_message(staff, world, data, status):
    preview = staff.get(PAGE, data)
    assert preview.status_code == status
    issued = staff.post(ISSUE, data)
    assert issued.status_code == status
    assert not BillingRun.objects.exists()


@pytest.mark.parametrize("role", [POINTAGE, CUISINE])
def test_other_roles_are_refused(world, role):
    client = client_of(role)
    assert client.get(PAGE).status_code == 403
    assert client.post(ISSUE, OCTOBER).status_code == 403
    assert not BillingRun.objects.exists()


def test_parents_and_visitors_are_refused(world):
    parent = Client()
    parent.force_login(world.guardian.user)
    assert parent.post(ISSUE, OCTOBER).status_code == 403
    anonymous = Client().post(ISSUE, OCTOBER)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("accounts:login"))
    assert not BillingRun.objects.exists()


def test_the_issue_needs_csrf(world):
    user = factories.staff()
    grant_role(user, GESTIONNAIRE)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(ISSUE, OCTOBER).status_code == 403
    assert not BillingRun.objects.exists()


def test_an_unknown_run_is_404(staff):
    assert staff.get("/gestion/facturation/999999/").status_code == 404
