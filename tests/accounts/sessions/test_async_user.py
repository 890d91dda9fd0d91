"""request.auser() (Django's async accessor) answers the same user as request.user, and the
engine's async methods read and write the user as the others do."""

import pytest
from asgiref.sync import async_to_sync
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.test import RequestFactory

from portail.accounts.middleware import AuthenticationMiddleware
from portail.accounts.models import Session
from portail.accounts.sessions import SessionStore
from portail.families.guardians import guardian_of
from tests import factories
from tests.accounts.sessions.statements import row_of
from tests.world.staff import client_for

pytestmark = pytest.mark.django_db


def test_auser_answers_the_sessions_user_once_checked():
    user = factories.guardian().user
    request = RequestFactory().get("/")
    request.COOKIES[settings.SESSION_COOKIE_NAME] = row_of(client_for(user)).session_key
    SessionMiddleware(lambda _request: HttpResponse()).process_request(request)
    AuthenticationMiddleware(lambda _request: HttpResponse()).process_request(request)

    found = async_to_sync(request.auser)()

    assert found.pk == user.pk
    assert request.user.pk == user.pk


def test_the_engines_async_methods_read_and_write_the_user_too(django_assert_num_queries):
    user = factories.guardian().user
    store = SessionStore(row_of(client_for(user)).session_key)

    with django_assert_num_queries(1):
        assert async_to_sync(store.aget)(SESSION_KEY) == str(user.pk)
        assert store.loaded_user(user.pk).pk == user.pk
        assert guardian_of(store.loaded_user(user.pk)).household_id is not None

    fresh = SessionStore()
    async_to_sync(fresh.aupdate)(dict(async_to_sync(store.aitems)()))
    async_to_sync(fresh.asave)()
    assert Session.objects.get(session_key=fresh.session_key).user_id == user.pk
