"""An offer not taken in time leaves the basket and passes to the next family."""

import datetime

import pytest

from portail.backoffice.sessions import change_capacity
from portail.reservations.models import Booking, BookingStatus, HistoryDetail, HistoryEntry
from portail.reservations.waiting_lifecycle import expire_offers
from portail.reservations.waiting_models import WaitingListEntry, WaitingStatus
from tests.waiting_list.lists import full_monday, join, waiting_family
from tests.world.days import MONDAY, NOW
from tests.world.staff import gestionnaire

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(hours=24)


def _entry(child, world):
    return WaitingListEntry.objects.get(child=child, session=world.sessions[MONDAY])


def test_an_offer_unanswered_passes_to_the_next_family():
    world = full_monday()
    first, second = waiting_family(world, "Un"), waiting_family(world, "Deux")
    join(world, first)
    join(world, second)
    change_capacity(world.sessions[MONDAY], 2, actor=gestionnaire(), now=NOW)
    offered = _entry(first[2], world)
    assert offered.status == WaitingStatus.OFFERED
    assert expire_offers(now=NOW + DAY - datetime.timedelta(minutes=1)) == 0
    assert _entry(first[2], world).status == WaitingStatus.OFFERED

    assert expire_offers(now=NOW + DAY) == 1
    assert _entry(first[2], world).status == WaitingStatus.EXPIRED
    lapsed = Booking.objects.get(pk=offered.booking_id)
    assert lapsed.status == BookingStatus.RELEASED
    assert HistoryEntry.objects.filter(
        child=first[2], detail__in=[HistoryDetail.BASKET_EXPIRED, HistoryDetail.OFFER_EXPIRED]
    ).exists()
    nxt = _entry(second[2], world)
    assert nxt.status == WaitingStatus.OFFERED
    assert nxt.offer_expires_at == NOW + DAY + DAY


def test_an_offer_ends_before_the_days_booking_deadline():
    world = full_monday()
    fam = waiting_family(world)
    join(world, fam)
    # Monday's booking deadline: Thursday 3 December at 10:00 (J-2 working days).
    late = NOW + datetime.timedelta(days=1, hours=12)  # Wednesday 21:00
    change_capacity(world.sessions[MONDAY], 2, actor=gestionnaire(), now=late)
    entry = _entry(fam[2], world)
    assert entry.status == WaitingStatus.OFFERED
    assert entry.offer_expires_at < late + DAY
    assert entry.booking.basket.expires_at <= entry.offer_expires_at
