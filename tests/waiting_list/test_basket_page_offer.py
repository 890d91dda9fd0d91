"""An offered place shows on the family's basket page as such: "Place offered from the
waiting list, held until <its end>", beside the other lines."""

import pytest
from django.utils import timezone

from portail.backoffice.sessions import change_capacity
from portail.reservations.waiting_models import WaitingListEntry
from tests.waiting_list.lists import full_monday, join, waiting_family
from tests.world.booking import submit
from tests.world.days import MONDAY, NOW, TUESDAY
from tests.world.staff import client_for, gestionnaire
from tests.world.web import text_of

pytestmark = pytest.mark.django_db


def test_the_basket_page_says_which_place_is_offered_and_until_when():
    world = full_monday()
    fam = waiting_family(world)
    join(world, fam)
    change_capacity(world.sessions[MONDAY], 2, actor=gestionnaire(), now=NOW)
    entry = WaitingListEntry.objects.get(child=fam[2], session=world.sessions[MONDAY])
    until = timezone.localtime(entry.offer_expires_at).strftime("%d/%m/%Y %H:%M")

    text = text_of(client_for(fam[1], "en").get("/panier/").content.decode())
    assert f"Place offered from the waiting list, held until {until}" in text


def test_an_ordinary_request_is_not_called_an_offer():
    world = full_monday(capacity=2)
    submit(world, add=[(world.children[0], world.sessions[TUESDAY])], now=NOW)
    text = text_of(client_for(world.user, "en").get("/panier/").content.decode())
    assert "Total amount of the reservation" in text  # the basket and its line are shown
    assert "Place offered" not in text
