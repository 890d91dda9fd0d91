"""POST/DELETE /api/v1/auth/token, bearer and session authentication, CSRF."""

import datetime
import hashlib

import pytest
from django.test import Client
from django.utils import timezone, translation
from django.utils.crypto import get_random_string
from django.utils.translation import gettext

from portail.api.models import ApiToken
from tests import factories
from tests.api.conftest import PASSWORD, bearer, error_of, get_token, post_json

URL = "/api/v1/auth/token"
pytestmark = pytest.mark.django_db


def test_right_password_gets_201_and_a_token_stored_only_as_its_hash(client, guardian):
    response = post_json(client, URL, {"email": "parent@example.org", "password": PASSWORD})

    assert response.status_code == 201
    assert set(response.json()) == {"token"}
    token = response.json()["token"]
    assert len(token) >= 40
    stored = ApiToken.objects.get()
    assert stored.user == guardian.user
    assert stored.key_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {stored.key_hash, str(stored)}


def test_email_is_case_insensitive_and_each_login_gets_a_new_token(client, guardian):
    first = get_token(client, "PARENT@example.org")
    second = get_token(client, "parent@example.org")

    assert first != second
    assert ApiToken.objects.count() == 2


def test_wrong_password_is_401_invalid_credentials_in_french(client, guardian):
    response = post_json(client, URL, {"email": "parent@example.org", "password": "nope-nope"})

    assert response.status_code == 401
    error = error_of(response)
    assert error["code"] == "invalid_credentials"
    with translation.override("fr"):
        assert error["message"] == gettext("Incorrect e-mail address or password.")
    assert ApiToken.objects.count() == 0


def test_unknown_email_answers_exactly_like_a_wrong_password(client, guardian):
    wrong = post_json(client, URL, {"email": "parent@example.org", "password": "nope-nope"})
    unknown = post_json(client, URL, {"email": "nobody@example.org", "password": "nope-nope"})

    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json() == wrong.json()


def test_wrong_password_message_in_english_with_accept_language(client, guardian):
    response = post_json(
        client,
        URL,
        {"email": "parent@example.org", "password": "nope-nope"},
        headers={"Accept-Language": "en"},
    )

    assert error_of(response)["message"] == "Incorrect e-mail address or password."
    assert response["Content-Language"] == "en"


def test_after_max_failures_even_the_right_password_is_throttled(client, guardian, settings):
    settings.PORTAIL_LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        response = post_json(client, URL, {"email": "parent@example.org", "password": "bad"})
        assert error_of(response)["code"] == "invalid_credentials"

    refused = post_json(client, URL, {"email": "parent@example.org", "password": PASSWORD})

    assert refused.status_code == 429
    error = error_of(refused)
    assert error["code"] == "throttled"
    with translation.override("fr"):
        expected = gettext("Too many failed attempts, try again in %(minutes)s minutes.")
    assert error["message"] == expected % {"minutes": 15}
    assert ApiToken.objects.count() == 0


def test_throttle_is_shared_with_the_login_page(client, guardian, settings):
    settings.PORTAIL_LOGIN_MAX_FAILURES = 2
    for _ in range(2):
        client.post("/compte/connexion/", {"email": "parent@example.org", "password": "bad"})

    refused = post_json(client, URL, {"email": "parent@example.org", "password": PASSWORD})

    assert refused.status_code == 429


def test_disabled_account_is_refused(client, guardian):
    guardian.user.is_active = False
    guardian.user.save()

    response = post_json(client, URL, {"email": "parent@example.org", "password": PASSWORD})

    assert response.status_code == 403
    assert error_of(response)["code"] == "inactive"


def test_missing_password_is_422_naming_the_field(client, guardian):
    response = post_json(client, URL, {"email": "parent@example.org"})

    assert response.status_code == 422
    error = error_of(response)
    assert error == {
        "code": "invalid_field",
        "field": "password",
        "message": "Le champ « password » est obligatoire.",
    }


def test_bearer_token_authenticates_requests(client, guardian):
    token = get_token(client, "parent@example.org")

    response = Client().get("/api/v1/household", headers=bearer(token))

    assert response.status_code == 200
    assert response.json()["id"] == guardian.household_id


def test_revoked_token_is_refused_with_401(client, guardian):
    token = get_token(client, "parent@example.org")
    api = Client()

    revoked = api.delete(URL, headers=bearer(token))
    after = api.get("/api/v1/household", headers=bearer(token))

    assert revoked.status_code == 204
    assert revoked.content == b""
    assert ApiToken.objects.count() == 0
    assert after.status_code == 401
    assert error_of(after)["code"] == "not_authenticated"
    assert error_of(after)["message"] == "Ce jeton n'est pas valide (inconnu ou révoqué)."
    assert after["WWW-Authenticate"].startswith("Bearer")


def test_revoking_one_token_keeps_the_others(client, guardian):
    first = get_token(client, "parent@example.org")
    second = get_token(client, "parent@example.org")

    Client().delete(URL, headers=bearer(first))

    assert Client().get("/api/v1/household", headers=bearer(second)).status_code == 200


def test_delete_without_a_bearer_token_is_401(client, guardian):
    client.force_login(guardian.user)

    response = client.delete(URL)

    assert response.status_code == 401
    assert error_of(response)["code"] == "not_authenticated"


