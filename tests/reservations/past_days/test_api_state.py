"""The API's planning gives a past cancelled day the state "cancelled", a value its
OpenAPI document lists."""

import pytest

from portail.reservations.models import Booking, BookingStatus
from tests.clock import paris
from tests.factories import paid_booking
from tests.world.commune import seed_family

pytestmark = pytest.mark.django_db


def test_the_api_planning_says_cancelled(client, time_machine):
    fam = seed_family(names=("Emy",))
    monday = fam.sessions[fam.days[0]]
    booking = paid_booking(fam.children[0], monday)
    Booking.objects.filter(pk=booking.pk).update(status=BookingStatus.CANCELLED)
    time_machine.move_to(paris(fam.days[0].year, fam.days[0].month, fam.days[0].day, 18, 0))
    client.force_login(fam.user)

    response = client.get("/api/v1/planning", {"week": fam.week})

    assert response.status_code == 200
    (cell,) = [c for c in response.json()["cells"] if c["session_id"] == monday.pk]
    assert cell["state"] == "cancelled"
    assert cell["editable"] is False
    assert cell["price_cents"] is None


def test_the_openapi_document_lists_cancelled(client):
    document = client.get("/api/v1/openapi.json").json()
    state = document["components"]["schemas"]["PlanningCell"]["properties"]["state"]
    assert "cancelled" in state["enum"]
    assert "cancelled" in state["description"]
