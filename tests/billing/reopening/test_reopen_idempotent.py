"""Reopening twice does nothing more: refused, no credit taken twice, no second e-mail;
closing again and reopening again works on the days restored."""

import pytest
from django.core import mail

from portail.backoffice.households import Refused
from portail.backoffice.reopening import reopen_session
from portail.backoffice.sessions import close_session
from portail.billing import credits, reopening
from portail.billing.models import CreditEntry, CreditKind
from portail.reservations.models import Booking, BookingStatus

pytestmark = pytest.mark.django_db


def test_a_second_reopening_changes_nothing(town, strike_day):
    reopen_session(town.future, actor=town.gestionnaire)
    outbox = len(mail.outbox)
    with pytest.raises(Refused) as refused:
        reopen_session(town.future, actor=town.gestionnaire)
    assert "nothing to reopen" in refused.value.message
    # The billing service alone, run again (a script after a crash): nothing to do.
    again = reopening.reopen_closed_sessions([town.future.pk], actor=town.gestionnaire)
    assert again.sessions == [] and again.households == {}
    assert len(mail.outbox) == outbox
    assert CreditEntry.objects.filter(kind=CreditKind.CLOSURE_REVERSED).count() == 2
    assert Booking.objects.filter(session=town.future, status=BookingStatus.RESERVED).count() == 2
    assert credits.balance_cents(town.martin) == 0


def test_close_reopen_close_reopen(town, strike_day):
    reopen_session(town.future, actor=town.gestionnaire)
    close_session(town.future, "Grève encore", actor=town.gestionnaire)
    assert credits.balance_cents(town.martin) == 925
    assert CreditEntry.objects.filter(kind=CreditKind.CLOSURE).count() == 4
    result = reopen_session(town.future, actor=town.gestionnaire)
    assert len(result.restored) == 2
    assert credits.balance_cents(town.martin) == 0
    assert Booking.objects.filter(session=town.future, status=BookingStatus.RESERVED).count() == 2
    assert Booking.objects.filter(session=town.future).count() == 6