def test_malformed_authorization_header_is_401_even_with_a_session(client, guardian):
    client.force_login(guardian.user)

    response = client.get("/api/v1/household", headers={"Authorization": "Token abc"})

    assert response.status_code == 401
    assert error_of(response)["code"] == "not_authenticated"


def test_token_of_a_disabled_account_stops_working(client, guardian):
    token = get_token(client, "parent@example.org")
    guardian.user.is_active = False
    guardian.user.save()

    response = Client().get("/api/v1/household", headers=bearer(token))

    assert response.status_code == 401


def test_last_used_at_is_written_at_most_once_a_minute(client, guardian):
    token = get_token(client, "parent@example.org")
    api = Client()

    api.get("/api/v1/household", headers=bearer(token))
    first_use = ApiToken.objects.get().last_used_at
    api.get("/api/v1/household", headers=bearer(token))
    assert ApiToken.objects.get().last_used_at == first_use
    assert first_use is not None

    ApiToken.objects.update(last_used_at=timezone.now() - datetime.timedelta(seconds=61))
    api.get("/api/v1/household", headers=bearer(token))
    assert ApiToken.objects.get().last_used_at > first_use


def test_staff_gets_a_token_too(client, staff_user):
    token = get_token(client, "agent@example.org")

    response = Client().get("/api/v1/staff/me", headers=bearer(token))

    assert response.status_code == 200
    assert response.json() == {
        "id": staff_user.pk,
        "email": "agent@example.org",
        "first_name": "",
        "last_name": "",
        "is_staff": True,
    }


def test_browser_session_authenticates_the_api(client, guardian):
    client.force_login(guardian.user)

    response = client.get("/api/v1/household")

    assert response.status_code == 200
    assert response.json()["id"] == guardian.household_id


def test_session_unsafe_request_without_csrf_token_is_refused(guardian):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(guardian.user)

    response = post_json(browser, URL, {"email": "parent@example.org", "password": PASSWORD})

    assert response.status_code == 403
    assert error_of(response)["code"] == "csrf_failed"
    assert ApiToken.objects.count() == 0


def test_session_unsafe_request_with_csrf_token_passes(guardian):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(guardian.user)
    # What the portal's JavaScript does: copy the csrftoken cookie into X-CSRFToken.
    csrf = get_random_string(32)
    browser.cookies["csrftoken"] = csrf

    response = post_json(
        browser,
        URL,
        {"email": "parent@example.org", "password": PASSWORD},
        headers={"X-CSRFToken": csrf},
    )

    assert response.status_code == 201


def test_bearer_requests_are_exempt_from_csrf_even_with_a_session_cookie(client, guardian):
    token = get_token(client, "parent@example.org")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(guardian.user)

    response = browser.delete(URL, headers=bearer(token))

    assert response.status_code == 204


def test_anonymous_request_is_401_not_authenticated(client, db):
    response = client.get("/api/v1/household")

    assert response.status_code == 401
    error = error_of(response)
    assert error["code"] == "not_authenticated"
    assert error["message"] == (
        "Authentification requise : envoyez un jeton (Bearer) ou connectez-vous."
    )


def test_responses_are_never_cached(client, guardian):
    client.force_login(guardian.user)

    response = client.get("/api/v1/household")

    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_two_households_tokens_are_independent(client, guardian):
    other = factories.guardian(email="other@example.org", password=PASSWORD)
    mine = get_token(client, "parent@example.org")
    theirs = get_token(client, "other@example.org")

    assert Client().get("/api/v1/household", headers=bearer(mine)).json()["id"] == (
        guardian.household_id
    )
    assert Client().get("/api/v1/household", headers=bearer(theirs)).json()["id"] == (
        other.household_id
    )


def test_changing_the_password_on_the_portal_revokes_every_token(client, guardian):
    first = get_token(client, "parent@example.org")
    second = get_token(client, "parent@example.org")
    other = get_token(client, factories.guardian(email="voisin@example.org").user.email)
    browser = Client()
    browser.force_login(guardian.user)

    changed = browser.post(
        "/mes-donnees/mot-de-passe/",
        {
            "old_password": PASSWORD,
            "new_password1": "Nouveau-2026!",
            "new_password2": "Nouveau-2026!",
        },
    )

    assert changed.status_code == 302
    for token in (first, second):
        refused = Client().get("/api/v1/household", headers=bearer(token))
        assert refused.status_code == 401
        assert error_of(refused)["code"] == "not_authenticated"
    # Another account's token, and a token asked for with the new password, work.
    assert Client().get("/api/v1/household", headers=bearer(other)).status_code == 200
    fresh = post_json(Client(), URL, {"email": "parent@example.org", "password": "Nouveau-2026!"})
    assert fresh.status_code == 201
    assert (
        Client().get("/api/v1/household", headers=bearer(fresh.json()["token"])).status_code == 200
    )


def test_any_new_password_revokes_the_tokens_but_other_saves_do_not(client, guardian):
    token = get_token(client, "parent@example.org")
    user = guardian.user
    user.first_name = "Edwige"
    user.save()  # not a password change: the token stays
    assert Client().get("/api/v1/household", headers=bearer(token)).status_code == 200

    user.set_password("Autre-2026!")  # a reset, the admin, a script: all save this way
    user.save()

    assert ApiToken.objects.filter(user=user).count() == 0
    assert Client().get("/api/v1/household", headers=bearer(token)).status_code == 401
