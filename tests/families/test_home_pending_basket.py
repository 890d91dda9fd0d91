"""A basket waiting for the family shows on the home page: its changes, its time left and a
link to it; a payment in progress says so; an expired or empty basket does not show."""

import datetime

import pytest
from django.utils import timezone

from portail.reservations.models import Basket, BasketStatus
from tests.world.commune import seed_days, seed_family
from tests.world.web import fr, text_of

pytestmark = pytest.mark.django_db


def submit(fam, add=(), cancel=()):
    from portail.reservations.basket import submit_changes
    from portail.reservations.judging import Change
    from portail.reservations.models import Channel

    return submit_changes(
        fam.household,
        add=[Change(kid.pk, s.pk) for kid, s in add],
        cancel=[Change(kid.pk, s.pk) for kid, s in cancel],
        actor=fam.user,
        channel=Channel.WEB,
    )


def home(client, fam) -> str:
    client.force_login(fam.user)
    return text_of(client.get("/").content.decode())


def test_an_open_basket_shows_its_changes_time_left_and_link(client):
    fam = seed_family()
    basket = submit(fam, add=seed_days(fam)[:3])
    page = home(client, fam)
    assert "Votre panier contient 3 changements pas encore transmis au paiement." in page
    time = timezone.localtime(basket.expires_at).strftime("%H:%M")
    assert f"Vos places sont réservées jusqu'à {time} (encore 30 minutes)." in page
    html = client.get("/").content.decode()
    assert 'href="/panier/"' in html and fr("See my basket") in page


def test_no_basket_nothing_shown(client):
    fam = seed_family()
    page = home(client, fam)
    assert fr("See my basket") not in page


def test_an_expired_basket_is_not_shown(client, time_machine):
    fam = seed_family()
    basket = submit(fam, add=seed_days(fam)[:1])
    time_machine.move_to(basket.expires_at + datetime.timedelta(minutes=1))
    assert fr("See my basket") not in home(client, fam)


def test_a_payment_in_progress_says_so(client):
    fam = seed_family()
    basket = submit(fam, add=seed_days(fam)[:1])
    Basket.objects.filter(pk=basket.pk).update(status=BasketStatus.AWAITING_PAYMENT)
    page = home(client, fam)
    assert fr("A payment of your basket is in progress.") in page
    assert fr("See my basket") in page


def test_in_english(client):
    fam = seed_family()
    fam.user.language = "en"
    fam.user.save()
    submit(fam, add=seed_days(fam)[:1])
    client.force_login(fam.user)
    client.cookies["portail_language"] = "en"
    page = text_of(client.get("/").content.decode())
    assert "Your basket holds 1 change not submitted for payment yet." in page


def test_a_basket_of_cancellations_only_says_what_validating_it_does(client):
    from tests.factories import paid_booking

    fam = seed_family()
    monday = fam.sessions[fam.days[0]]
    paid_booking(fam.emy, monday)
    submit(fam, cancel=[(fam.emy, monday)])
    page = home(client, fam)
    assert "Il ne fait qu'annuler des journées" in page
    assert "Vos places sont réservées" not in page
    basket = text_of(client.get("/panier/").content.decode())
    assert "Ce panier ne fait qu'annuler des journées" in basket
    assert "3,70" in basket and "avoir" in basket
    assert "les journées restent réservées" in basket
    assert "Vos places sont réservées" not in basket
