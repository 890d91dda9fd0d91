"""`portail clearsessions` (the engine's clear_expired) deletes the expired rows only."""

import datetime

import pytest
from django.core.management import call_command

from portail.accounts.models import Session
from portail.accounts.sessions import SessionStore
from tests import factories
from tests.accounts.sessions.statements import row_of
from tests.clock import NOW
from tests.world.staff import client_for

pytestmark = pytest.mark.django_db


def test_clearsessions_deletes_the_expired_rows_and_keeps_the_live_ones(settings, time_machine):
    lifetime = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    time_machine.move_to(NOW, tick=False)
    old = row_of(client_for(factories.guardian().user))
    time_machine.move_to(NOW + lifetime - datetime.timedelta(minutes=1))
    fresh = row_of(client_for(factories.guardian().user))
    time_machine.move_to(NOW + lifetime + datetime.timedelta(seconds=1))

    call_command("clearsessions")

    assert list(Session.objects.values_list("session_key", flat=True)) == [fresh.session_key]
    assert old.session_key != fresh.session_key


def test_clear_expired_is_the_engines_on_this_model(settings, time_machine):
    time_machine.move_to(NOW, tick=False)
    client_for(factories.guardian().user)
    time_machine.move_to(NOW + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE + 1))

    SessionStore.clear_expired()

    assert not Session.objects.exists()
