"""Deadlines and prices: the late policy, the quotient familial's band, the day started,
staff bypassing deadlines at the normal price."""

import pytest

from portail.activities.models import LatePolicy
from portail.reservations.models import Channel, HistoryEntry, LineKind
from tests import factories
from tests.clock import paris
from tests.factories import paid_booking
from tests.world.booking import submit
from tests.world.commune import build
from tests.world.days import MONDAY, TUESDAY

from .calls import refusals

pytestmark = pytest.mark.django_db


def test_booking_deadline_refuse_policy():
    world = build(late_policy=LatePolicy.REFUSE)
    late = paris(2026, 12, 3, 10, 0)
    assert refusals(world, add=[(world.child, world.sessions[MONDAY])], now=late) == [
        (world.child.pk, world.sessions[MONDAY].pk, "deadline_passed")
    ]
    # Tuesday's deadline (Friday 4 December 10:00) has not passed yet.
    basket = submit(world, add=[(world.child, world.sessions[TUESDAY])], now=late)
    assert basket.lines.get().late is False


def test_booking_after_the_deadline_at_the_late_price():
    world = build(late_policy=LatePolicy.SURCHARGE)
    basket = submit(world, add=[(world.child, world.sessions[MONDAY])], now=paris(2026, 12, 3, 10))
    line = basket.lines.get()
    assert (line.unit_price_cents, line.late) == (555, True)
    assert (line.booking.price_cents, line.booking.late) == (555, True)
    assert HistoryEntry.objects.get().price_cents == 555


def test_quotient_familial_band_price():
    world = build()
    world.activity.tariffs.clear()
    factories.tariff([world.activity], [(0, 599, 100, 150), (600, None, 370, 555)])
    factories.quotient_period(world.household, 450)
    basket = submit(world, add=[(world.child, world.sessions[MONDAY])])
    assert basket.lines.get().unit_price_cents == 100


def test_no_booking_once_the_day_started_even_with_surcharge():
    world = build()
    assert refusals(
        world, add=[(world.child, world.sessions[MONDAY])], now=paris(2026, 12, 7, 12, 0)
    ) == [(world.child.pk, world.sessions[MONDAY].pk, "deadline_passed")]


def test_staff_may_bypass_deadlines_at_the_normal_price():
    world = build(late_policy=LatePolicy.REFUSE)
    agent = factories.staff()
    basket = submit(
        world,
        add=[(world.child, world.sessions[MONDAY])],
        now=paris(2026, 12, 7, 14, 0),
        actor=agent,
        channel=Channel.BACKOFFICE,
        bypass_deadlines=True,
    )
    line = basket.lines.get()
    assert (line.unit_price_cents, line.late) == (370, False)
    entry = HistoryEntry.objects.get()
    assert (entry.actor, entry.channel, entry.actor_kind) == (agent, "backoffice", "staff")


def test_cancellation_deadline():
    world = build()
    paid_booking(world.child, world.sessions[MONDAY])
    assert refusals(
        world, cancel=[(world.child, world.sessions[MONDAY])], now=paris(2026, 12, 3, 10, 0)
    ) == [(world.child.pk, world.sessions[MONDAY].pk, "deadline_passed")]
    basket = submit(
        world, cancel=[(world.child, world.sessions[MONDAY])], now=paris(2026, 12, 3, 9, 59)
    )
    assert basket.lines.get().kind == LineKind.CANCELLATION


def test_staff_may_cancel_after_the_deadline():
    world = build()
    paid_booking(world.child, world.sessions[MONDAY])
    basket = submit(
        world,
        cancel=[(world.child, world.sessions[MONDAY])],
        now=paris(2026, 12, 7, 11, 0),
        actor=factories.staff(),
        channel=Channel.BACKOFFICE,
        bypass_deadlines=True,
    )
    assert basket.lines.get().quantity == -1
