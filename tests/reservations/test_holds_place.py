""" "This booking holds a place" is one rule: the query (occupancy.holding(), and the count
of occupancy.taken_places()) and the check of one loaded booking (occupancy.holds_place(),
which rules.py uses) agree on every booking status x basket status x expiry."""

import datetime
import itertools

import pytest

from portail.reservations import rules
from portail.reservations.models import Basket, BasketStatus, Booking, BookingStatus
from portail.reservations.occupancy import holding, holds_place, taken_places
from tests import factories
from tests.world.days import MONDAY, NOW

pytestmark = pytest.mark.django_db

MINUTE = datetime.timedelta(minutes=1)
# No basket, or a basket in each status with its expiry unset, past, exactly now, to come.
EXPIRIES = [None, NOW - MINUTE, NOW, NOW + MINUTE]
BASKETS = [None] + list(itertools.product(BasketStatus.values, EXPIRIES))


def _every_combination() -> list[Booking]:
    activity = factories.activity(default_capacity=1000)
    session = factories.session(activity, MONDAY)
    bookings = []
    for n, (status, basket) in enumerate(itertools.product(BookingStatus.values, BASKETS)):
        household = factories.household()
        row = None
        if basket is not None:
            basket_status, expires_at = basket
            row = Basket.objects.create(
                household=household,
                reference=f"HOLD{n}",
                status=basket_status,
                expires_at=expires_at,
            )
        bookings.append(
            Booking.objects.create(
                child=factories.child(household),
                session=session,
                status=status,
                price_cents=370,
                basket=row,
            )
        )
    return bookings


def test_the_query_and_the_in_memory_check_agree_on_every_combination():
    bookings = _every_combination()
    assert len(bookings) == len(BookingStatus.values) * (1 + len(BasketStatus.values) * 4)
    session_id = bookings[0].session_id

    by_query = set(Booking.objects.filter(holding(NOW)).values_list("pk", flat=True))
    loaded = Booking.objects.select_related("basket").filter(pk__in=[b.pk for b in bookings])
    by_check = {b.pk for b in loaded if holds_place(b, NOW)}

    assert by_query == by_check
    assert taken_places([session_id], now=NOW) == {session_id: len(by_check)}
    # rules.py asks the same check (no copy of its own).
    assert rules.holds_place is holds_place
    # Not a vacuous agreement: some bookings hold a place and some do not.
    assert 0 < len(by_check) < len(bookings)


def test_which_bookings_hold_a_place():
    """The rule itself, on a few combinations (the statuses come from models.py)."""
    bookings = {
        (
            b.status,
            b.basket.status if b.basket else None,
            b.basket.expires_at if b.basket else None,
        ): b
        for b in Booking.objects.select_related("basket").filter(
            pk__in=[b.pk for b in _every_combination()]
        )
    }
    R, Q = BookingStatus.REQUESTED, BookingStatus.RESERVED
    assert holds_place(bookings[(Q, None, None)], NOW)  # reserved: outright
    assert holds_place(bookings[(Q, BasketStatus.EXPIRED, NOW - MINUTE)], NOW)
    assert holds_place(bookings[(R, None, None)], NOW)  # a request outside any basket
    assert holds_place(bookings[(R, BasketStatus.OPEN, NOW + MINUTE)], NOW)
    assert not holds_place(bookings[(R, BasketStatus.OPEN, NOW)], NOW)  # lapsed at expiry
    assert not holds_place(bookings[(R, BasketStatus.OPEN, None)], NOW)
    assert holds_place(bookings[(R, BasketStatus.AWAITING_PAYMENT, NOW - MINUTE)], NOW)
    assert not holds_place(bookings[(R, BasketStatus.EXPIRED, NOW + MINUTE)], NOW)
    assert not holds_place(bookings[(R, BasketStatus.ABANDONED, None)], NOW)
    for status in (BookingStatus.CANCELLED, BookingStatus.RELEASED):
        assert not holds_place(bookings[(status, BasketStatus.PAID, None)], NOW)
