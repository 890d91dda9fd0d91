"""GET and DELETE /api/v1/basket: the open basket, or 404; another household's is
invisible."""

import datetime

import pytest
from django.utils import timezone

from portail.reservations.models import Basket, BasketStatus, Booking, BookingStatus, HistoryEntry
from tests import factories
from tests.world.commune import seed_family

from .calls import error_of, item, logged, post_json, seed_request

pytestmark = pytest.mark.django_db


def test_get_basket_404_then_the_open_basket(client):
    fam = seed_family()
    logged(client, fam)
    response = client.get("/api/v1/basket")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"
    created = post_json(client, "/api/v1/basket", seed_request(fam)).json()
    response = client.get("/api/v1/basket")
    assert response.status_code == 200
    assert response.json() == created


def test_expired_basket_is_404(client):
    fam = seed_family()
    post_json(logged(client, fam), "/api/v1/basket", seed_request(fam))
    Basket.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get("/api/v1/basket").status_code == 404


def test_delete_basket_releases_the_places_then_404(client):
    fam = seed_family(default_capacity=2)
    post_json(logged(client, fam), "/api/v1/basket", seed_request(fam))
    response = client.delete("/api/v1/basket")
    assert response.status_code == 204
    assert response.content == b""
    assert set(Booking.objects.values_list("status", flat=True)) == {BookingStatus.RELEASED}
    removed = HistoryEntry.objects.filter(action="remove_reservation")
    assert set(removed.values_list("channel", flat=True)) == {"api"}
    assert client.delete("/api/v1/basket").status_code == 404
    assert client.get("/api/v1/basket").status_code == 404
    # Both places of Thursday are free for another family.
    other = seed_family(names=("A", "B"), household_name="AUTRE", act=(fam.activity, fam.sessions))
    thursday = fam.sessions[fam.days[2]]
    response = post_json(
        logged(client, other),
        "/api/v1/basket",
        {"add": [item(kid, thursday) for kid in other.children]},
    )
    assert response.status_code == 201


def test_one_households_basket_is_invisible_to_another(client):
    fam = seed_family()
    post_json(logged(client, fam), "/api/v1/basket", seed_request(fam))
    other = seed_family(names=("Zoé",), household_name="VOISINS")
    logged(client, other)
    assert client.get("/api/v1/basket").status_code == 404
    assert client.delete("/api/v1/basket").status_code == 404
    assert Basket.objects.filter(household=fam.household, status=BasketStatus.OPEN).exists()


def test_basket_needs_a_guardian(client):
    assert client.get("/api/v1/basket").status_code == 401
    assert client.delete("/api/v1/basket").status_code == 401
    client.force_login(factories.staff())
    assert client.get("/api/v1/basket").status_code == 403


def test_wrong_method_on_basket_is_405(client):
    fam = seed_family()
    response = logged(client, fam).put("/api/v1/basket")
    assert response.status_code == 405
    assert response["Allow"] == "DELETE, GET, POST"
