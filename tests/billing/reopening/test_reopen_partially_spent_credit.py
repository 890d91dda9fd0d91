"""Reopening after the family spent part of the closure credit: the days its remaining
credit covers come back (whole days, in order), the others stay cancelled and credited."""

import pytest
from django.core import mail

from portail.backoffice.reopening import reopen_session
from portail.billing import credits
from portail.billing.models import CreditEntry, CreditKind
from portail.reservations.models import Booking, BookingStatus
from tests.billing.reopening.conftest import spend_credit

pytestmark = pytest.mark.django_db


def test_only_the_days_the_unspent_credit_covers_come_back(town, strike_day):
    spend_credit(town, 1)  # 3,70 € of the 9,25 € used: 5,55 € left
    assert credits.available_cents(town.martin) == 555
    mail.outbox.clear()
    result = reopen_session(town.future, actor=town.gestionnaire)
    # Emy's 3,70 € comes back first; Lise's 5,55 € no longer fits in the 1,85 € left.
    assert [d.child for d in result.restored] == [town.emy]
    assert [(d.child, d.kept_because) for d in result.kept] == [(town.lise, "credit_used")]
    assert Booking.objects.filter(
        child=town.emy, session=town.future, status=BookingStatus.RESERVED
    ).exists()
    lise = Booking.objects.get(pk=strike_day["lise"].pk)
    assert lise.status == BookingStatus.CANCELLED
    assert not Booking.objects.filter(
        child=town.lise, session=town.future, status=BookingStatus.RESERVED
    ).exists()
    assert list(
        CreditEntry.objects.filter(kind=CreditKind.CLOSURE_REVERSED).values_list(
            "booking_id", "amount_cents"
        )
    ) == [(strike_day["emy"].pk, -370)]
    assert credits.balance_cents(town.martin) == 185
    body = mail.outbox[0].body
    assert "booked again" in body and "stays cancelled" in body
