"""The planning's waiting-list form, without JavaScript: join a full block, see its rank,
leave; back on the planning's week each time."""

import pytest

from portail.reservations.waiting_models import WaitingListEntry, WaitingStatus
from tests.factories import paid_booking
from tests.world.commune import family, seed_family
from tests.world.staff import client_for

pytestmark = pytest.mark.django_db

URL = "/planning/liste-attente/"


def test_join_then_leave_from_the_planning(client):
    fam = seed_family(default_capacity=1)
    monday = fam.sessions[fam.days[0]]
    _household, _user, (other,) = family(fam.activity, names=["Autre"])
    paid_booking(other, monday)
    parent = client_for(fam.user, language="en")
    body = {"child": fam.emy.pk, "session": monday.pk, "action": "join", "week": fam.week}
    joined = parent.post(URL, body)
    assert joined.status_code == 302
    assert joined["Location"] == f"/planning/?week={fam.week}"
    entry = WaitingListEntry.objects.get(child=fam.emy, session=monday)
    page = parent.get(joined["Location"]).content.decode()
    assert "is on the waiting list" in page and "(rank 1)" in page

    left = parent.post(URL, {**body, "action": "leave"})
    assert left.status_code == 302
    entry.refresh_from_db()
    assert entry.status == WaitingStatus.WITHDRAWN


def test_a_day_with_a_place_free_is_not_joined(client):
    fam = seed_family(default_capacity=1)
    monday = fam.sessions[fam.days[0]]
    parent = client_for(fam.user, language="en")
    response = parent.post(URL, {"child": fam.emy.pk, "session": monday.pk, "action": "join"})
    assert response.status_code == 302
    assert "book it" in parent.get(response["Location"]).content.decode()
    assert not WaitingListEntry.objects.exists()


def test_a_full_block_offers_to_join_and_a_waiting_block_shows_its_rank(client):
    fam = seed_family(default_capacity=1)
    monday = fam.sessions[fam.days[0]]
    _household, _user, (other,) = family(fam.activity, names=["Autre"])
    paid_booking(other, monday)
    parent = client_for(fam.user, language="en")
    page = parent.get("/planning/", {"week": fam.week}).content.decode()
    join = f'name="waitlist" value="join:{fam.emy.pk}:{monday.pk}"'
    assert join in page and "Join the waiting list" in page
    # The page's own form, sent through the block's button (with every other field).
    response = parent.post(
        URL, {"week": fam.week, "waitlist": f"join:{fam.emy.pk}:{monday.pk}", "change": []}
    )
    assert response.status_code == 302
    page = parent.get(response["Location"]).content.decode()
    assert "Waiting list (rank 1)" in page
    assert f'value="leave:{fam.emy.pk}:{monday.pk}"' in page
    assert WaitingListEntry.objects.get(child=fam.emy).status == WaitingStatus.WAITING
