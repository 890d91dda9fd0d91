"""The family answers the offer: paying (or validating) the basket takes it; leaving the
list or removing the line declines it, and the place goes to the next family. An offer
outlives its basket's short hold: it moves to a new basket held until the offer's end."""

import datetime

import pytest

from portail.backoffice.sessions import change_capacity, close_session
from portail.billing import credits
from portail.billing.checkout import checkout
from portail.billing.models import CreditKind
from portail.reservations import waiting
from portail.reservations.holds import expire_baskets
from portail.reservations.models import Basket, BasketStatus, BookingStatus, Channel
from portail.reservations.waiting_models import WaitingListEntry, WaitingStatus
from tests.waiting_list.lists import full_monday, join, waiting_family
from tests.world.booking import submit
from tests.world.commune import World
from tests.world.days import MONDAY, NOW, TUESDAY
from tests.world.staff import gestionnaire

pytestmark = pytest.mark.django_db


def _offered(families_count: int = 2):
    world = full_monday()
    families = [waiting_family(world, f"F{n}") for n in range(families_count)]
    for fam in families:
        join(world, fam)
    change_capacity(world.sessions[MONDAY], 2, actor=gestionnaire(), now=NOW)
    return world, families


def _status(fam, world):
    return WaitingListEntry.objects.get(child=fam[2], session=world.sessions[MONDAY]).status


def test_paying_the_basket_takes_the_place():
    world, (fam, _next) = _offered()
    household, user, _child = fam
    credits.add_credit(household, 370, kind=CreditKind.ADJUSTMENT, reason="test")
    result = checkout(household, actor=user, channel=Channel.WEB, now=NOW)
    assert result is not None
    entry = WaitingListEntry.objects.get(child=fam[2])
    assert entry.status == WaitingStatus.ACCEPTED
    entry.booking.refresh_from_db()
    assert entry.booking.status == BookingStatus.RESERVED
    assert _status(_next, world) == WaitingStatus.WAITING


def test_leaving_the_list_declines_and_passes_the_place_on():
    world, (fam, nxt) = _offered()
    entry = WaitingListEntry.objects.get(child=fam[2])
    waiting.leave(fam[0], entry.pk, actor=fam[1], channel=Channel.API, now=NOW)
    assert _status(fam, world) == WaitingStatus.DECLINED
    entry.booking.refresh_from_db()
    assert entry.booking.status == BookingStatus.RELEASED
    assert not Basket.objects.filter(household=fam[0], status=BasketStatus.OPEN).exists()
    assert _status(nxt, world) == WaitingStatus.OFFERED


def test_removing_the_line_declines_and_passes_the_place_on():
    world, (fam, nxt) = _offered()
    household, user, child = fam
    offered = World(world.activity, household, user, [child], world.sessions)
    submit(offered, cancel=[(child, world.sessions[MONDAY])])
    assert _status(fam, world) == WaitingStatus.DECLINED
    assert _status(nxt, world) == WaitingStatus.OFFERED


def test_an_offer_outlives_its_baskets_short_hold():
    world, (fam, _nxt) = _offered()
    household, user, child = fam
    offered = World(world.activity, household, user, [child], world.sessions)
    # Another day in the same basket: the basket's hold restarts (30 minutes).
    basket = submit(offered, add=[(child, world.sessions[TUESDAY])])
    entry = WaitingListEntry.objects.get(child=child)
    assert basket.expires_at == NOW + datetime.timedelta(minutes=30)
    later = NOW + datetime.timedelta(hours=2)
    assert expire_baskets(now=later) == 1
    entry.refresh_from_db()
    assert entry.status == WaitingStatus.OFFERED
    carried = Basket.objects.get(household=household, status=BasketStatus.OPEN)
    assert carried.pk != basket.pk
    assert carried.expires_at == entry.offer_expires_at
    assert [line.booking_id for line in carried.lines.all()] == [entry.booking_id]
    entry.booking.refresh_from_db()
    assert entry.booking.status == BookingStatus.REQUESTED


def test_an_offer_withdrawn_by_a_closure_keeps_the_familys_place(
    django_capture_on_commit_callbacks,
):
    world, (fam, nxt) = _offered()
    with django_capture_on_commit_callbacks(execute=True):
        close_session(world.sessions[MONDAY], "Grève", actor=gestionnaire(), now=NOW)
    entry = WaitingListEntry.objects.get(child=fam[2])
    assert entry.status == WaitingStatus.WAITING
    assert waiting.rank_of(entry) == 1
    assert _status(nxt, world) == WaitingStatus.WAITING
