"""The account holder sees their API tokens (label, created, expires, last used) on a page
reached from "Mes données personnelles", and revokes any of them (POST, CSRF)."""

import datetime

import pytest
from django.test import Client
from django.utils.crypto import get_random_string

from portail.api.models import ApiToken
from portail.api.tokens import hash_token
from tests import factories
from tests.api.conftest import PASSWORD, bearer, error_of, post_json
from tests.clock import NOW

pytestmark = pytest.mark.django_db

URL = "/mes-donnees/jetons-api/"
DAY = datetime.timedelta(days=1)


@pytest.fixture
def guardian():
    return factories.guardian(email="parent@example.org", password=PASSWORD)


def new_token(email: str = "parent@example.org", label: str | None = None) -> str:
    body = {"email": email, "password": PASSWORD}
    if label is not None:
        body["label"] = label
    response = post_json(Client(), "/api/v1/auth/token", body)
    assert response.status_code == 201
    return response.json()["token"]


def signed_in(user) -> tuple[Client, str]:
    """A browser that sends the CSRF token as the page's forms do."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    csrf = get_random_string(32)
    browser.cookies["csrftoken"] = csrf
    return browser, csrf


def test_the_personal_data_page_links_to_the_tokens_page(client, guardian):
    client.force_login(guardian.user)

    page = client.get("/mes-donnees/").content.decode()

    assert f'href="{URL}"' in page


def test_the_page_lists_the_accounts_tokens_with_their_dates(guardian, time_machine):
    time_machine.move_to(NOW, tick=False)
    phone = new_token(label="Mon téléphone")
    new_token()
    new_token(factories.guardian(email="voisin@example.org", password=PASSWORD).user.email)
    time_machine.move_to(NOW + 2 * DAY, tick=False)
    Client().get("/api/v1/household", headers=bearer(phone))
    browser, _csrf = signed_in(guardian.user)

    response = browser.get(URL)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    mine = ApiToken.objects.filter(user=guardian.user)
    assert [f'id="token-{token.pk}"' in page for token in mine] == [True, True]
    assert page.count('name="token_id"') == 2  # not the neighbour's
    assert "Mon téléphone" in page
    assert "03/11/2026 08:30" in page  # created
    assert "01/02/2027 08:30" in page  # expires: 90 days later (Paris time)
    assert "05/11/2026 08:30" in page  # last used


def test_an_expired_token_is_shown_as_expired(guardian, time_machine):
    time_machine.move_to(NOW, tick=False)
    new_token()
    time_machine.move_to(NOW + 91 * DAY, tick=False)
    browser, _csrf = signed_in(guardian.user)

    page = browser.get(URL, headers={"Accept-Language": "en"}).content.decode()

    row = page.split('id="token-')[1].split("</tr>")[0]
    assert "Expired on 01/02/2027 08:30" in row


def test_revoking_a_token_stops_it_at_once_and_keeps_the_others(guardian):
    revoked, kept = new_token(), new_token()
    target = ApiToken.objects.get(key_hash=hash_token(revoked))
    browser, csrf = signed_in(guardian.user)
    statuses = {
        raw: Client().get("/api/v1/household", headers=bearer(raw)).status_code
        for raw in (revoked, kept)
    }
    assert statuses == {revoked: 200, kept: 200}

    response = browser.post(URL, {"token_id": target.pk}, headers={"X-CSRFToken": csrf})

    assert response.status_code == 302
    assert response["Location"] == URL
    assert not ApiToken.objects.filter(pk=target.pk).exists()
    assert ApiToken.objects.filter(user=guardian.user).count() == 1
    refused = Client().get("/api/v1/household", headers=bearer(revoked))
    assert refused.status_code == 401
    assert error_of(refused)["code"] == "not_authenticated"
    assert Client().get("/api/v1/household", headers=bearer(kept)).status_code == 200


def test_revoking_without_the_csrf_token_is_refused(guardian):
    new_token()
    browser, _csrf = signed_in(guardian.user)

    response = browser.post(URL, {"token_id": ApiToken.objects.get().pk})

    assert response.status_code == 403
    assert ApiToken.objects.count() == 1


def test_another_accounts_token_cannot_be_revoked(guardian):
    new_token(factories.guardian(email="voisin@example.org", password=PASSWORD).user.email)
    theirs = ApiToken.objects.get()
    browser, csrf = signed_in(guardian.user)

    response = browser.post(URL, {"token_id": theirs.pk}, headers={"X-CSRFToken": csrf})

    assert response.status_code == 302
    assert ApiToken.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize("token_id", ["", "abc", "-1", "1.5", "9" * 40, "١٢"])
def test_a_bad_token_id_changes_nothing_and_is_no_server_error(guardian, token_id):
    new_token()
    browser, csrf = signed_in(guardian.user)

    response = browser.post(URL, {"token_id": token_id}, headers={"X-CSRFToken": csrf})

    assert response.status_code == 302
    assert ApiToken.objects.count() == 1


def test_staff_accounts_have_the_page_too(client):
    agent = factories.staff(email="agent@example.org", password=PASSWORD)
    new_token("agent@example.org")
    client.force_login(agent)

    response = client.get(URL)

    assert response.status_code == 200
    assert response.content.decode().count('name="token_id"') == 1


def test_signed_out_visitors_are_sent_to_the_login_page(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/compte/connexion/")
