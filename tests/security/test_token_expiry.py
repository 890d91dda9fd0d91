"""API tokens expire PORTAIL_API_TOKEN_DAYS after they are issued: then 401
`token_expired`, not a token that works for ever. The clock is the suite's fixed one
(tests/clock.py), moved with time-machine."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from portail.api.models import ApiToken
from tests import factories
from tests.api.conftest import PASSWORD, bearer, error_of, get_token, post_json
from tests.clock import NOW

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def guardian():
    return factories.guardian(email="parent@example.org", password=PASSWORD)


def household_status(token: str) -> int:
    return Client().get("/api/v1/household", headers=bearer(token)).status_code


def test_a_token_works_until_its_90th_day_then_answers_token_expired(guardian, time_machine):
    time_machine.move_to(NOW, tick=False)
    token = get_token(Client(), "parent@example.org")
    stored = ApiToken.objects.get()
    assert stored.expires_at == NOW + 90 * DAY

    time_machine.move_to(NOW + 90 * DAY - datetime.timedelta(seconds=1), tick=False)
    assert household_status(token) == 200

    time_machine.move_to(NOW + 90 * DAY, tick=False)
    response = Client().get("/api/v1/household", headers=bearer(token))

    assert response.status_code == 401
    assert error_of(response)["code"] == "token_expired"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_the_lifetime_is_a_setting(guardian, settings, time_machine):
    settings.PORTAIL_API_TOKEN_DAYS = 7
    time_machine.move_to(NOW, tick=False)
    token = get_token(Client(), "parent@example.org")

    time_machine.move_to(NOW + 7 * DAY, tick=False)

    assert household_status(token) == 401


def test_the_expired_message_says_what_to_do(guardian, time_machine):
    time_machine.move_to(NOW, tick=False)
    token = get_token(Client(), "parent@example.org")
    time_machine.move_to(NOW + 100 * DAY, tick=False)

    response = Client().get("/api/v1/household", headers={**bearer(token), "Accept-Language": "en"})

    assert error_of(response)["message"] == (
        "This token has expired: ask for a new one (POST /api/v1/auth/token)."
    )


def test_an_expired_token_does_not_stop_asking_for_a_new_one(guardian, time_machine):
    time_machine.move_to(NOW, tick=False)
    old = get_token(Client(), "parent@example.org")
    time_machine.move_to(NOW + 100 * DAY, tick=False)

    response = post_json(
        Client(),
        "/api/v1/auth/token",
        {"email": "parent@example.org", "password": PASSWORD},
        headers=bearer(old),
    )

    assert response.status_code == 201
    assert household_status(response.json()["token"]) == 200


def test_tokens_expired_long_ago_are_deleted_when_a_token_is_issued(guardian, time_machine):
    time_machine.move_to(NOW, tick=False)
    get_token(Client(), "parent@example.org")
    time_machine.move_to(NOW + 100 * DAY, tick=False)
    get_token(Client(), "parent@example.org")  # the first expired 10 days ago: kept
    assert ApiToken.objects.count() == 2

    time_machine.move_to(NOW + 121 * DAY, tick=False)  # expired 31 days ago
    get_token(Client(), "parent@example.org")

    assert ApiToken.objects.filter(expires_at__lte=NOW + 90 * DAY).count() == 0
    assert ApiToken.objects.count() == 2


def test_the_label_sent_with_the_password_is_kept(guardian):
    response = post_json(
        Client(),
        "/api/v1/auth/token",
        {"email": "parent@example.org", "password": PASSWORD, "label": "  Mon téléphone  "},
    )

    assert response.status_code == 201
    assert set(response.json()) == {"token"}  # the contract's answer, unchanged
    assert ApiToken.objects.get().label == "Mon téléphone"


def test_a_too_long_label_is_refused_and_issues_nothing(guardian):
    response = post_json(
        Client(),
        "/api/v1/auth/token",
        {"email": "parent@example.org", "password": PASSWORD, "label": "x" * 101},
    )

    assert response.status_code == 422
    assert error_of(response)["field"] == "label"
    assert ApiToken.objects.count() == 0


def test_last_use_costs_no_statement_on_most_requests(guardian, time_machine):
    time_machine.move_to(NOW, tick=False)
    token = get_token(Client(), "parent@example.org")
    api = Client()
    api.get("/api/v1/household", headers=bearer(token))  # first use: written
    assert ApiToken.objects.get().last_used_at == NOW

    time_machine.move_to(NOW + datetime.timedelta(seconds=30), tick=False)
    with CaptureQueriesContext(connection) as queries:
        api.get("/api/v1/household", headers=bearer(token))

    assert not [q for q in queries if q["sql"].startswith("UPDATE")]
    assert ApiToken.objects.get().last_used_at == NOW


def test_the_openapi_document_tells_of_token_expired_and_the_label(client):
    document = client.get("/api/v1/openapi.json").json()

    household = document["paths"]["/household"]["get"]
    assert "`token_expired`" in household["responses"]["401"]["description"]
    create = document["paths"]["/auth/token"]["post"]
    schema = create["requestBody"]["content"]["application/json"]["schema"]
    assert schema["properties"]["label"]["anyOf"][0]["maxLength"] == 100
    assert schema["required"] == ["email", "password"]
