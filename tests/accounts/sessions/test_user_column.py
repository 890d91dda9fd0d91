"""The row's `user` column follows the session's data: filled at login, kept when the key
cycles, gone at logout and when a refused session is flushed (the row is deleted; a new
session, if any, belongs to nobody)."""

import pytest
from django.contrib.auth import SESSION_KEY

from portail.accounts.models import Session
from tests import factories
from tests.accounts.sessions.statements import row_of

pytestmark = pytest.mark.django_db

LOGIN = "/compte/connexion/"
PASSWORD = "secret-pass-123"


def sign_in(client, email):
    response = client.post(LOGIN, {"email": email, "password": PASSWORD})
    assert response.status_code == 302
    return response


def test_the_column_is_filled_at_login_and_the_row_deleted_at_logout(client):
    user = factories.guardian(email="anne@example.org").user
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})  # a session before login
    before = row_of(client)
    assert before is not None and before.user_id is None

    sign_in(client, "anne@example.org")
    row = row_of(client)
    assert row.user_id == user.pk
    assert row.session_key != before.session_key  # the key cycled at login
    assert not Session.objects.filter(session_key=before.session_key).exists()

    client.post("/compte/deconnexion/")
    assert not Session.objects.filter(user=user).exists()
    assert all(row.user_id is None for row in Session.objects.all())


def test_a_flushed_session_leaves_no_row_naming_the_user(client):
    user = factories.guardian(email="anne@example.org").user
    sign_in(client, "anne@example.org")
    user.set_password("Autre-mot-de-passe-2026")
    user.save()  # the session's hash no longer matches: the next request flushes it

    client.get("/aide/")

    assert SESSION_KEY not in client.session
    assert not Session.objects.filter(user=user).exists()
