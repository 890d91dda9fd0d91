"""A day whose capacity was lowered while closed: the bookings that no longer fit stay
cancelled and credited; never more bookings than places."""

import pytest
from django.core import mail

from portail.activities.models import Session
from portail.backoffice.reopening import reopen_session
from portail.billing import credits
from portail.reservations.models import Booking, BookingStatus

pytestmark = pytest.mark.django_db


def test_restoring_never_overbooks(town, strike_day):
    Session.objects.filter(pk=town.future.pk).update(capacity=1)  # e.g. through the admin
    mail.outbox.clear()
    result = reopen_session(town.future, actor=town.gestionnaire)
    assert [d.child for d in result.restored] == [town.emy]
    assert [(d.child, d.kept_because) for d in result.kept] == [(town.lise, "full")]
    assert Booking.objects.filter(session=town.future, status=BookingStatus.RESERVED).count() == 1
    assert credits.balance_cents(town.martin) == 555
    assert "no place is left" in mail.outbox[0].body
