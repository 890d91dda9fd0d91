"""Every bound the field readers enforce is in the document: what the server refuses
(422 invalid_field), the schema refuses too. Non-blank strings, ids 1 to 2^63-1, a
capacity up to 10,000, amounts' bounds and "not 0", years 2000 to 2099 in dates and
weeks."""

import json

import pytest
from django.test import Client

from tests import factories
from tests.api.conftest import bearer, error_of, get_token
from tests.api.document import body_is_valid, document, query_is_valid
from tests.world import staff
from tests.world.commune import canteen
from tests.world.days import MONDAY

pytestmark = pytest.mark.django_db

BIG_ID = 2**63


@pytest.fixture
def clients(guardian):
    manager = staff.gestionnaire()
    return {
        "parent": Client(headers=bearer(get_token(Client(), guardian.user.email))),
        "staff": Client(headers=bearer(get_token(Client(), manager.email, "staff-pass-123"))),
        None: Client(),
    }


def session_path() -> str:
    _activity, sessions = canteen([MONDAY])
    return f"/staff/sessions/{sessions[MONDAY].pk}"


def credits_path() -> str:
    return f"/staff/households/{factories.household().pk}/credits"


# (who, method, path or a function making it, the documented path, body, the field at fault)
CASES = [
    (None, "POST", "/auth/token", None, {"email": "", "password": "x"}, "email"),
    (None, "POST", "/auth/token", None, {"email": "   ", "password": "x"}, "email"),
    (None, "POST", "/auth/token", None, {"email": "a@b.fr", "password": ""}, "password"),
    (None, "POST", "/auth/token", None, {"email": "a\x00@b.fr", "password": "x"}, "email"),
    ("parent", "POST", "/basket", None, {"add": [{"child_id": 0, "session_id": 1}]}, None),
    ("parent", "POST", "/basket", None, {"add": [{"child_id": 1, "session_id": BIG_ID}]}, None),
    ("parent", "POST", "/basket/checkout", None, {"expected_due_cents": -1}, None),
    ("parent", "POST", "/basket/typical-week", None, {"patterns": [], "from": "2100-01-04"}, None),
    (
        "parent",
        "POST",
        "/basket/typical-week",
        None,
        {"child_id": 1, "activity_id": 1, "weekdays": [0], "from": "1999-12-27"},
        "from",
    ),
    ("staff", "PATCH", session_path, "/staff/sessions/{session_id}", {"capacity": 10_001}, None),
    ("staff", "PATCH", session_path, "/staff/sessions/{session_id}", {"capacity": -1}, None),
    (
        "staff",
        "POST",
        credits_path,
        "/staff/households/{household_id}/credits",
        {"amount_cents": 0, "reason": "Geste"},
        "amount_cents",
    ),
    (
        "staff",
        "POST",
        credits_path,
        "/staff/households/{household_id}/credits",
        {"amount_cents": 1_000_001, "reason": "Geste"},
        "amount_cents",
    ),
    (
        "staff",
        "POST",
        "/staff/billing-runs",
        None,
        {"period_start": "1999-12-01", "period_end": "1999-12-31"},
        "period_start",
    ),
]


@pytest.mark.parametrize(("who", "method", "path", "documented", "body", "field"), CASES)
def test_what_the_server_refuses_the_schema_refuses(
    clients, who, method, path, documented, body, field
):
    url = path() if callable(path) else path
    client = clients[who]

    response = client.generic(method, f"/api/v1{url}", json.dumps(body), "application/json")

    assert response.status_code == 422, response.content
    error = error_of(response)
    assert error["code"] in {"invalid_field", "period_out_of_range"}
    if field:
        assert error["field"] == field
    assert not body_is_valid(document(), method, documented or url, body)


@pytest.mark.parametrize(
    ("path", "name", "value", "who"),
    [
        ("/planning", "week", "2100-W01", "parent"),
        ("/planning", "week", "1999-W52", "parent"),
        ("/planning", "week", "2025-W53", "parent"),  # 2025 has 52 weeks
        ("/staff/headcounts", "date", "1999-12-31", "staff"),
        ("/staff/headcounts", "date", "2100-01-01", "staff"),
    ],
)
def test_query_values_out_of_bounds_are_refused_by_both(clients, path, name, value, who):
    response = clients[who].get(f"/api/v1{path}", {name: value})

    assert response.status_code == 422
    assert error_of(response)["field"] == name
    assert not query_is_valid(document(), "GET", path, name, value)


def test_schemas_only_bounds_of_the_staff_invoice_bodies():
    doc = document()
    payments = "/staff/invoices/{invoice_id}/payments"
    assert not body_is_valid(doc, "POST", payments, {"amount_cents": 0, "method": "cash"})
    assert body_is_valid(doc, "POST", payments, {"amount_cents": 1, "method": "cash"})
    cancel = "/staff/invoices/{invoice_id}/cancel"
    assert not body_is_valid(doc, "POST", cancel, {"reason": "   "})
    assert body_is_valid(doc, "POST", cancel, {"reason": " Erreur "})
