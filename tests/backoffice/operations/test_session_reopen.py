"""Reopening a closed day from its back-office page (a box to tick) and from the admin's
action: the same service; other roles are refused; `sessions_reopened` goes once the
reopening has committed, with the places then really free."""

import pytest
from django.contrib.admin import helpers
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portail.activities.calendar import sessions_reopened
from portail.backoffice.reopening import reopen_session
from portail.backoffice.sessions import close_session
from portail.billing import credits
from portail.reservations.models import Booking, BookingStatus
from portail.reservations.occupancy import taken_places
from tests import factories
from tests.factories import paid_booking
from tests.world.staff import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_day(town):
    paid_booking(town.emy, town.future)
    close_session(town.future, "Grève", actor=town.gestionnaire)
    mail.outbox.clear()
    return town.future


def reopen_url(session) -> str:
    return reverse("backoffice:session_reopen", args=[session.pk])


def test_the_page_asks_for_confirmation_then_reopens(town, closed_day):
    client = client_for(town.gestionnaire, "en")
    page = client.get(reverse("backoffice:sessions") + f"?seance={closed_day.pk}")
    assert 'name="reopen-confirm"' in page.content.decode()
    unconfirmed = client.post(reopen_url(closed_day), {})
    assert unconfirmed.status_code == 400
    assert "Tick the box to confirm that the day is to be reopened." in (
        unconfirmed.content.decode()
    )
    closed_day.refresh_from_db()
    assert not closed_day.is_open
    response = client.post(reopen_url(closed_day), {"reopen-confirm": "on"}, follow=True)
    assert response.status_code == 200
    assert "Day reopened: 1 booking(s) booked again" in response.content.decode()
    closed_day.refresh_from_db()
    assert closed_day.is_open
    assert Booking.objects.get(child=town.emy, status=BookingStatus.RESERVED)
    assert credits.balance_cents(town.martin) == 0
    assert len(mail.outbox) == 1


def test_other_roles_cannot_reopen(town, closed_day):
    for user in (town.pointage, town.cuisine, town.parent):
        response = client_for(user, "en").post(reopen_url(closed_day), {"reopen-confirm": "on"})
        assert response.status_code == 403
    closed_day.refresh_from_db()
    assert not closed_day.is_open and not mail.outbox


def test_the_admin_action_goes_through_the_service(town, closed_day):
    admin = factories.staff(email="admin@example.org", is_superuser=True)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(admin)
    response = client.post(
        reverse("admin:activities_session_changelist"),
        {"action": "reopen_days", helpers.ACTION_CHECKBOX_NAME: [closed_day.pk, town.today.pk]},
        follow=True,
    )
    texts = [str(m) for m in response.context["messages"]]
    assert "Days reopened: 1." in texts
    assert any("was not reopened" in t for t in texts)  # today was open
    assert Booking.objects.filter(child=town.emy, status=BookingStatus.RESERVED).exists()
    assert credits.balance_cents(town.martin) == 0
    assert len(mail.outbox) == 1


def test_sessions_reopened_is_sent_after_commit(
    town, closed_day, django_capture_on_commit_callbacks
):
    seen = []

    def receiver(sender, sessions, actor, **kwargs):
        seen.append(
            ([s.pk for s in sessions], actor, taken_places([closed_day.pk], now=timezone.now()))
        )

    sessions_reopened.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            reopen_session(closed_day, actor=town.gestionnaire)
        assert seen == []  # not before the commit
        for callback in callbacks:
            callback()
    finally:
        sessions_reopened.disconnect(receiver)
    # Once committed: the day, who reopened it, and Emy's restored place already taken.
    assert seen == [([closed_day.pk], town.gestionnaire, {closed_day.pk: 1})]
