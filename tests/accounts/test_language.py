"""The language a user picks is stored on the account and comes back at the next login."""

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

SETLANG = "/i18n/setlang/"


def test_switching_language_stores_it_on_the_logged_in_user(client):
    guardian = factories.guardian()
    client.force_login(guardian.user)
    response = client.post(SETLANG, {"language": "en", "next": "/aide/"})
    assert response.status_code == 302
    assert response["Location"] == "/aide/"
    assert response.cookies["portail_language"].value == "en"
    guardian.user.refresh_from_db()
    assert guardian.user.language == "en"


def test_a_language_the_portal_does_not_offer_is_not_stored(client):
    guardian = factories.guardian()
    client.force_login(guardian.user)
    for code in ["de", "xx", "", "e" * 500]:
        client.post(SETLANG, {"language": code, "next": "/"})
    guardian.user.refresh_from_db()
    assert guardian.user.language == ""  # still never chosen


def test_a_get_changes_nothing(client):
    guardian = factories.guardian()
    client.force_login(guardian.user)
    client.get(SETLANG, {"language": "en"})
    guardian.user.refresh_from_db()
    assert guardian.user.language == ""


def test_anonymous_switch_only_sets_the_cookie(client):
    response = client.post(SETLANG, {"language": "en", "next": "/"})
    assert response.cookies["portail_language"].value == "en"


def test_login_brings_back_the_stored_language(client):
    factories.guardian(email="ann@example.org", language="en")
    client.cookies["portail_language"] = "fr"
    response = client.post(
        reverse("accounts:login"), {"email": "ann@example.org", "password": "secret-pass-123"}
    )
    assert response.cookies["portail_language"].value == "en"
    page = client.get(reverse("accounts:password_reset"))
    assert '<html lang="en">' in page.content.decode()


def test_language_follows_the_user_to_another_browser(client):
    factories.guardian(email="ann@example.org")
    client.post(
        reverse("accounts:login"), {"email": "ann@example.org", "password": "secret-pass-123"}
    )
    client.post(SETLANG, {"language": "en", "next": "/"})

    other = Client()
    response = other.post(
        reverse("accounts:login"), {"email": "ann@example.org", "password": "secret-pass-123"}
    )
    assert response.cookies["portail_language"].value == "en"


def login(client, email="ann@example.org"):
    return client.post(reverse("accounts:login"), {"email": email, "password": "secret-pass-123"})


def test_the_language_chosen_on_the_login_page_is_kept_after_login(client):
    guardian = factories.guardian(email="ann@example.org")
    assert guardian.user.language == ""  # a new account has chosen nothing
    client.get(reverse("accounts:login"))
    client.post(SETLANG, {"language": "en", "next": reverse("accounts:login")})
    response = login(client)
    assert response.status_code == 302
    assert response.cookies["portail_language"].value == "en"
    assert '<html lang="en">' in client.get("/").content.decode()
    guardian.user.refresh_from_db()
    assert guardian.user.language == "en"  # and its e-mails are in English from now on


def test_a_choice_on_the_login_page_replaces_the_stored_one(client):
    guardian = factories.guardian(email="ann@example.org", language="en")
    client.post(SETLANG, {"language": "fr", "next": "/"})
    response = login(client)
    assert response.cookies["portail_language"].value == "fr"
    guardian.user.refresh_from_db()
    assert guardian.user.language == "fr"


def test_the_choice_is_used_once_not_by_the_next_login_on_the_same_browser(client):
    factories.guardian(email="ann@example.org")
    second = factories.guardian(email="bob@example.org", language="fr")
    client.post(SETLANG, {"language": "en", "next": "/"})
    login(client)
    client.post(reverse("accounts:logout"))
    response = login(client, "bob@example.org")
    assert response.cookies["portail_language"].value == "fr"
    second.user.refresh_from_db()
    assert second.user.language == "fr"


def test_never_chosen_stays_unchosen_and_e_mails_use_the_portal_s_default(client, settings):
    from portail.accounts.emails import user_language

    guardian = factories.guardian(email="ann@example.org")
    response = login(client)
    assert "portail_language" not in response.cookies  # the page's language is left alone
    guardian.user.refresh_from_db()
    assert guardian.user.language == ""
    assert user_language(guardian.user) == settings.LANGUAGE_CODE == "fr"
