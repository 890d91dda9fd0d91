"""Guessing the current password from inside a session is throttled (issue 12, finding 3).

The password change page and the e-mail change page both ask for the current password;
someone holding a session (a borrowed computer, a stolen cookie) could try passwords
there without limit. Those guesses now spend the account's login budget
(PORTAIL_LOGIN_MAX_FAILURES in PORTAIL_LOGIN_WINDOW_MINUTES, shared with the login page
and the API); once it is spent even the right password is refused until the window has
passed. The e-mail change form no longer says whether another account uses an address
unless the password was right.
"""

import datetime

import pytest
from django.core import mail
from django.test import Client

from portail.accounts.models import LoginFailure, User
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "secret-pass-123"
NEW_PASSWORD = "Nouveau-2026!"
PASSWORD_PAGE = "/mes-donnees/mot-de-passe/"
EMAIL_PAGE = "/mes-donnees/adresse-electronique/"
LOGIN = "/compte/connexion/"
MAX = 5


@pytest.fixture(autouse=True)
def _login_settings(settings):
    settings.PORTAIL_LOGIN_MAX_FAILURES = MAX
    settings.PORTAIL_LOGIN_WINDOW_MINUTES = 15


@pytest.fixture
def edwige():
    return factories.guardian(email="edwige@example.org", password=PASSWORD).user


@pytest.fixture
def session(edwige) -> Client:
    client = Client()
    assert client.login(email="edwige@example.org", password=PASSWORD)
    return client


def change_password(client: Client, old: str):
    return client.post(
        PASSWORD_PAGE,
        {"old_password": old, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )


def change_email(client: Client, new_email: str, password: str):
    return client.post(EMAIL_PAGE, {"new_email": new_email, "password": password})


def codes(response, field: str) -> list[str]:
    assert response.status_code == 200
    return [error.code for error in response.context["form"].errors.as_data().get(field, [])]


def age_all_failures(minutes: int) -> None:
    for row in LoginFailure.objects.all():
        row.created_at -= datetime.timedelta(minutes=minutes)
        row.save(update_fields=["created_at"])


def password_is(user: User, password: str) -> bool:
    return User.objects.get(pk=user.pk).check_password(password)


def test_the_password_page_refuses_the_right_password_once_the_budget_is_spent(session, edwige):
    for _ in range(MAX):
        assert codes(change_password(session, "wrong-guess"), "old_password") == [
            "password_incorrect"
        ]
    response = change_password(session, PASSWORD)
    assert codes(response, "old_password") == ["throttled"]
    assert password_is(edwige, PASSWORD)
    assert mail.outbox == []


def test_the_email_page_refuses_the_right_password_once_the_budget_is_spent(session, edwige):
    for _ in range(MAX):
        assert codes(change_email(session, "new@example.org", "wrong-guess"), "password") == [
            "password"
        ]
    response = change_email(session, "new@example.org", PASSWORD)
    assert codes(response, "password") == ["throttled"]
    assert mail.outbox == []


def test_both_pages_and_the_login_page_share_the_accounts_budget(session, edwige):
    for _ in range(2):
        change_password(session, "wrong-guess")
    for _ in range(MAX - 2):
        change_email(session, "new@example.org", "wrong-guess")
    assert LoginFailure.objects.filter(user=edwige).count() == MAX
    assert codes(change_password(session, PASSWORD), "old_password") == ["throttled"]
    # The login page counts the same failures: no fresh budget from another session.
    response = Client().post(LOGIN, {"email": "edwige@example.org", "password": PASSWORD})
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].non_field_errors().as_data()] == ["throttled"]


def test_the_pages_work_again_once_the_window_has_passed(session, edwige):
    for _ in range(MAX):
        change_password(session, "wrong-guess")
    assert codes(change_password(session, PASSWORD), "old_password") == ["throttled"]
    age_all_failures(16)
    response = change_password(session, PASSWORD)
    assert response.status_code == 302
    assert password_is(edwige, NEW_PASSWORD)


def test_the_right_password_clears_earlier_wrong_guesses(session, edwige):
    for _ in range(MAX - 1):
        change_email(session, "new@example.org", "wrong-guess")
    assert change_email(session, "new@example.org", PASSWORD).status_code == 302
    assert not LoginFailure.objects.filter(user=edwige).exists()


def test_a_wrong_password_says_nothing_about_other_accounts_addresses(session, edwige):
    factories.guardian(email="marc@example.org")
    wrong = change_email(session, "marc@example.org", "wrong-guess")
    assert codes(wrong, "new_email") == []
    assert codes(wrong, "password") == ["password"]
    unknown = change_email(session, "nobody@example.org", "wrong-guess")
    assert wrong.context["form"].errors == unknown.context["form"].errors
    # With the right password, the owner of the session learns the address is taken.
    right = change_email(session, "marc@example.org", PASSWORD)
    assert codes(right, "new_email") == ["taken"]
    assert mail.outbox == []
