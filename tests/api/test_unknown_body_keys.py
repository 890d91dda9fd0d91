"""A body key that the operation's schema does not list is refused, 422 invalid_field
naming it (the document says additionalProperties: false), at any depth, before the
endpoint does anything."""

import json

import pytest
from django.test import Client

from portail.api.models import ApiToken
from tests.api.conftest import bearer, error_of, get_token
from tests.world.commune import PASSWORD

pytestmark = pytest.mark.django_db


def post(client: Client, url: str, body: dict):
    return client.post(
        url, json.dumps(body), content_type="application/json", headers={"Accept-Language": "en"}
    )


def test_an_unknown_key_is_refused_and_named(guardian):
    body = {"email": guardian.user.email, "password": PASSWORD, "remember": True}

    response = post(Client(), "/api/v1/auth/token", body)

    assert response.status_code == 422
    error = error_of(response)
    assert (error["code"], error["field"]) == ("invalid_field", "remember")
    assert "remember" in error["message"]
    assert "email, password, label" in error["message"]
    assert not ApiToken.objects.exists()


def test_an_unknown_key_inside_a_list_item_is_named_by_its_path(guardian):
    client = Client(headers=bearer(get_token(Client(), guardian.user.email)))
    body = {"add": [{"child_id": 1, "session_id": 2}, {"child_id": 1, "session_id": 3, "x": 0}]}

    response = post(client, "/api/v1/basket", body)

    assert response.status_code == 422
    error = error_of(response)
    assert (error["code"], error["field"]) == ("invalid_field", "add[1].x")


def test_several_unknown_keys_are_all_named(guardian):
    body = {"email": guardian.user.email, "password": PASSWORD, "a": 1, "b": 2}

    error = error_of(post(Client(), "/api/v1/auth/token", body))

    assert error["field"] == "a"
    assert "a, b" in error["message"]
