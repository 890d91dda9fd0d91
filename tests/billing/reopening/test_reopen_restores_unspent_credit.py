"""Reopening a closed day whose credit the family has not used: the days are booked again
and the closure credit taken back; history, the staff's journal and the family's e-mail
say so."""

import pytest
from django.core import mail

from portail.backoffice.models import StaffAction
from portail.backoffice.reopening import reopen_session
from portail.billing import credits
from portail.billing.models import CreditEntry, CreditKind
from portail.families.models import Document
from portail.reservations.models import Booking, BookingStatus, Channel, HistoryEntry

pytestmark = pytest.mark.django_db


def test_unspent_closure_credit_is_taken_back_and_the_days_booked_again(town, strike_day):
    assert credits.balance_cents(town.martin) == 925
    mail.outbox.clear()
    result = reopen_session(town.future, actor=town.gestionnaire)
    town.future.refresh_from_db()
    assert town.future.is_open and town.future.closed_reason == ""
    assert len(result.restored) == 2 and result.kept == []
    assert result.taken_back_cents == 925
    # The days stand again (new reserved rows, same price and late flag)...
    for child, price, late in ((town.emy, 370, False), (town.lise, 555, True)):
        booking = Booking.objects.get(
            child=child, session=town.future, status=BookingStatus.RESERVED
        )
        assert (booking.price_cents, booking.late) == (price, late)
    # ...the cancelled ones keep their closure credit, now taken back.
    assert credits.balance_cents(town.martin) == 0
    reversals = CreditEntry.objects.filter(kind=CreditKind.CLOSURE_REVERSED)
    assert sorted((e.booking_id, e.amount_cents) for e in reversals) == sorted(
        [(strike_day["emy"].pk, -370), (strike_day["lise"].pk, -555)]
    )
    assert all(e.actor == town.gestionnaire for e in reversals)
    # History: the service booked the day again.
    last = HistoryEntry.objects.filter(child=town.emy, session=town.future).last()
    assert (last.action, last.channel, last.actor_id, last.price_cents) == (
        "add_reservation",
        Channel.BACKOFFICE,
        town.gestionnaire.pk,
        370,
    )
    # One e-mail to the family, kept; the journal has the day and the family.
    assert [m.to for m in mail.outbox] == [["parent.martin@example.org"]]
    body = mail.outbox[0].body
    assert "booked again" in body and "€9.25" in body and "Emy" in body and "Lise" in body
    assert Document.objects.filter(household=town.martin, body__contains="booked again").exists()
    journal = StaffAction.objects.filter(summary__contains="reopened")
    assert {a.household_id for a in journal} == {None, town.martin.pk}
