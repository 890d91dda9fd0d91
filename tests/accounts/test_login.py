"""The login page: e-mail and password, one message for every wrong pair, POST-only logout."""

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from portail.accounts.models import LoginFailure
from tests import factories

pytestmark = pytest.mark.django_db

LOGIN = "/compte/connexion/"
PASSWORD = "secret-pass-123"


def post_login(client, email, password, **extra):
    return client.post(LOGIN, {"email": email, "password": password, **extra})


def test_login_page_has_labelled_fields_and_a_reset_link(client):
    response = client.get(LOGIN)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_email"' in html
    assert '<label for="id_password"' in html
    assert 'autocomplete="current-password"' in html
    assert reverse("accounts:password_reset") in html


def test_the_names_other_parts_use_still_resolve():
    assert reverse("accounts:login") == LOGIN
    assert reverse("accounts:logout") == "/compte/deconnexion/"
    assert reverse("set_language") == "/i18n/setlang/"


def test_correct_email_and_password_log_in_and_go_home(client):
    guardian = factories.guardian(email="anne@example.org")
    response = post_login(client, "anne@example.org", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse(settings.LOGIN_REDIRECT_URL)
    assert client.session[SESSION_KEY] == str(guardian.user.pk)


def test_email_is_matched_whatever_its_case_and_spaces(client):
    guardian = factories.guardian(email="anne@example.org")
    response = post_login(client, "  Anne@Example.ORG ", PASSWORD)
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(guardian.user.pk)


def test_a_safe_next_is_followed_and_an_outside_one_is_not(client):
    factories.guardian(email="anne@example.org")
    response = post_login(client, "anne@example.org", PASSWORD, next="/aide/")
    assert response["Location"] == "/aide/"

    client.post("/compte/deconnexion/")
    response = post_login(client, "anne@example.org", PASSWORD, next="https://evil.example/")
    assert response["Location"] == reverse("families:home")


def test_wrong_password_and_unknown_email_give_the_same_announced_message(client):
    factories.guardian(email="anne@example.org")
    wrong = post_login(client, "anne@example.org", "not-the-password")
    unknown = post_login(client, "nobody@example.org", "not-the-password")

    def alert(response):
        html = response.content.decode()
        start = html.index('role="alert"')
        return html[start : html.index("</div>", start)]

    assert wrong.status_code == unknown.status_code == 200
    assert alert(wrong) == alert(unknown)
    assert wrong.context["form"].errors == unknown.context["form"].errors
    assert SESSION_KEY not in client.session


def test_disabled_account_is_refused_only_once_the_password_is_right(client):
    factories.guardian(email="gone@example.org", is_active=False)
    wrong = post_login(client, "gone@example.org", "not-the-password")
    right = post_login(client, "gone@example.org", PASSWORD)
    assert wrong.context["form"].non_field_errors().as_data()[0].code == "invalid_credentials"
    assert right.context["form"].non_field_errors().as_data()[0].code == "inactive"
    assert SESSION_KEY not in client.session


def test_account_never_activated_cannot_log_in_with_any_password(client):
    user = factories.staff(email="new@example.org", password=None)
    assert not user.has_usable_password()
    response = post_login(client, "new@example.org", "")
    assert response.status_code == 200
    response = post_login(client, "new@example.org", "anything-at-all")
    assert response.context["form"].non_field_errors().as_data()[0].code == "invalid_credentials"


@pytest.mark.parametrize(
    "email,password,field",
    [
        ("", PASSWORD, "email"),
        ("anne@example.org", "", "password"),
        ("not-an-email", PASSWORD, "email"),
        ("anne@", PASSWORD, "email"),
        ("a" * 300 + "@example.org", PASSWORD, "email"),
        ("anne@example.org", "x" * 5000, "password"),
    ],
)
def test_bad_input_gives_field_errors_and_changes_nothing(client, email, password, field):
    guardian = factories.guardian(email="anne@example.org")
    before = guardian.user.password
    response = post_login(client, email, password)
    html = response.content.decode()
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert 'role="alert"' in html
    assert 'aria-invalid="true"' in html
    assert SESSION_KEY not in client.session
    assert LoginFailure.objects.count() == 0
    guardian.user.refresh_from_db()
    assert guardian.user.password == before


def test_logged_in_user_visiting_login_page_goes_home(client):
    guardian = factories.guardian()
    client.force_login(guardian.user)
    response = client.get(LOGIN)
    assert response.status_code == 302
    assert response["Location"] == reverse("families:home")


def test_logout_needs_a_post(client):
    guardian = factories.guardian()
    client.force_login(guardian.user)
    response = client.get("/compte/deconnexion/")
    assert response.status_code == 405
    assert client.session[SESSION_KEY] == str(guardian.user.pk)

    response = client.post("/compte/deconnexion/")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert SESSION_KEY not in client.session
