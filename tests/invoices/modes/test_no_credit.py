"""Money never paid is never credited: a day invoiced on booking that is cancelled in
time, closed by the service or missed with a medical certificate gives no credit (it is
not invoiced either). Prepaid days are credited as before."""

import datetime

import pytest

from portail.activities.models import BillingMode
from portail.backoffice.attendance.justified import justify_absence
from portail.backoffice.attendance.marks import MarksRefused, record_marks
from portail.backoffice.permissions import POINTAGE
from portail.backoffice.sessions import close_session
from portail.billing.models import CreditEntry, CreditKind
from portail.billing.quote import quote
from portail.reservations.models import Attendance, Booking, BookingStatus, HistoryEntry
from tests import factories
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

PAST_WEDNESDAY = datetime.date(2026, 10, 7)


def booked(world, activity, day) -> Booking:
    """A day booked as the checkout leaves it (invoiced when the activity is on booking)."""
    return factories.paid_booking(world.child, world.session(activity, day), price=price(activity))


def price(activity) -> int:
    return invoices.LEISURE_PRICE if activity.kind == "leisure" else invoices.CANTEEN_PRICE


def details() -> set[str]:
    return set(HistoryEntry.objects.values_list("detail", flat=True))


def test_cancelling_a_day_invoiced_on_booking_gives_no_credit():
    world = invoices.build()
    booking = booked(world, world.leisure, WEDNESDAY)
    assert booking.invoiced
    basket = submit(world, cancel=[(world.leisure, WEDNESDAY)])
    totals = quote(basket)
    assert totals.cancellations_total_cents == 0
    assert totals.amount_due_cents == 0

    assert validate(world).status == "validated"

    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert credit(world) == 0
    assert not CreditEntry.objects.exists()
    assert "cancelled_not_invoiced" in details()


def test_cancelling_a_prepaid_day_still_credits_its_price():
    world = invoices.build()
    booking = booked(world, world.canteen, THURSDAY)
    assert not booking.invoiced
    submit(world, cancel=[(world.canteen, THURSDAY)])

    validate(world)

    assert credit(world) == invoices.CANTEEN_PRICE
    assert CreditEntry.objects.get().kind == CreditKind.CANCELLATION


def test_the_booking_keeps_how_it_was_paid_when_the_activity_changes_mode():
    world = invoices.build()
    prepaid = booked(world, world.canteen, THURSDAY)
    invoiced = booked(world, world.leisure, WEDNESDAY)
    world.canteen.billing_mode = BillingMode.ON_BOOKING
    world.canteen.save()
    world.leisure.billing_mode = BillingMode.PREPAID
    world.leisure.save()
    submit(world, cancel=[(world.canteen, THURSDAY), (world.leisure, WEDNESDAY)])

    validate(world)

    prepaid.refresh_from_db()
    invoiced.refresh_from_db()
    assert prepaid.status == invoiced.status == BookingStatus.CANCELLED
    # The canteen day was paid: credited; the leisure day was not: nothing.
    assert credit(world) == invoices.CANTEEN_PRICE


def test_a_day_closed_by_the_service_credits_only_prepaid_bookings():
    world = invoices.build()
    invoiced = booked(world, world.leisure, WEDNESDAY)
    prepaid = booked(world, world.canteen, THURSDAY)
    manager = staff()

    closure = close_session(world.session(world.leisure, WEDNESDAY), "Grève", actor=manager)

    invoiced.refresh_from_db()
    assert invoiced.status == BookingStatus.CANCELLED
    assert closure.cancelled == 1
    assert closure.credited_cents == 0
    assert credit(world) == 0
    assert "closed_not_invoiced" in details()

    close_session(world.session(world.canteen, THURSDAY), "Grève", actor=manager)

    prepaid.refresh_from_db()
    assert prepaid.status == BookingStatus.CANCELLED
    assert credit(world) == invoices.CANTEEN_PRICE
    assert CreditEntry.objects.get().kind == CreditKind.CLOSURE


def test_a_justified_absence_on_a_day_invoiced_on_booking_credits_nothing():
    world = invoices.build()
    booked(world, world.leisure, PAST_WEDNESDAY)
    session = world.session(world.leisure, PAST_WEDNESDAY)

    (result,) = record_marks(session, [(world.child.pk, "absent_justified")], actor=staff())

    assert result.changed
    assert result.credit_cents == 0
    assert not result.awaiting_decision
    assert Attendance.objects.get(child=world.child).justified  # so: not invoiced
    assert credit(world) == 0
    assert "justified_not_invoiced" in details()


def test_a_justified_absence_on_a_prepaid_day_still_credits_its_price():
    world = invoices.build()
    booked(world, world.canteen, invoices.THU)
    session = world.session(world.canteen, invoices.THU)

    (result,) = record_marks(session, [(world.child.pk, "absent_justified")], actor=staff())

    assert result.credit_cents == invoices.CANTEEN_PRICE
    assert credit(world) == invoices.CANTEEN_PRICE


def test_an_agent_certificate_on_a_day_invoiced_on_booking_awaits_no_decision():
    world = invoices.build()
    booked(world, world.leisure, PAST_WEDNESDAY)
    session = world.session(world.leisure, PAST_WEDNESDAY)
    agent = staff(POINTAGE, [world.leisure.site])

    (result,) = record_marks(session, [(world.child.pk, "absent_justified")], actor=agent)

    assert not result.awaiting_decision
    assert result.credit_cents == 0
    assert credit(world) == 0


def test_a_manager_justifies_an_absence_invoiced_on_booking_without_credit_once():
    world = invoices.build()
    booked(world, world.leisure, PAST_WEDNESDAY)
    session = world.session(world.leisure, PAST_WEDNESDAY)
    manager = staff()
    record_marks(session, [(world.child.pk, "absent")], actor=manager)

    result = justify_absence(session, world.child.pk, actor=manager)

    assert result.credit_cents == 0
    assert Attendance.objects.get(child=world.child).justified
    assert credit(world) == 0
    with pytest.raises(MarksRefused) as refused:
        justify_absence(session, world.child.pk, actor=manager)
    assert str(refused.value.errors[world.child.pk]) == fr(
        "This absence is already justified: the day is not invoiced."
    )
