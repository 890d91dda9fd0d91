"""Withdrawals and cancellations: a request withdrawn frees its place, a paid day's
cancellation waits in the basket, dropping the basket undoes both."""

import datetime

import pytest

from portail.reservations.holds import drop_basket, open_basket
from portail.reservations.models import (
    Basket,
    BasketStatus,
    Booking,
    BookingStatus,
    Channel,
    HistoryAction,
    HistoryDetail,
    HistoryEntry,
    LineKind,
)
from portail.reservations.occupancy import taken_places
from tests.factories import paid_booking
from tests.world.booking import submit
from tests.world.commune import build
from tests.world.days import FRIDAY, MONDAY, NOW

pytestmark = pytest.mark.django_db


def test_cancel_of_a_requested_booking_withdraws_it_and_frees_the_place():
    world = build(children=2)
    emy, lise = world.children
    monday = world.sessions[MONDAY]
    submit(world, add=[(emy, monday), (lise, monday)])
    basket = submit(world, cancel=[(emy, monday)], now=NOW + datetime.timedelta(minutes=5))
    assert [line.child_id for line in basket.lines.all()] == [lise.pk]
    assert Booking.objects.get(child=emy).status == BookingStatus.RELEASED
    assert taken_places([monday.pk], now=NOW) == {monday.pk: 1}
    # And it can be asked again.
    submit(world, add=[(emy, monday)])
    assert Booking.objects.filter(child=emy, status=BookingStatus.REQUESTED).count() == 1


def test_withdrawing_everything_abandons_the_basket():
    world = build()
    submit(world, add=[(world.child, world.sessions[MONDAY])])
    basket = submit(world, cancel=[(world.child, world.sessions[MONDAY])])
    assert basket.status == BasketStatus.ABANDONED
    assert open_basket(world.household, now=NOW) is None


def test_cancelling_a_paid_booking_adds_a_credit_line_until_validated():
    world = build()
    booking = paid_booking(world.child, world.sessions[MONDAY], price=555, late=True)
    basket = submit(world, cancel=[(world.child, world.sessions[MONDAY])])
    line = basket.lines.get()
    assert (line.kind, line.quantity, line.unit_price_cents, line.late) == (
        LineKind.CANCELLATION,
        -1,
        555,
        True,
    )
    assert line.booking == booking
    booking.refresh_from_db()
    assert booking.status == BookingStatus.RESERVED  # until the checkout validates it
    # Adding the day back withdraws the cancellation.
    basket = submit(world, add=[(world.child, world.sessions[MONDAY])])
    assert basket.status == BasketStatus.ABANDONED
    assert not basket.lines.exists()
    actions = list(HistoryEntry.objects.values_list("action", "detail", "price_cents"))
    assert actions == [
        (HistoryAction.REMOVE_RESERVATION, HistoryDetail.CANCELLATION_REQUESTED, 555),
        (HistoryAction.ADD_RESERVATION, HistoryDetail.CANCELLATION_WITHDRAWN, 555),
    ]


def test_drop_basket_releases_requests_and_withdraws_cancellations():
    world = build(children=2)
    emy, lise = world.children
    paid_booking(lise, world.sessions[FRIDAY])
    submit(world, add=[(emy, world.sessions[MONDAY])], cancel=[(lise, world.sessions[FRIDAY])])
    assert drop_basket(world.household, actor=world.user, channel=Channel.WEB, now=NOW) is True
    basket = Basket.objects.get(household=world.household, status=BasketStatus.ABANDONED)
    assert basket.lines.count() == 2  # kept as a record of what was dropped
    assert Booking.objects.get(child=emy).status == BookingStatus.RELEASED
    assert Booking.objects.get(child=lise).status == BookingStatus.RESERVED
    assert taken_places([world.sessions[MONDAY].pk], now=NOW) == {}
    rows = list(
        HistoryEntry.objects.filter(detail__in=["basket_dropped", "cancellation_withdrawn"])
        .order_by("child__first_name")
        .values_list("child", "action", "channel")
    )
    assert sorted(rows) == sorted(
        [
            (emy.pk, HistoryAction.REMOVE_RESERVATION, "web"),
            (lise.pk, HistoryAction.ADD_RESERVATION, "web"),
        ]
    )
    assert drop_basket(world.household, actor=world.user, channel=Channel.WEB, now=NOW) is False
