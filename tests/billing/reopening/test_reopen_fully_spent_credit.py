"""Reopening after the family spent the closure credit: every day stays cancelled and
credited, nothing is taken back; the day is open again."""

import pytest
from django.core import mail

from portail.backoffice.reopening import reopen_session
from portail.billing import credits
from portail.billing.models import CreditEntry, CreditKind
from portail.reservations.models import Booking, BookingStatus
from tests.billing.reopening.conftest import spend_credit

pytestmark = pytest.mark.django_db


def test_no_day_comes_back_when_the_credit_was_used(town, strike_day):
    spend_credit(town, 2)  # 7,40 € of the 9,25 € used: 1,85 € left, less than any day
    mail.outbox.clear()
    result = reopen_session(town.future, actor=town.gestionnaire)
    town.future.refresh_from_db()
    assert town.future.is_open
    assert result.restored == [] and len(result.kept) == 2
    assert not Booking.objects.filter(session=town.future, status=BookingStatus.RESERVED).exists()
    assert not CreditEntry.objects.filter(kind=CreditKind.CLOSURE_REVERSED).exists()
    assert credits.balance_cents(town.martin) == 185
    (message,) = mail.outbox
    assert message.body.count("stays cancelled") == 2 and "booked again" not in message.body
