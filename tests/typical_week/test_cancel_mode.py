"""Cancelling a weekday: the cancellable paid days with their credit, the unpaid requests
withdrawn from the basket."""

import pytest

from portail.reservations.models import (
    Booking,
    BookingStatus,
    Channel,
    HistoryAction,
    HistoryDetail,
    HistoryEntry,
    LineKind,
)
from portail.reservations.typical_plan import ACTION_CANCEL, ACTION_WITHDRAW, CANCEL
from tests.clock import paris
from tests.factories import paid_booking
from tests.world.commune import build
from tests.world.days import YEAR, D, weekdays_between

from .calls import apply, skipped_codes

pytestmark = pytest.mark.django_db


def test_cancel_mode_cancels_only_the_cancellable_paid_days_with_their_credit():
    world = build(period=YEAR)
    days = weekdays_between(D(2026, 9, 7), D(2026, 9, 18), (0,))  # Mondays 7 and 14
    for day in days:
        paid_booking(world.child, world.session(day), price=370)
    late = paid_booking(world.child, world.session(D(2026, 9, 21)), price=555, late=True)
    # Thursday 10 September, 11:00: Monday 14's cancellation closed (J-2 working days 10:00).
    now = paris(2026, 9, 10, 11, 0)
    basket, plan = apply(
        world, mode=CANCEL, weekdays=(0,), start=D(2026, 9, 7), end=D(2026, 9, 28), now=now
    )
    assert skipped_codes(plan) == {
        D(2026, 9, 7): "deadline_passed",
        D(2026, 9, 14): "deadline_passed",
        D(2026, 9, 28): "not_reserved",
    }
    assert [(d.date, d.price_cents, d.action) for d in plan.days] == [
        (D(2026, 9, 21), 555, ACTION_CANCEL)
    ]
    assert plan.credit_cents == 555
    line = basket.lines.get()
    assert (line.kind, line.quantity, line.booking_id) == (LineKind.CANCELLATION, -1, late.pk)
    entry = HistoryEntry.objects.get(session__date=D(2026, 9, 21))
    assert (entry.action, entry.detail, entry.channel) == (
        HistoryAction.REMOVE_RESERVATION,
        HistoryDetail.CANCELLATION_REQUESTED,
        Channel.TYPICAL_WEEK,
    )


def test_cancel_mode_withdraws_unpaid_requests_from_the_basket():
    world = build(period=YEAR)
    basket, _plan = apply(world, start=D(2026, 9, 7), end=D(2026, 9, 18))
    basket, plan = apply(world, mode=CANCEL, weekdays=(1,), start=D(2026, 9, 7), end=D(2026, 9, 18))
    assert [(d.date, d.action) for d in plan.days] == [
        (D(2026, 9, 8), ACTION_WITHDRAW),
        (D(2026, 9, 15), ACTION_WITHDRAW),
    ]
    assert plan.credit_cents == 0
    assert plan.total_cents == 740
    assert basket.lines.count() == 6
    assert Booking.objects.filter(status=BookingStatus.RELEASED).count() == 2
