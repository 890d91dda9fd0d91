"""The API says the gate as the pages do: POST /api/v1/basket answers 422
`invalid_changes` with the item's code `family_file_required`, the typical week skips the
day with that code and its reason, the planning shows the day locked; the OpenAPI
document lists the code with the others."""

import pytest
from django.test import Client

from portail.reservations.models import Basket, Booking
from tests.api.reservations.calls import error_of, item, logged, post_json

from .city import FAMILY_FILE_REASON, JUNE, SEPTEMBER, file_accepted, gated_city

pytestmark = pytest.mark.django_db


def test_a_basket_in_a_gated_year_is_422_with_the_code_and_changes_nothing(client):
    world = gated_city()
    wanted = {
        "add": [item(world.emy, world.sessions[JUNE]), item(world.emy, world.sessions[SEPTEMBER])]
    }
    response = post_json(logged(client, world), "/api/v1/basket", wanted)
    assert response.status_code == 422, response.content
    error = error_of(response)
    assert error["code"] == "invalid_changes"
    assert error["items"] == [
        {
            "child_id": world.emy.pk,
            "session_id": world.sessions[SEPTEMBER].pk,
            "code": "family_file_required",
        }
    ]
    assert not Basket.objects.exists() and not Booking.objects.exists()


def test_the_same_basket_once_the_file_is_accepted_is_201(client):
    world = gated_city()
    file_accepted(world, 2027)
    wanted = {"add": [item(world.emy, world.sessions[SEPTEMBER])]}
    response = post_json(logged(client, world), "/api/v1/basket", wanted)
    assert response.status_code == 201, response.content


def test_the_typical_week_skips_the_gated_days_with_the_code(client):
    world = gated_city()
    response = post_json(
        logged(client, world),
        "/api/v1/basket/typical-week",
        {
            "child_id": world.emy.pk,
            "activity_id": world.activity.pk,
            "weekdays": [0],
            "from": JUNE.isoformat(),
            "to": SEPTEMBER.isoformat(),
            "dry_run": True,
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200, response.content
    plan = response.json()
    assert JUNE.isoformat() in [d["date"] for d in plan["days"]]
    (gated,) = [s for s in plan["skipped"] if s["code"] == "family_file_required"]
    assert gated["date"] == SEPTEMBER.isoformat()
    assert gated["reason"] == FAMILY_FILE_REASON % {"school_year": "2027-2028"}


def test_the_planning_shows_the_gated_day_locked(client):
    world = gated_city()
    response = logged(client, world).get("/api/v1/planning", {"week": "2027-W36"})
    assert response.status_code == 200
    (cell,) = [
        c
        for c in response.json()["cells"]
        if c["child_id"] == world.emy.pk and c["date"] == SEPTEMBER.isoformat()
    ]
    assert (cell["state"], cell["editable"]) == ("locked", False)


def test_openapi_lists_the_code_with_the_others():
    document = Client().get("/api/v1/openapi.json").json()
    basket_422 = document["paths"]["/basket"]["post"]["responses"]["422"]["description"]
    assert "no_price" in basket_422 and "family_file_required" in basket_422
    skipped = document["components"]["schemas"]["TypicalWeekSkippedDay"]["properties"]["code"]
    assert "family_file_required" in skipped["enum"]
    assert "family_file_required" in skipped["description"]
