"""The back office's home says what needs the service today: children expected per site
(every role; an attendance agent, its sites only), and for gestionnaires the requests
waiting, the payments pending and the baskets lapsing or being paid."""

import datetime

from django.urls import reverse
from django.utils import timezone

from portail.reservations.models import Basket, BasketStatus
from tests.factories import paid_booking
from tests.world.staff import client_for
from tests.world.web import text_of


def page(user, language="en") -> str:
    response = client_for(user, language).get(reverse("backoffice:index"))
    assert response.status_code == 200
    return " ".join(text_of(response.content.decode()).split())


def test_today_per_site_with_diets(db, town):
    paid_booking(town.emy, town.today)
    paid_booking(town.lise, town.today)
    paid_booking(town.tom, town.today)
    text = page(town.gestionnaire)
    # Malves: three children booked at the canteen (two with a diet or PAI); Pennautier: none.
    assert "École Malves 3 2 2 0" in text
    assert "École Pennautier 0 0 1 0" in text


def test_the_gestionnaire_sees_what_waits_for_them(db, town):
    now = timezone.now()
    Basket.objects.create(
        household=town.martin,
        reference="PF2026000101",
        status=BasketStatus.OPEN,
        expires_at=now + datetime.timedelta(minutes=5),
    )
    Basket.objects.create(
        household=town.durand,
        reference="PF2026000102",
        status=BasketStatus.OPEN,
        expires_at=now + datetime.timedelta(minutes=25),
    )
    Basket.objects.create(
        household=town.durand, reference="PF2026000103", status=BasketStatus.AWAITING_PAYMENT
    )
    text = page(town.gestionnaire)
    assert "0 requests waiting for action" in text
    assert "0 PayFiP payments pending" in text
    assert "1 basket lapsing within 10 minutes" in text
    assert "1 basket being paid" in text
    french = page(town.gestionnaire, "fr")
    assert "1 panier expire dans les 10 minutes" in french


def test_an_agent_sees_its_sites_and_no_money(db, town):
    text = page(town.pointage)
    assert "École Malves" in text and "École Pennautier" not in text
    assert "PayFiP" not in text and "basket" not in text
    kitchen = page(town.cuisine)
    assert "École Pennautier" in kitchen and "PayFiP" not in kitchen


def test_a_fixed_number_of_queries(db, town, django_assert_max_num_queries):
    for child in (town.emy, town.lise, town.tom):
        paid_booking(child, town.today)
    client = client_for(town.gestionnaire, "en")
    with django_assert_max_num_queries(14):
        client.get(reverse("backoffice:index"))
