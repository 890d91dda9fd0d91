"""A number with no fraction (55837549.0) is an integer, as JSON Schema counts it: read
as one, never refused as "not an integer"; 7.5 still is."""

import json

import pytest
from django.test import Client

from portail.api.fields import read_int
from tests.api.conftest import bearer, error_of, get_token

pytestmark = pytest.mark.django_db


def test_read_int_takes_an_integral_float():
    value = read_int({"n": 55837549.0}, "n")

    assert value == 55837549
    assert type(value) is int


def test_an_integral_float_id_is_judged_like_the_integer(guardian):
    client = Client(headers=bearer(get_token(Client(), guardian.user.email)))
    body = {"add": [{"child_id": 55837549.0, "session_id": 1e3}]}

    response = client.post("/api/v1/basket", json.dumps(body), content_type="application/json")

    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "invalid_changes"  # judged: no such child here, not "not an integer"
    assert error["items"] == [{"child_id": 55837549, "session_id": 1000, "code": "unknown"}]
