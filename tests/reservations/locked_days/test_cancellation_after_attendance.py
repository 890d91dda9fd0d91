"""Gap 2: a cancellation waiting in a basket when the day's attendance is recorded is not
applied when the basket is validated or paid: the booking stays reserved, no credit is
given, the quote does not count it, and the family's history says why. Money is kept."""

import uuid

import pytest

from portail.backoffice.attendance.sheet import Mark
from portail.billing import credits
from portail.billing.checkout import checkout
from portail.billing.models import CreditEntry, PaymentState
from portail.billing.payments import apply_detail
from portail.billing.quote import quote
from portail.billing.settlement import DETAIL_CANCELLATION_NOT_APPLIED
from portail.payfip import client
from portail.reservations.models import BasketStatus, BookingStatus, Channel, HistoryAction
from tests.factories import paid_booking
from tests.world.booking import last_history, long_hold_world, mark, submit
from tests.world.days import FRIDAY, MINUTE, MONDAY, MONDAY_AFTERNOON, NOW, THURSDAY
from tests.world.money import assert_money_kept, detail

pytestmark = pytest.mark.django_db


@pytest.fixture
def payfip(monkeypatch, settings):
    """creerPaiementSecurise answers with a fresh idOp (as in tests/billing)."""
    settings.PORTAIL_BASE_URL = "https://portail.example.org"
    settings.PAYFIP_NUMCLI = "012345"

    def create_payment(request, *, urlnotif, urlredirect, numcli=None, saisie=None):
        return str(uuid.uuid4())

    monkeypatch.setattr(client, "create_payment", create_payment)


def test_the_quote_stops_counting_a_cancellation_once_the_day_is_attended():
    world = long_hold_world()
    monday = world.sessions[MONDAY]
    paid_booking(world.child, monday)
    basket = submit(
        world, cancel=[(world.child, monday)], add=[(world.child, world.sessions[FRIDAY])]
    )
    before = quote(basket)
    assert (before.cancellations_total_cents, before.amount_due_cents) == (370, 0)

    mark(world, world.child, Mark.ABSENT)
    after = quote(basket)
    assert (after.reservations_total_cents, after.cancellations_total_cents) == (370, 0)
    assert (after.credit_applied_cents, after.amount_due_cents) == (0, 370)


def test_validating_leaves_the_attended_booking_reserved_without_credit():
    world = long_hold_world()
    monday = world.sessions[MONDAY]
    booking = paid_booking(world.child, monday)
    basket = submit(world, cancel=[(world.child, monday)])
    mark(world, world.child, Mark.ABSENT)

    result = checkout(
        world.household, actor=world.user, channel=Channel.WEB, now=MONDAY_AFTERNOON + MINUTE
    )
    assert result.status == "validated"
    assert result.settlement.cancellations_not_applied == [booking]
    assert result.settlement.cancelled == []
    assert result.settlement.cancellation_credit_cents == 0
    booking.refresh_from_db()
    basket.refresh_from_db()
    assert booking.status == BookingStatus.RESERVED
    assert basket.status == BasketStatus.VALIDATED
    assert not CreditEntry.objects.filter(household=world.household).exists()
    row = last_history(world.child, monday)
    assert (row.action, row.detail, row.price_cents) == (
        HistoryAction.ADD_RESERVATION,
        DETAIL_CANCELLATION_NOT_APPLIED,
        370,
    )
    assert_money_kept(world.household, before_cents=370)


def test_a_cancellation_of_another_day_in_the_same_basket_is_still_applied():
    world = long_hold_world()
    monday, thursday = world.sessions[MONDAY], world.sessions[THURSDAY]
    attended = paid_booking(world.child, monday)
    other = paid_booking(world.child, thursday)
    submit(world, cancel=[(world.child, monday), (world.child, thursday)])
    mark(world, world.child, Mark.PRESENT)

    result = checkout(
        world.household, actor=world.user, channel=Channel.WEB, now=MONDAY_AFTERNOON + MINUTE
    )
    assert result.settlement.cancellations_not_applied == [attended]
    assert result.settlement.cancelled == [other]
    attended.refresh_from_db()
    other.refresh_from_db()
    assert (attended.status, other.status) == (BookingStatus.RESERVED, BookingStatus.CANCELLED)
    assert credits.balance_cents(world.household) == 370
    assert_money_kept(world.household, before_cents=740)


def test_a_payment_arriving_after_attendance_does_not_apply_the_cancellation(payfip):
    world = long_hold_world()
    monday = world.sessions[MONDAY]
    booking = paid_booking(world.child, monday)
    submit(
        world,
        cancel=[(world.child, monday)],
        add=[(world.child, world.sessions[THURSDAY]), (world.child, world.sessions[FRIDAY])],
    )
    # PAYER: 7,40 of requests, 3,70 of them paid by Monday's cancellation.
    result = checkout(world.household, actor=world.user, channel=Channel.WEB, now=NOW)
    payment = result.payment
    assert payment.amount_cents == 370
    # Staff record Monday's attendance while PayFiP is paid; the payment arrives after.
    mark(world, world.child, Mark.ABSENT)
    apply_detail(payment, detail(payment), now=MONDAY_AFTERNOON + MINUTE)

    payment.refresh_from_db()
    booking.refresh_from_db()
    assert payment.state == PaymentState.PAID
    assert booking.status == BookingStatus.RESERVED
    assert last_history(world.child, monday).detail == DETAIL_CANCELLATION_NOT_APPLIED
    # Without the cancellation's credit the money covers one day: Thursday (date order);
    # Friday is released (not confirmed: funds).
    statuses = dict(
        world.child.bookings.filter(session__date__in=[THURSDAY, FRIDAY]).values_list(
            "session__date", "status"
        )
    )
    assert statuses == {THURSDAY: BookingStatus.RESERVED, FRIDAY: BookingStatus.RELEASED}
    assert credits.balance_cents(world.household) == 0
    assert_money_kept(world.household, before_cents=370)
