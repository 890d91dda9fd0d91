"""A disabled account's open session reads as signed out (Django's ModelBackend refuses an
inactive user), even though its user came along with the session's row."""

import pytest

from tests import factories
from tests.world.staff import client_for

pytestmark = pytest.mark.django_db


def test_an_inactive_users_session_is_anonymous():
    user = factories.guardian().user
    browser = client_for(user)
    assert browser.get("/mes-donnees/").status_code == 200

    user.is_active = False
    user.save(update_fields=["is_active"])
    response = browser.get("/mes-donnees/")

    assert response.status_code == 302
    assert response["Location"].startswith("/compte/connexion/")
    assert not response.wsgi_request.user.is_authenticated
