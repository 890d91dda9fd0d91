"""The rules between a body's keys that a schema can state are in the document: POST
/basket needs at least one change (anyOf), the typical week takes `patterns` or
child_id/activity_id/weekdays, not both (oneOf)."""

import json

import pytest
from django.test import Client

from tests.api.conftest import bearer, error_of, get_token
from tests.api.document import body_is_valid, document

pytestmark = pytest.mark.django_db

CHANGE = {"child_id": 1, "session_id": 1}
PATTERN = {"child_id": 1, "activity_id": 1, "weekdays": [0]}


@pytest.fixture
def parent(guardian):
    return Client(headers=bearer(get_token(Client(), guardian.user.email)))


def post(client: Client, path: str, body: dict):
    return client.post(f"/api/v1{path}", json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("body", [{}, {"add": []}, {"add": [], "cancel": []}, {"cancel": None}])
def test_a_basket_body_without_a_change_is_refused_by_both(parent, body):
    response = post(parent, "/basket", body)

    assert response.status_code == 422
    assert error_of(response)["code"] == "invalid_field"
    assert not body_is_valid(document(), "POST", "/basket", body)


@pytest.mark.parametrize("body", [{"add": [CHANGE]}, {"add": None, "cancel": [CHANGE]}])
def test_a_basket_body_with_a_change_is_valid(body):
    assert body_is_valid(document(), "POST", "/basket", body)


@pytest.mark.parametrize(
    "body",
    [
        {"patterns": [PATTERN], "child_id": 1},
        {"patterns": [PATTERN], **PATTERN},
        {"child_id": 1, "activity_id": 1},
        {},
    ],
)
def test_a_typical_week_body_with_both_forms_or_neither_is_refused_by_both(parent, body):
    response = post(parent, "/basket/typical-week", body)

    assert response.status_code == 422
    assert error_of(response)["code"] == "invalid_field"
    assert not body_is_valid(document(), "POST", "/basket/typical-week", body)


@pytest.mark.parametrize("body", [{"patterns": [PATTERN]}, PATTERN])
def test_a_typical_week_body_with_one_form_is_valid(body):
    assert body_is_valid(document(), "POST", "/basket/typical-week", body)
