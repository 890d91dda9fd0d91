"""A database that is down or locked answers 503 with Retry-After, never an HTML 500.

The API answers its JSON error `service_unavailable`; the parents' pages a short HTML
page. Nothing is mocked: the database is really made unreachable (the connection's
settings point to nowhere) or really locked (a second connection holds SQLite's write
lock with BEGIN IMMEDIATE while the API writes).
"""

import sqlite3

import pytest
from django.db import connection
from django.test import Client

from portail.api.models import ApiToken
from tests import factories
from tests.api.conftest import PASSWORD, bearer, error_of, get_token, post_json

# Committed for real: the lock is taken by another connection, which must see the rows.
pytestmark = pytest.mark.django_db(transaction=True)

TOKEN_URL = "/api/v1/auth/token"


@pytest.fixture
def guardian():
    return factories.guardian(email="parent@example.org", password=PASSWORD)


@pytest.fixture
def database_down(monkeypatch):
    """From now on, connecting to the database fails (as when the server is stopped)."""

    def down() -> None:
        connection.close()
        if connection.vendor == "sqlite":
            monkeypatch.setitem(
                connection.settings_dict, "NAME", "/nonexistent-portail-dir/portail.sqlite3"
            )
        else:
            monkeypatch.setitem(connection.settings_dict, "HOST", "127.0.0.1")
            monkeypatch.setitem(connection.settings_dict, "PORT", "1")  # nothing listens

    yield down
    connection.close()  # the next statement reconnects with the restored settings


@pytest.fixture
def write_lock(monkeypatch):
    """SQLite's write lock held by another connection; ours waits 0.2 s, not 30."""
    if connection.vendor != "sqlite":
        pytest.skip("the write lock taken at BEGIN IMMEDIATE is SQLite's")
    monkeypatch.setitem(connection.settings_dict["OPTIONS"], "timeout", 0.2)
    connection.close()
    other = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
    other.execute("BEGIN IMMEDIATE")

    def release() -> None:
        if other.in_transaction:
            other.execute("ROLLBACK")

    yield release
    release()
    other.close()
    connection.close()


def assert_unavailable(response) -> None:
    assert response.status_code == 503
    assert error_of(response)["code"] == "service_unavailable"
    assert int(response["Retry-After"]) > 0
    assert "no-store" in response["Cache-Control"]


def test_a_locked_database_answers_503_json_and_writes_nothing(guardian, write_lock):
    response = post_json(Client(), TOKEN_URL, {"email": "parent@example.org", "password": PASSWORD})

    assert_unavailable(response)
    write_lock()  # released
    assert ApiToken.objects.count() == 0


def test_the_message_is_in_the_request_language(guardian, write_lock):
    response = post_json(
        Client(),
        TOKEN_URL,
        {"email": "parent@example.org", "password": PASSWORD},
        headers={"Accept-Language": "en"},
    )

    assert_unavailable(response)
    assert error_of(response)["message"] == (
        "The service is temporarily unavailable. Please try again in a few moments."
    )


def test_a_database_that_is_down_answers_503_json_to_a_bearer_request(guardian, database_down):
    token = get_token(Client(), "parent@example.org")
    database_down()

    response = Client().get("/api/v1/household", headers=bearer(token))

    assert_unavailable(response)


def test_a_session_request_with_the_database_down_answers_503_json(guardian, database_down):
    browser = Client()
    browser.force_login(guardian.user)
    database_down()

    response = browser.get("/api/v1/household")

    assert_unavailable(response)


def test_outside_the_endpoints_the_api_still_answers_json(guardian, database_down):
    token = get_token(Client(), "parent@example.org")
    database_down()

    # A method the URL does not have, and a URL the API does not have: answered by the
    # API's router, which needs no database to say so.
    wrong_method = Client().put(TOKEN_URL, headers=bearer(token))
    unknown = Client().get("/api/v1/nothing-here", headers=bearer(token))

    assert wrong_method.status_code == 405
    assert error_of(wrong_method)["code"] == "method_not_allowed"
    assert unknown.status_code == 404
    assert error_of(unknown)["code"] == "not_found"


def test_a_parent_page_with_the_database_down_is_a_friendly_503(guardian, database_down):
    browser = Client()
    browser.force_login(guardian.user)
    database_down()

    response = browser.get("/")

    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert int(response["Retry-After"]) > 0
    assert b'<html lang="fr"' in response.content


def test_the_openapi_document_says_any_operation_may_answer_503(client):
    document = client.get("/api/v1/openapi.json").json()

    for path, item in document["paths"].items():
        for method, operation in item.items():
            answer = operation["responses"].get("503")
            assert answer, (method, path)
            assert answer["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/Error"
            }
            assert "Retry-After" in answer["headers"]
