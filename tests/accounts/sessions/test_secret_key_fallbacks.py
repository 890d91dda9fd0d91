"""A SECRET_KEY rotation keeps sessions signed in (SECRET_KEY_FALLBACKS), as Django's: the
session's hash is checked against the old key too, then the session moves to the new key
(a new session key, the hash made with the new secret)."""

import pytest
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY

from portail.accounts.models import Session
from tests import factories
from tests.accounts.sessions.statements import row_of
from tests.world.staff import client_for

pytestmark = pytest.mark.django_db

PAGE = "/mes-donnees/"


def test_a_session_signed_with_a_fallback_key_stays_and_moves_to_the_new_key(settings):
    user = factories.guardian().user
    browser = client_for(user)
    old_key = row_of(browser).session_key

    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 40
    response = browser.get(PAGE)

    assert response.status_code == 200
    assert response.wsgi_request.user.pk == user.pk
    row = row_of(browser)
    assert row.session_key != old_key and row.user_id == user.pk
    assert not Session.objects.filter(session_key=old_key).exists()
    assert row.get_decoded()[HASH_SESSION_KEY] == user.get_session_auth_hash()


def test_a_session_signed_with_a_key_no_longer_listed_is_signed_out(settings):
    browser = client_for(factories.guardian().user)

    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 40
    response = browser.get(PAGE)

    assert response.status_code == 302  # its data no longer reads (signed with that key)
    assert not response.wsgi_request.user.is_authenticated
    assert SESSION_KEY not in browser.session
