"""An unknown key in a body is named in the singular, several in the plural ("Unknown
field: x", "Unknown fields: x, y"), not "field(s)"."""

import json

import pytest
from django.test import Client

from tests.api.conftest import bearer, error_of, get_token

pytestmark = pytest.mark.django_db

CHANGE = {"child_id": 1, "session_id": 1}


def _message(guardian, body: dict) -> str:
    client = Client(headers=bearer(get_token(Client(), guardian.user.email)))
    response = client.post(
        "/api/v1/basket",
        json.dumps(body),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "invalid_field"
    return error["message"]


def test_one_unknown_field_is_singular(guardian):
    assert _message(guardian, {"add": [CHANGE], "note": "x"}).startswith("Unknown field: note.")


def test_several_are_plural(guardian):
    message = _message(guardian, {"add": [CHANGE], "note": "x", "colour": "red"})
    assert message.startswith("Unknown fields: note, colour.")
