"""Unknown URLs, wrong methods and the staff area answer JSON."""

import pytest

from tests import factories
from tests.api.conftest import PASSWORD, bearer, error_of, get_token

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url", ["/api/v1/whatever", "/api/v1/", "/api/v1/household/", "/api/v1/a/b/c?x=1"]
)
def test_unknown_url_under_the_api_is_a_json_404(client, url):
    response = client.get(url)

    assert response.status_code == 404
    assert error_of(response) == {"code": "not_found", "message": "Introuvable."}


def test_unknown_url_404_in_english(client):
    response = client.post("/api/v1/whatever", headers={"Accept-Language": "en"})

    assert response.status_code == 404
    assert error_of(response)["message"] == "Not found."


def test_wrong_method_is_405_with_allow_header(client, guardian):
    client.force_login(guardian.user)

    response = client.put("/api/v1/household")

    assert response.status_code == 405
    assert response["Allow"] == "GET"
    error = error_of(response)
    assert error["code"] == "method_not_allowed"
    assert error["message"] == "Cette méthode n'est pas permise ici. Méthodes permises : GET."


def test_wrong_method_on_a_multi_method_url_is_405(client):
    response = client.get("/api/v1/auth/token", headers={"Accept-Language": "en"})

    assert response.status_code == 405
    assert response["Allow"] == "DELETE, POST"
    assert error_of(response)["message"] == (
        "This method is not allowed here. Allowed: DELETE, POST."
    )


def test_staff_endpoint_refuses_anonymous_with_401(client):
    response = client.get("/api/v1/staff/me")

    assert response.status_code == 401
    assert error_of(response)["code"] == "not_authenticated"


def test_staff_endpoint_refuses_guardians_with_403(client, guardian):
    client.force_login(guardian.user)

    response = client.get("/api/v1/staff/me")

    assert response.status_code == 403
    error = error_of(response)
    assert error["code"] == "permission_denied"
    assert error["message"] == "Cette adresse de l'API est réservée au Service gestionnaire."


def test_staff_endpoint_answers_staff(client, staff_user):
    client.force_login(staff_user)

    response = client.get("/api/v1/staff/me")

    assert response.status_code == 200
    assert response.json()["is_staff"] is True
    assert response.json()["email"] == "agent@example.org"


def test_unknown_url_404_follows_the_token_users_language(client, db):
    factories.guardian(email="english@example.org", password=PASSWORD, language="en")
    token = get_token(client, "english@example.org")

    unknown = client.get("/api/v1/whatever", headers=bearer(token))
    wrong_method = client.get("/api/v1/auth/token", headers=bearer(token))
    wrong_method_single = client.post("/api/v1/household", headers=bearer(token))

    assert error_of(unknown)["message"] == "Not found."
    assert error_of(wrong_method)["message"].startswith("This method is not allowed here.")
    assert error_of(wrong_method_single)["message"] == (
        "This method is not allowed here. Allowed: GET."
    )
