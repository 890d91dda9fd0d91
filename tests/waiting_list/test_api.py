"""The API's contract: POST /waiting-list (201 {id, rank}; 409 not_full), DELETE
/waiting-list/{id}; planning cells' waiting_list state, waiting_rank and places_left; an
offered place in the basket as a line with offer true and its own expires_at."""

import datetime

import pytest
from django.utils import timezone

from portail.backoffice.sessions import change_capacity
from portail.reservations.waiting_models import WaitingListEntry, WaitingStatus
from tests.api.reservations.calls import error_of, logged, post_json
from tests.factories import paid_booking
from tests.world.commune import family, seed_family
from tests.world.staff import gestionnaire

pytestmark = pytest.mark.django_db


def _full_monday():
    """The seed family's canteen with one place; another family paid Monday's."""
    fam = seed_family(default_capacity=1)
    _household, _user, (other,) = family(fam.activity, names=["Autre"])
    monday = fam.sessions[fam.days[0]]
    paid_booking(other, monday)
    return fam, monday


def _cell(client, fam, session, child):
    cells = client.get("/api/v1/planning", {"week": fam.week}).json()["cells"]
    return next(c for c in cells if c["session_id"] == session.pk and c["child_id"] == child.pk)


def test_join_answers_the_rank_and_the_planning_shows_it(client):
    fam, monday = _full_monday()
    api = logged(client, fam)
    assert _cell(api, fam, monday, fam.emy)["state"] == "full"
    assert _cell(api, fam, monday, fam.emy)["places_left"] == 0
    emy = post_json(api, "/api/v1/waiting-list", {"child_id": fam.emy.pk, "session_id": monday.pk})
    lise = post_json(
        api, "/api/v1/waiting-list", {"child_id": fam.children[1].pk, "session_id": monday.pk}
    )
    assert (emy.status_code, lise.status_code) == (201, 201)
    assert emy.json() == {"id": WaitingListEntry.objects.get(child=fam.emy).pk, "rank": 1}
    assert lise.json()["rank"] == 2
    cell = _cell(api, fam, monday, fam.children[1])
    assert (cell["state"], cell["waiting_rank"], cell["places_left"]) == ("waiting_list", 2, 0)
    tuesday = _cell(api, fam, fam.sessions[fam.days[1]], fam.emy)
    assert (tuesday["waiting_rank"], tuesday["places_left"]) == (None, 1)


def test_a_day_with_a_place_free_answers_409_not_full(client):
    fam = seed_family(default_capacity=1)
    response = post_json(
        logged(client, fam),
        "/api/v1/waiting-list",
        {"child_id": fam.emy.pk, "session_id": fam.sessions[fam.days[0]].pk},
    )
    assert response.status_code == 409
    assert error_of(response)["code"] == "not_full"
    assert not WaitingListEntry.objects.exists()


def test_another_households_child_is_refused_and_nothing_joins(client):
    fam, monday = _full_monday()
    stranger = seed_family(household_name="AUTRE", act=(fam.activity, fam.sessions))
    response = post_json(
        logged(client, stranger),
        "/api/v1/waiting-list",
        {"child_id": fam.emy.pk, "session_id": monday.pk},
    )
    assert response.status_code == 422
    assert error_of(response)["items"][0]["code"] == "unknown"
    assert not WaitingListEntry.objects.exists()


def test_delete_leaves_the_list_and_an_offer_shows_in_the_basket(client):
    fam, monday = _full_monday()
    api = logged(client, fam)
    emy = post_json(api, "/api/v1/waiting-list", {"child_id": fam.emy.pk, "session_id": monday.pk})
    lise = post_json(
        api, "/api/v1/waiting-list", {"child_id": fam.children[1].pk, "session_id": monday.pk}
    )
    assert api.delete(f"/api/v1/waiting-list/{lise.json()['id']}").status_code == 204
    assert WaitingListEntry.objects.get(pk=lise.json()["id"]).status == WaitingStatus.WITHDRAWN
    assert api.delete(f"/api/v1/waiting-list/{lise.json()['id']}").status_code == 409
    assert api.delete("/api/v1/waiting-list/999999").status_code == 404

    change_capacity(monday, 2, actor=gestionnaire())
    entry = WaitingListEntry.objects.get(pk=emy.json()["id"])
    assert entry.status == WaitingStatus.OFFERED
    basket = api.get("/api/v1/basket").json()
    (line,) = basket["lines"]
    assert (line["kind"], line["offer"], line["session_id"]) == ("reservation", True, monday.pk)
    expires = datetime.datetime.fromisoformat(line["expires_at"])
    assert expires == timezone.localtime(entry.offer_expires_at).replace(microsecond=0)
    assert _cell(api, fam, monday, fam.emy)["state"] == "requested"

    assert api.delete(f"/api/v1/waiting-list/{emy.json()['id']}").status_code == 204  # declined
    assert WaitingListEntry.objects.get(pk=emy.json()["id"]).status == WaitingStatus.DECLINED
    assert api.get("/api/v1/basket").status_code == 404
