"""Each way a place frees offers it to the first family waiting: a cancellation applied, a
request withdrawn, a basket dropped or lapsed, a capacity raised, a closed day reopened."""

import datetime

import pytest
from django.core import mail

from portail.activities import calendar
from portail.backoffice.sessions import change_capacity
from portail.billing.checkout import checkout
from portail.reservations.holds import drop_basket, expire_baskets
from portail.reservations.models import (
    Basket,
    BasketStatus,
    Booking,
    BookingStatus,
    Channel,
)
from portail.reservations.waiting_models import WaitingListEntry, WaitingStatus
from tests.waiting_list.lists import cancel_reserved, full_monday, join, waiting_family
from tests.world.booking import submit
from tests.world.commune import build
from tests.world.days import MONDAY, NOW
from tests.world.staff import gestionnaire

pytestmark = pytest.mark.django_db


def assert_offered(world, fam, now=NOW):
    household, _user, child = fam
    entry = WaitingListEntry.objects.get(child=child, session=world.sessions[MONDAY])
    assert entry.status == WaitingStatus.OFFERED
    assert entry.offer_expires_at == now + datetime.timedelta(hours=24)
    booking = entry.booking
    assert booking.status == BookingStatus.REQUESTED
    assert booking.basket.household == household
    assert booking.basket.status == BasketStatus.OPEN
    assert booking.basket.lines.get().booking == booking
    return entry


def test_a_cancellation_applied_offers_the_place_and_emails_the_family(
    django_capture_on_commit_callbacks,
):
    world = full_monday()
    fam = waiting_family(world)
    join(world, fam)
    cancel_reserved(world, world.child)
    assert WaitingListEntry.objects.get().status == WaitingStatus.WAITING  # not applied yet
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        checkout(world.household, actor=world.user, channel=Channel.WEB, now=NOW)
    assert_offered(world, fam)
    assert [m.to for m in mail.outbox if "place" in m.subject.lower()] == [[fam[1].email]]


def test_a_request_withdrawn_offers_the_place():
    world = build(capacity=1)
    submit(world, add=[(world.child, world.sessions[MONDAY])])
    fam = waiting_family(world)
    join(world, fam)
    submit(world, cancel=[(world.child, world.sessions[MONDAY])])
    assert_offered(world, fam)


def test_a_basket_dropped_offers_the_place():
    world = build(capacity=1)
    submit(world, add=[(world.child, world.sessions[MONDAY])])
    fam = waiting_family(world)
    join(world, fam)
    drop_basket(world.household, actor=world.user, channel=Channel.WEB, now=NOW)
    assert_offered(world, fam)


def test_a_basket_lapsed_offers_the_place():
    world = build(capacity=1)
    submit(world, add=[(world.child, world.sessions[MONDAY])])
    fam = waiting_family(world)
    join(world, fam)
    later = NOW + datetime.timedelta(hours=1)
    assert expire_baskets(now=later) == 1
    assert_offered(world, fam, now=later)


def test_a_capacity_raised_offers_the_place():
    world = full_monday()
    fam = waiting_family(world)
    join(world, fam)
    change_capacity(world.sessions[MONDAY], 2, actor=gestionnaire(), now=NOW)
    assert_offered(world, fam)


@pytest.mark.skipif(
    not hasattr(calendar, "sessions_reopened"), reason="engineer closures' signal not there yet"
)
def test_a_closed_day_reopened_offers_its_places(django_capture_on_commit_callbacks):
    world = full_monday()
    fam = waiting_family(world)
    join(world, fam)
    monday = world.sessions[MONDAY]
    with django_capture_on_commit_callbacks(execute=True):
        calendar.close_sessions([monday], "Grève")  # the closure cancels the bookings
    assert not Booking.objects.filter(session=monday, status=BookingStatus.RESERVED).exists()
    assert WaitingListEntry.objects.get().status == WaitingStatus.WAITING  # closed: no offer
    with django_capture_on_commit_callbacks(execute=True):
        calendar.reopen_sessions([monday])
    entry = WaitingListEntry.objects.get()
    assert entry.status == WaitingStatus.OFFERED
    assert Basket.objects.get(household=fam[0]).lines.get().booking == entry.booking
