"""Upgrading to the portal's session table signs nobody out: the live sessions of
Django's table are carried over by migration accounts.0007 (expired ones are not)."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session as DjangoSession
from django.test import Client
from django.utils import timezone

from portail.accounts.models import Session
from tests.world.commune import seed_family

pytestmark = pytest.mark.django_db

carry = importlib.import_module("portail.accounts.migrations.0007_carry_sessions").carry


def test_a_live_session_of_djangos_table_is_still_signed_in_after_the_migration(settings):
    fam = seed_family()
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    before = Client()
    before.force_login(fam.user)
    key = before.cookies[settings.SESSION_COOKIE_NAME].value
    assert DjangoSession.objects.filter(session_key=key).exists()
    assert not Session.objects.filter(session_key=key).exists()
    DjangoSession.objects.create(
        session_key="x" * 32,
        session_data="expired",
        expire_date=timezone.now() - datetime.timedelta(seconds=1),
    )

    settings.SESSION_ENGINE = "portail.accounts.sessions"
    carry(apps, None)
    carry(apps, None)  # run twice (a migration re-applied): nothing doubled, no error

    after = Client()
    after.cookies[settings.SESSION_COOKIE_NAME] = key
    page = after.get("/mes-donnees/")
    assert page.status_code == 200
    assert page.wsgi_request.user == fam.user
    assert list(Session.objects.values_list("session_key", flat=True)) == [key]


def test_without_the_old_session_the_page_asks_to_sign_in(settings):
    seed_family()
    after = Client()
    after.cookies[settings.SESSION_COOKIE_NAME] = "y" * 32
    assert after.get("/mes-donnees/").status_code == 302
