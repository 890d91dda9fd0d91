"""A password changed elsewhere signs out every other browser: the session's hash no longer
matches the account's, the session is flushed (its row deleted). The browser that changed
it stays signed in (update_session_auth_hash)."""

import pytest
from django.contrib.auth import SESSION_KEY

from portail.accounts.models import Session
from tests import factories
from tests.accounts.sessions.statements import row_of
from tests.world.staff import client_for

pytestmark = pytest.mark.django_db

PAGE = "/mes-donnees/"  # signed in only
PASSWORD = "secret-pass-123"


def test_a_password_set_elsewhere_signs_the_session_out_and_deletes_its_row():
    user = factories.guardian().user
    browser = client_for(user)
    assert browser.get(PAGE).status_code == 200

    user.set_password("Autre-mot-de-passe-2026")
    user.save()
    response = browser.get(PAGE)

    assert response.status_code == 302
    assert response["Location"].startswith("/compte/connexion/")
    assert not response.wsgi_request.user.is_authenticated
    assert row_of(browser) is None
    assert not Session.objects.filter(user=user).exists()


def test_the_browser_changing_the_password_stays_signed_in_and_the_others_do_not():
    user = factories.guardian().user
    here, elsewhere = client_for(user), client_for(user)

    changed = here.post(
        "/mes-donnees/mot-de-passe/",
        {
            "old_password": PASSWORD,
            "new_password1": "Nouveau-2026!",
            "new_password2": "Nouveau-2026!",
        },
    )

    assert changed.status_code == 302
    assert here.get(PAGE).status_code == 200
    assert elsewhere.get(PAGE).status_code == 302
    assert SESSION_KEY not in elsewhere.session
    assert list(Session.objects.filter(user=user)) == [row_of(here)]
