"""submit_changes() opens one basket per household, adds to it and restarts its hold."""

import datetime
import re

import pytest
from django.db import IntegrityError, transaction

from portail.reservations.holds import open_basket
from portail.reservations.models import Basket, BasketStatus, Booking, BookingStatus, LineKind
from portail.reservations.occupancy import taken_places
from tests import factories
from tests.world.booking import submit
from tests.world.commune import build
from tests.world.days import MONDAY, NOW, TUESDAY

pytestmark = pytest.mark.django_db


def test_a_submission_opens_a_basket_holding_requested_bookings():
    world = build(children=2)
    emy, lise = world.children
    basket = submit(world, add=[(emy, world.sessions[MONDAY]), (lise, world.sessions[MONDAY])])
    assert basket.status == BasketStatus.OPEN
    assert re.fullmatch(r"PF2026\d{6}", basket.reference)
    assert basket.expires_at == NOW + datetime.timedelta(minutes=30)
    assert basket.submitted_at == NOW
    lines = list(basket.lines.all())
    assert [(line.kind, line.quantity, line.unit_price_cents) for line in lines] == [
        (LineKind.RESERVATION, 1, 370)
    ] * 2
    bookings = Booking.objects.filter(basket=basket)
    assert {b.status for b in bookings} == {BookingStatus.REQUESTED}
    assert taken_places([world.sessions[MONDAY].pk], now=NOW) == {world.sessions[MONDAY].pk: 2}


def test_new_submissions_add_to_the_open_basket_and_restart_its_hold():
    world = build()
    first = submit(world, add=[(world.child, world.sessions[MONDAY])])
    later = NOW + datetime.timedelta(minutes=20)
    second = submit(world, add=[(world.child, world.sessions[TUESDAY])], now=later)
    assert second.pk == first.pk
    assert second.lines.count() == 2
    assert second.expires_at == later + datetime.timedelta(minutes=30)
    assert Basket.objects.filter(household=world.household).count() == 1


def test_the_shortest_hold_among_the_basket_activities_wins(settings):
    settings.PORTAIL_BASKET_HOLD_MINUTES = 45
    world = build()
    basket = submit(world, add=[(world.child, world.sessions[MONDAY])])
    assert basket.expires_at == NOW + datetime.timedelta(minutes=45)
    quick = factories.activity(hold_minutes=10)
    factories.tariff([quick])
    factories.enrolment(world.child, quick)
    quick_day = factories.session(quick, MONDAY)
    basket = submit(world, add=[(world.child, quick_day)])
    assert basket.expires_at == NOW + datetime.timedelta(minutes=10)


def test_a_household_has_at_most_one_open_basket_in_the_database():
    world = build()
    submit(world, add=[(world.child, world.sessions[MONDAY])])
    with pytest.raises(IntegrityError), transaction.atomic():
        Basket.objects.create(household=world.household, reference="PF2026999999")
    Basket.objects.create(
        household=world.household, reference="PF2026999998", status=BasketStatus.EXPIRED
    )


def test_open_basket_returns_the_open_one():
    world = build()
    assert open_basket(world.household, now=NOW) is None
    basket = submit(world, add=[(world.child, world.sessions[MONDAY])])
    assert open_basket(world.household, now=NOW).pk == basket.pk


def test_nothing_to_submit_is_a_programming_error():
    world = build()
    with pytest.raises(ValueError):
        submit(world)
