"""GET /api/v1/planning: the exact contract, the caller's children only."""

import datetime

import pytest
from django.utils import timezone

from portail.reservations.basket import submit_changes
from portail.reservations.judging import Change
from portail.reservations.models import Channel
from portail.reservations.states import CellState
from tests import factories
from tests.factories import paid_booking
from tests.world.commune import CANTEEN, seed_family
from tests.world.days import week_code

from .calls import CELL_KEYS, error_of, logged

pytestmark = pytest.mark.django_db


def test_planning_has_the_exact_shape(client):
    fam = seed_family()
    response = logged(client, fam).get("/api/v1/planning", {"week": fam.week})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"week", "start", "end", "cells"}
    assert body["week"] == fam.week
    assert body["start"] == fam.monday.isoformat()
    assert body["end"] == (fam.monday + datetime.timedelta(days=6)).isoformat()
    assert len(body["cells"]) == 8  # 4 days x 2 children
    first = body["cells"][0]
    assert set(first) == CELL_KEYS
    assert first == {
        "child_id": fam.emy.pk,
        "session_id": fam.sessions[fam.days[0]].pk,
        "activity_id": fam.activity.pk,
        "activity": CANTEEN,
        "date": fam.days[0].isoformat(),
        "start": "12:00",
        "end": "13:30",
        "state": "not_reserved",
        "price_cents": 370,
        "late": False,
        "billing_mode": "prepaid",
        "editable": True,
        "waiting_rank": None,
        "places_left": 50,
    }
    for cell in body["cells"]:
        assert set(cell) == CELL_KEYS
        assert cell["state"] in CellState.values


def test_planning_states_follow_the_bookings(client):
    fam = seed_family()
    monday, tuesday = (fam.sessions[day] for day in fam.days[:2])
    paid_booking(fam.emy, monday)
    submit_changes(
        fam.household,
        add=[Change(fam.emy.pk, tuesday.pk)],
        cancel=[],
        actor=fam.user,
        channel=Channel.WEB,
    )
    cells = logged(client, fam).get("/api/v1/planning", {"week": fam.week}).json()["cells"]
    states = {(c["child_id"], c["session_id"]): c["state"] for c in cells}
    assert states[(fam.emy.pk, monday.pk)] == "reserved"
    assert states[(fam.emy.pk, tuesday.pk)] == "requested"
    assert states[(fam.children[1].pk, monday.pk)] == "not_reserved"


def test_planning_without_week_is_the_current_week(client):
    fam = seed_family()
    body = logged(client, fam).get("/api/v1/planning").json()
    today = timezone.localdate()
    assert body["week"] == week_code(today)
    assert body["start"] <= today.isoformat() <= body["end"]
    assert body["cells"] == []  # the family's activities are three weeks ahead


@pytest.mark.parametrize(
    "week", ["", "2026-W60", "2026-W00", "2025-W53", "2026-49", "2026-w49", "semaine", "9999-W52"]
)
def test_planning_with_a_bad_week_is_invalid_field(client, week):
    fam = seed_family()
    response = logged(client, fam).get("/api/v1/planning", {"week": week})
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "invalid_field"
    assert error["field"] == "week"
    assert error["message"]


def test_planning_needs_a_guardian(client):
    assert client.get("/api/v1/planning").status_code == 401
    client.force_login(factories.staff())
    response = client.get("/api/v1/planning")
    assert response.status_code == 403
    assert error_of(response)["code"] == "permission_denied"


def test_planning_shows_only_the_callers_children(client):
    fam = seed_family()
    other = seed_family(names=("Zoé",), household_name="VOISINS", act=(fam.activity, fam.sessions))
    cells = logged(client, fam).get("/api/v1/planning", {"week": fam.week}).json()["cells"]
    assert {c["child_id"] for c in cells} == {kid.pk for kid in fam.children}
    assert other.emy.pk not in {c["child_id"] for c in cells}
