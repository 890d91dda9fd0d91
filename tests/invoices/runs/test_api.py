"""POST /api/v1/staff/billing-runs: 201 with the invoices issued, 200 for a dry run
(nothing written), 422 for bad input, 403 for other roles and guardians, 401 anonymous."""

import pytest
from django.test import Client

from portail.backoffice.permissions import GESTIONNAIRE, POINTAGE, grant_role
from portail.billing.models import BillingRun, Invoice, InvoiceEvent, InvoiceLine
from tests import factories
from tests.api.conftest import error_of, post_json
from tests.world import invoices as w

pytestmark = pytest.mark.django_db

URL = "/api/v1/staff/billing-runs"
OCTOBER = {"period_start": "2026-10-01", "period_end": "2026-10-31"}


def client_of(role: str | None) -> Client:
    client = Client()
    user = factories.staff()
    if role:
        grant_role(user, role)
    client.force_login(user)
    return client


@pytest.fixture
def gestionnaire() -> Client:
    return client_of(GESTIONNAIRE)


@pytest.fixture
def world():
    world = w.build()
    w.presence(world, world.child, w.MON)
    w.booked(world, world.children[1], w.TUE)
    other, kid = w.another_household(world)
    w.presence(world, kid, w.THU)
    world.other = other
    return world


def test_a_run_issues_the_invoices(gestionnaire, world):
    response = post_json(gestionnaire, URL, OCTOBER)
    assert response.status_code == 201, response.content
    body = response.json()
    run = BillingRun.objects.get()
    assert set(body) == {"id", "period_start", "period_end", "total_cents", "invoices"}
    assert body["id"] == run.pk
    assert (body["period_start"], body["period_end"]) == ("2026-10-01", "2026-10-31")
    assert body["total_cents"] == 900 + 100 == run.total_cents
    expected = [
        {
            "id": i.pk,
            "household_id": i.household_id,
            "number": i.number,
            "total_cents": i.total_cents,
        }
        for i in Invoice.objects.order_by("seq")
    ]
    assert body["invoices"] == expected
    assert {i["number"] for i in expected} == {"FA2026-000001", "FA2026-000002"}
    assert set(InvoiceEvent.objects.values_list("channel", flat=True)) == {"api"}
    # Again: everything is billed already.
    again = post_json(gestionnaire, URL, OCTOBER).json()
    assert (again["total_cents"], again["invoices"]) == (0, [])


def test_a_dry_run_answers_200_and_writes_nothing(gestionnaire, world):
    response = post_json(gestionnaire, URL, {**OCTOBER, "dry_run": True})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["id"] is None and body["total_cents"] == 1000
    assert sorted(body["invoices"], key=lambda i: i["total_cents"]) == [
        {"id": None, "household_id": world.other.pk, "number": None, "total_cents": 100},
        {"id": None, "household_id": world.household.pk, "number": None, "total_cents": 900},
    ]
    assert not BillingRun.objects.exists() and not InvoiceLine.objects.exists()


@pytest.mark.parametrize(
    ("data", "code", "field"),
    [
        ({"period_start": "2026-10-01"}, "invalid_field", "period_end"),
        ({**OCTOBER, "period_start": "01/10/2026"}, "invalid_field", "period_start"),
        ({**OCTOBER, "period_end": "2026-02-30"}, "invalid_field", "period_end"),
        ({**OCTOBER, "period_start": "1999-12-01"}, "invalid_field", "period_start"),
        ({**OCTOBER, "dry_run": "yes"}, "invalid_field", "dry_run"),
        ({**OCTOBER, "dryrun": True}, "invalid_field", "dryrun"),
        ({"period_start": "2026-10-31", "period_end": "2026-10-01"}, "period_order", "period_end"),
        (
            {"period_start": "2025-01-01", "period_end": "2026-10-31"},
            "period_too_long",
            "period_end",
        ),
        (
            {"period_start": "2026-11-03", "period_end": "2026-11-30"},
            "period_not_started",
            "period_start",
        ),
    ],
)
def test_bad_input_answers_422_and_writes_nothing(gestionnaire, world, data, code, field):
    response = post_json(gestionnaire, URL, data)
    assert response.status_code == 422, response.content
    error = error_of(response)
    assert (error["code"], error["field"]) == (code, field)
    assert error["message"]
    assert not BillingRun.objects.exists()


def test_the_error_speaks_the_request_language(gestionnaire):
    data = {"period_start": "2026-10-31", "period_end": "2026-10-01"}
    french = error_of(post_json(gestionnaire, URL, data, HTTP_ACCEPT_LANGUAGE="fr"))
    english = error_of(post_json(gestionnaire, URL, data, HTTP_ACCEPT_LANGUAGE="en"))
    assert english["message"] == "The end of the period is before its start."
    assert french["code"] == english["code"] == "period_order"


@pytest.mark.parametrize("role", [POINTAGE, None])
def test_other_staff_get_403(world, role):
    response = post_json(client_of(role), URL, OCTOBER)
    assert response.status_code == 403
    assert error_of(response)["code"] == "permission_denied"
    assert not BillingRun.objects.exists()


def test_a_guardian_gets_403_and_anonymous_401(world):
    parent = Client()
    parent.force_login(world.guardian.user)
    assert post_json(parent, URL, OCTOBER).status_code == 403
    response = post_json(Client(), URL, OCTOBER)
    assert response.status_code == 401
    assert error_of(response)["code"] == "not_authenticated"
    assert not BillingRun.objects.exists()


def test_the_openapi_document_describes_every_answer():
    document = Client().get("/api/v1/openapi.json").json()
    operation = document["paths"]["/staff/billing-runs"]["post"]
    assert {"200", "201", "401", "403", "422", "503"} <= set(operation["responses"])
    assert "dry run" in operation["responses"]["200"]["description"]
    assert operation["requestBody"]["content"]["application/json"]["schema"]["required"] == [
        "period_start",
        "period_end",
    ]
