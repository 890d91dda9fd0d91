"""Who is signed in is decided from the session's signed data, never from the row's `user`
column, which only saves a query: a column naming someone else, or a backend no longer
configured, signs nobody in as that user; nor does the session of a deleted account."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY

from portail.accounts.models import Session
from tests import factories
from tests.accounts.sessions.statements import row_of
from tests.world.staff import client_for

pytestmark = pytest.mark.django_db

PAGE = "/mes-donnees/"


def test_a_column_naming_another_user_is_not_believed():
    anne = factories.guardian().user
    other = factories.guardian().user
    browser = client_for(anne)
    Session.objects.filter(pk=row_of(browser).pk).update(user=other)

    response = browser.get(PAGE)

    assert response.status_code == 200
    assert response.wsgi_request.user.pk == anne.pk


def test_a_backend_no_longer_configured_signs_nobody_in(settings):
    browser = client_for(factories.guardian().user)
    assert row_of(browser).get_decoded()[BACKEND_SESSION_KEY] in settings.AUTHENTICATION_BACKENDS

    settings.AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.AllowAllUsersModelBackend"]
    response = browser.get(PAGE)

    assert response.status_code == 302
    assert not response.wsgi_request.user.is_authenticated


def test_the_session_of_a_deleted_account_is_anonymous():
    guardian = factories.guardian()
    browser = client_for(guardian.user)
    guardian.user.delete()

    response = browser.get(PAGE)

    assert response.status_code == 302
    assert not response.wsgi_request.user.is_authenticated
