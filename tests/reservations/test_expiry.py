"""Holds end on time without any job; `portail expire_baskets` then marks them."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from portail.reservations.basket import submit_changes
from portail.reservations.holds import expire_baskets, open_basket
from portail.reservations.judging import Change
from portail.reservations.models import (
    Basket,
    BasketStatus,
    Booking,
    BookingStatus,
    Channel,
    HistoryAction,
    HistoryDetail,
    HistoryEntry,
)
from portail.reservations.occupancy import taken_places
from tests import factories
from tests.factories import paid_booking
from tests.world.commune import build, family
from tests.world.days import MONDAY, NOW, TUESDAY

pytestmark = pytest.mark.django_db
HOLD = datetime.timedelta(minutes=30)


def test_an_expired_hold_frees_the_place_for_another_household_without_any_job():
    world = build(capacity=1)
    monday = world.sessions[MONDAY]
    submit_changes(
        world.household,
        add=[Change(world.child.pk, monday.pk)],
        cancel=[],
        actor=world.user,
        channel=Channel.WEB,
        now=NOW,
    )
    other_household, other_user, (other,) = family(world.activity)
    assert taken_places([monday.pk], now=NOW + HOLD - datetime.timedelta(seconds=1)) == {
        monday.pk: 1
    }
    assert taken_places([monday.pk], now=NOW + HOLD) == {}
    basket = submit_changes(
        other_household,
        add=[Change(other.pk, monday.pk)],
        cancel=[],
        actor=other_user,
        channel=Channel.WEB,
        now=NOW + HOLD,
    )
    assert basket.lines.get().child == other
    # The first basket is still "open" in the table: nothing ran.
    assert Basket.objects.get(household=world.household).status == BasketStatus.OPEN


def test_the_command_marks_expired_baskets_and_writes_history():
    world = build(children=2)
    emy, lise = world.children
    paid_booking(lise, world.sessions[TUESDAY])
    submit_changes(
        world.household,
        add=[Change(emy.pk, world.sessions[MONDAY].pk)],
        cancel=[Change(lise.pk, world.sessions[TUESDAY].pk)],
        actor=world.user,
        channel=Channel.WEB,
        now=NOW,
    )
    assert expire_baskets(now=NOW + HOLD - datetime.timedelta(seconds=1)) == 0
    assert expire_baskets(now=NOW + HOLD + datetime.timedelta(minutes=5)) == 1
    basket = Basket.objects.get(household=world.household, bookings__child=emy)
    assert basket.status == BasketStatus.EXPIRED
    assert Booking.objects.get(child=emy).status == BookingStatus.RELEASED
    assert Booking.objects.get(child=lise).status == BookingStatus.RESERVED
    rows = {
        r.child_id: r
        for r in HistoryEntry.objects.filter(
            detail__in=[HistoryDetail.BASKET_EXPIRED, HistoryDetail.CANCELLATION_WITHDRAWN]
        )
    }
    assert rows[emy.pk].action == HistoryAction.REMOVE_RESERVATION
    assert rows[emy.pk].detail == HistoryDetail.BASKET_EXPIRED
    assert rows[lise.pk].action == HistoryAction.ADD_RESERVATION
    assert {(r.channel, r.actor_id, r.actor_kind) for r in rows.values()} == {
        ("system", None, "system")
    }
    # When the hold ended, not when the job ran.
    assert rows[emy.pk].created_at == NOW + HOLD
    assert expire_baskets(now=NOW + datetime.timedelta(days=1)) == 0


def test_the_command_marks_baskets_whose_hold_ended_by_the_real_clock():
    world = build()
    # A day a month from today (the suite's clock, tests/clock.py).
    session = factories.session(world.activity, timezone.localdate() + datetime.timedelta(days=30))
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    for submitted in [an_hour_ago, timezone.now()]:
        household, user, (child,) = family(world.activity)
        submit_changes(
            household,
            add=[Change(child.pk, session.pk)],
            cancel=[],
            actor=user,
            channel=Channel.WEB,
            now=submitted,
        )
    out = io.StringIO()
    call_command("expire_baskets", stdout=out)
    assert out.getvalue().strip() == "1 basket(s) expired."
    assert sorted(Basket.objects.values_list("status", flat=True)) == ["expired", "open"]


def test_open_basket_expires_lazily():
    world = build()
    submit_changes(
        world.household,
        add=[Change(world.child.pk, world.sessions[MONDAY].pk)],
        cancel=[],
        actor=world.user,
        channel=Channel.WEB,
        now=NOW,
    )
    assert open_basket(world.household, now=NOW + HOLD) is None
    assert Basket.objects.get().status == BasketStatus.EXPIRED


def test_a_new_submission_after_expiry_opens_a_new_basket_and_can_ask_the_same_day():
    world = build()
    monday = world.sessions[MONDAY]
    first = submit_changes(
        world.household,
        add=[Change(world.child.pk, monday.pk)],
        cancel=[],
        actor=world.user,
        channel=Channel.WEB,
        now=NOW,
    )
    second = submit_changes(
        world.household,
        add=[Change(world.child.pk, monday.pk)],
        cancel=[],
        actor=world.user,
        channel=Channel.WEB,
        now=NOW + HOLD,
    )
    assert second.pk != first.pk
    first.refresh_from_db()
    assert first.status == BasketStatus.EXPIRED
    assert second.reference != first.reference
    assert list(
        Booking.objects.filter(child=world.child).order_by("pk").values_list("status", flat=True)
    ) == [BookingStatus.RELEASED, BookingStatus.REQUESTED]


def test_awaiting_payment_keeps_holding_after_the_open_hold():
    world = build(capacity=1)
    monday = world.sessions[MONDAY]
    basket = submit_changes(
        world.household,
        add=[Change(world.child.pk, monday.pk)],
        cancel=[],
        actor=world.user,
        channel=Channel.WEB,
        now=NOW,
    )
    Basket.objects.filter(pk=basket.pk).update(status=BasketStatus.AWAITING_PAYMENT)
    assert taken_places([monday.pk], now=NOW + datetime.timedelta(hours=3)) == {monday.pk: 1}
    assert expire_baskets(now=NOW + datetime.timedelta(hours=3)) == 0
