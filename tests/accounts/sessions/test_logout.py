"""Logging out deletes the session's row: its key is worth nothing afterwards."""

import pytest
from django.conf import settings

from portail.accounts.models import Session
from tests import factories
from tests.accounts.sessions.statements import row_of

pytestmark = pytest.mark.django_db


def test_logout_deletes_the_row_and_the_old_key_signs_nobody_in(client):
    user = factories.guardian(email="anne@example.org").user
    client.post("/compte/connexion/", {"email": "anne@example.org", "password": "secret-pass-123"})
    key = row_of(client).session_key

    response = client.post("/compte/deconnexion/")

    assert response.status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    assert not Session.objects.filter(user=user).exists()
    client.cookies[settings.SESSION_COOKIE_NAME] = key  # replayed
    assert client.get("/mes-donnees/").status_code == 302
