"""Reopening a day of an activity invoiced after the fact: the closure credited nothing,
so the days simply stand again (to be invoiced), whatever the family's credit."""

import pytest

from portail.activities.models import BillingMode
from portail.backoffice.reopening import reopen_session
from portail.backoffice.sessions import close_session
from portail.billing import credits
from portail.billing.models import CreditEntry
from portail.reservations.models import Booking, BookingStatus, HistoryEntry
from tests.factories import paid_booking

pytestmark = pytest.mark.django_db


def test_invoiced_later_bookings_cancelled_by_the_closure_come_back(town):
    town.canteen.billing_mode = BillingMode.ON_BOOKING
    town.canteen.save()
    emy = paid_booking(town.emy, town.future)
    tom = paid_booking(town.tom, town.future)
    assert emy.invoiced and tom.invoiced
    close_session(town.future, "Grève", actor=town.gestionnaire)
    assert not CreditEntry.objects.exists()
    result = reopen_session(town.future, actor=town.gestionnaire)
    assert {d.child for d in result.restored} == {town.emy, town.tom}
    restored = Booking.objects.filter(session=town.future, status=BookingStatus.RESERVED)
    assert {(b.child_id, b.invoiced, b.price_cents) for b in restored} == {
        (town.emy.pk, True, 370),
        (town.tom.pk, True, 370),
    }
    assert not CreditEntry.objects.exists()
    assert credits.balance_cents(town.martin) == 0
    last = HistoryEntry.objects.filter(child=town.tom, session=town.future).last()
    assert (last.action, last.detail) == ("add_reservation", "booked_invoiced")
