"""Days of an activity invoiced on booking go through the basket like any other, but the
basket asks no money for them: only prepaid days are paid now."""

import datetime

import pytest
from django.core import mail

from portail.activities.models import LatePolicy
from portail.billing.counter import record_counter_payment
from portail.billing.credits import adjust
from portail.billing.models import CounterMeans, CreditEntry, Payment
from portail.billing.quote import quote
from portail.reservations.models import BasketStatus, Booking, BookingStatus, HistoryEntry
from tests.invoices.modes.booking_flow import (
    THURSDAY,
    WEDNESDAY,
    credit,
    staff,
    submit,
    validate,
)
from tests.world import invoices
from tests.world.web import fr

pytestmark = pytest.mark.django_db


def test_a_basket_of_days_invoiced_on_booking_validates_with_nothing_to_pay():
    world = invoices.build()
    basket = submit(world, add=[(world.leisure, WEDNESDAY)])
    totals = quote(basket)
    assert totals.amount_due_cents == 0
    assert totals.reservations_total_cents == 0
    assert totals.invoiced_total_cents == invoices.LEISURE_PRICE
    assert totals.validates_without_payment

    result = validate(world)

    assert result.status == "validated"
    booking = Booking.objects.get(child=world.child)
    assert booking.status == BookingStatus.RESERVED
    assert booking.invoiced
    assert booking.price_cents == invoices.LEISURE_PRICE  # kept for the invoice
    assert not Payment.objects.exists()
    assert not CreditEntry.objects.exists()
    assert credit(world) == 0
    details = set(HistoryEntry.objects.values_list("detail", flat=True))
    assert "booked_invoiced" in details


def test_a_mixed_basket_pays_only_the_prepaid_days():
    world = invoices.build()
    basket = submit(world, add=[(world.leisure, WEDNESDAY), (world.canteen, THURSDAY)])
    totals = quote(basket)
    assert totals.reservations_total_cents == invoices.CANTEEN_PRICE
    assert totals.invoiced_total_cents == invoices.LEISURE_PRICE
    assert totals.amount_due_cents == invoices.CANTEEN_PRICE

    result = record_counter_payment(
        basket,
        means=CounterMeans.CASH,
        actor=staff(),
        expected_due_cents=invoices.CANTEEN_PRICE,
    )

    assert result.payment.amount_cents == invoices.CANTEEN_PRICE
    basket.refresh_from_db()
    assert basket.status == BasketStatus.PAID
    bookings = {b.session.activity_id: b for b in Booking.objects.filter(child=world.child)}
    assert bookings[world.canteen.pk].status == BookingStatus.RESERVED
    assert not bookings[world.canteen.pk].invoiced
    assert bookings[world.leisure.pk].status == BookingStatus.RESERVED
    assert bookings[world.leisure.pk].invoiced
    # The money bought the canteen day exactly: nothing left over became credit.
    assert credit(world) == 0
    assert not CreditEntry.objects.exists()


def test_credit_pays_the_prepaid_days_only():
    world = invoices.build()
    adjust(world.household, 1000, reason="Geste commercial", actor=staff())
    basket = submit(world, add=[(world.leisure, WEDNESDAY), (world.canteen, THURSDAY)])

    totals = quote(basket)
    assert totals.credit_applied_cents == invoices.CANTEEN_PRICE
    assert totals.amount_due_cents == 0

    validate(world)

    assert credit(world) == 1000 - invoices.CANTEEN_PRICE
    assert set(Booking.objects.values_list("status", flat=True)) == {BookingStatus.RESERVED}


def test_a_late_day_keeps_its_late_price_for_the_invoice():
    world = invoices.build()
    # Tuesday 3 November 08:30: Wednesday 4 is past the booking deadline (two working
    # days before, 10:00); the activity accepts at the late price.
    world.leisure.late_policy = LatePolicy.SURCHARGE
    world.leisure.save()
    basket = submit(world, add=[(world.leisure, datetime.date(2026, 11, 4))])
    assert quote(basket).amount_due_cents == 0

    validate(world)

    booking = Booking.objects.get(child=world.child)
    assert booking.late
    assert booking.price_cents == invoices.LEISURE_PRICE + 200
    assert booking.invoiced


def test_the_ticket_of_a_basket_invoiced_later_does_not_say_the_credit_paid_it(
    django_capture_on_commit_callbacks,
):
    world = invoices.build()
    basket = submit(world, add=[(world.leisure, WEDNESDAY)])
    with django_capture_on_commit_callbacks(execute=True):
        validate(world)
    (message,) = mail.outbox
    sentence = "Your basket %(reference)s is validated: %(why)s The days below are booked."
    nothing_now = "there was nothing to pay now."
    credit_paid = "your credit covered it, there was nothing to pay."
    body = " ".join(message.body.split())
    assert (
        fr(
            sentence % {"reference": "%(reference)s", "why": nothing_now},
            reference=basket.reference,
        )
        in body
    )
    assert (
        fr(
            sentence % {"reference": "%(reference)s", "why": credit_paid},
            reference=basket.reference,
        )
        not in body
    )
