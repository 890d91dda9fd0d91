"""A request body is required only where an empty one is refused: the checkouts take an
empty body (no options), POST /basket does not (at least one change)."""

import pytest
from django.test import Client

from tests.api.conftest import bearer, error_of, get_token
from tests.api.document import document, operation

pytestmark = pytest.mark.django_db


def test_the_checkouts_body_is_optional_and_an_empty_one_is_read(guardian):
    doc = document()
    assert operation(doc, "POST", "/basket/checkout")["requestBody"]["required"] is False
    assert (
        operation(doc, "POST", "/invoices/{invoice_id}/checkout")["requestBody"]["required"]
        is False
    )
    client = Client(headers=bearer(get_token(Client(), guardian.user.email)))

    response = client.generic("POST", "/api/v1/basket/checkout")  # no body at all

    assert response.status_code == 422
    assert error_of(response)["code"] == "no_basket"  # read: nothing to pay, not a bad body


def test_bodies_that_cannot_be_empty_are_required():
    doc = document()
    for method, path in [
        ("POST", "/basket"),
        ("POST", "/basket/typical-week"),
        ("POST", "/auth/token"),
        ("POST", "/staff/billing-runs"),
        ("PATCH", "/staff/sessions/{session_id}"),
    ]:
        assert operation(doc, method, path)["requestBody"]["required"] is True, path
