"""POST /api/v1/basket/typical-week: the contract, dry run and apply."""

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from portail.activities import calendar
from portail.reservations.models import (
    Basket,
    BasketLine,
    Booking,
    Channel,
    HistoryEntry,
    TypicalWeek,
)
from tests import factories
from tests.factories import paid_booking
from tests.world.commune import seed_family
from tests.world.days import CANTEEN_DAYS

pytestmark = pytest.mark.django_db

URL = "/api/v1/basket/typical-week"
PLAN_KEYS = {"mode", "from", "to", "days", "skipped", "total_cents", "credit_cents"}
DAY_KEYS = {"child_id", "activity_id", "session_id", "date", "price_cents", "late", "action"}
SKIPPED_KEYS = {"child_id", "activity_id", "session_id", "date", "code", "reason"}


def api_client(world) -> Client:
    client = Client()
    response = client.post(
        "/api/v1/auth/token",
        data=json.dumps({"email": world.user.email, "password": "secret-pass-123"}),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    return Client(HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}")


def post(client: Client, data: dict):
    return client.post(URL, data=json.dumps(data), content_type="application/json")


def body(world, child=None, weekdays=CANTEEN_DAYS, **extra) -> dict:
    data = {
        "child_id": (child or world.children[0]).pk,
        "activity_id": world.activity.pk,
        "weekdays": list(weekdays),
        "from": world.start.isoformat(),
        "to": world.end.isoformat(),
    }
    data.update(extra)
    return data


def snapshot() -> tuple:
    return (
        Basket.objects.count(),
        Booking.objects.count(),
        BasketLine.objects.count(),
        HistoryEntry.objects.count(),
        TypicalWeek.objects.count(),
    )


def test_a_dry_run_answers_200_with_the_days_and_changes_nothing():
    world = seed_family(weeks=4)
    client = api_client(world)
    sessions = world.sessions_on()
    calendar.close_sessions([sessions[0]], "Sortie scolaire")
    before = snapshot()
    response = post(client, body(world, dry_run=True))
    assert response.status_code == 200
    data = response.json()
    assert set(data) == PLAN_KEYS
    assert data["mode"] == "reserve"
    assert (data["from"], data["to"]) == (world.start.isoformat(), world.end.isoformat())
    assert [d["session_id"] for d in data["days"]] == [s.pk for s in sessions[1:]]
    assert all(set(d) == DAY_KEYS for d in data["days"])
    assert {(d["price_cents"], d["late"], d["action"]) for d in data["days"]} == {
        (370, False, "reserve")
    }
    closed = [s for s in data["skipped"] if s["code"] == "closed"]
    assert closed == [
        {
            "child_id": world.children[0].pk,
            "activity_id": world.activity.pk,
            "session_id": sessions[0].pk,
            "date": sessions[0].date.isoformat(),
            "code": "closed",
            "reason": "Sortie scolaire",
        }
    ]
    assert all(set(s) == SKIPPED_KEYS for s in data["skipped"])
    assert data["total_cents"] == 370 * (len(sessions) - 1)
    assert snapshot() == before


def test_applying_answers_201_with_the_basket_as_post_basket_gives_it():
    world = seed_family(weeks=4)
    client = api_client(world)
    response = post(client, body(world))
    assert response.status_code == 201, response.content
    data = response.json()
    assert set(data) == PLAN_KEYS | {"basket"}
    basket = client.get("/api/v1/basket").json()
    assert data["basket"] == basket
    assert len(basket["lines"]) == len(world.sessions_on()) == len(data["days"])
    assert basket["reservations_total_cents"] == data["total_cents"]
    assert HistoryEntry.objects.filter(channel=Channel.TYPICAL_WEEK).count() == len(data["days"])


def test_several_children_and_activities_in_one_request_with_patterns():
    world = seed_family(("Emy", "Lise", "Tom"), weeks=4)
    alae = factories.activity(
        world.activity.site, name="ALAE soir", weekdays="0,1,3,4", default_capacity=30
    )
    factories.tariff([alae], [(0, None, 120, 180)])
    calendar.generate_sessions(alae, world.start, world.end)
    emy, lise, tom = world.children
    factories.enrolment(tom, alae)
    client = api_client(world)
    patterns = [
        {"child_id": emy.pk, "activity_id": world.activity.pk, "weekdays": [0, 1, 3, 4]},
        {"child_id": lise.pk, "activity_id": world.activity.pk, "weekdays": [0, 1, 3, 4]},
        {"child_id": tom.pk, "activity_id": world.activity.pk, "weekdays": [0, 1]},
        {"child_id": tom.pk, "activity_id": alae.pk, "weekdays": [1]},
    ]
    response = post(
        client,
        {"patterns": patterns, "from": world.start.isoformat(), "to": world.end.isoformat()},
    )
    assert response.status_code == 201, response.content
    data = response.json()
    canteen = len(world.sessions_on())
    expected = 2 * canteen + len(world.sessions_on((0, 1))) + len(world.sessions_on((1,), alae))
    assert len(data["days"]) == expected
    assert len(data["basket"]["lines"]) == expected


def test_nothing_to_do_answers_422_with_the_skipped_days_and_changes_nothing():
    world = seed_family(weeks=4)
    for session in world.sessions_on():
        paid_booking(world.children[0], session)
    client = api_client(world)
    before = snapshot()
    response = post(client, body(world))
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "nothing_to_do"
    assert error["message"]
    assert {s["code"] for s in error["skipped"]} <= {"already_reserved", "holiday"}
    booked = [s for s in error["skipped"] if s["code"] == "already_reserved"]
    assert [s["session_id"] for s in booked] == [s.pk for s in world.sessions_on()]
    assert snapshot() == before


def test_cancel_mode_gives_the_credit_of_the_paid_days():
    world = seed_family(weeks=4)
    emy = world.children[0]
    mondays = world.sessions_on((0,))
    for session in mondays:
        paid_booking(emy, session)
    client = api_client(world)
    dry = post(client, body(world, weekdays=[0], mode="cancel", dry_run=True)).json()
    assert dry["credit_cents"] == 370 * len(mondays)
    assert {d["action"] for d in dry["days"]} == {"cancel"}
    response = post(client, body(world, weekdays=[0], mode="cancel"))
    assert response.status_code == 201
    lines = response.json()["basket"]["lines"]
    assert {(line["kind"], line["quantity"]) for line in lines} == {("cancellation", -1)}
    assert response.json()["basket"]["cancellations_total_cents"] == 370 * len(mondays)


def test_another_households_child_answers_404_like_an_unknown_one():
    world = seed_family(weeks=4)
    stranger = factories.child(factories.household())
    factories.enrolment(stranger, world.activity)
    client = api_client(world)
    for child_id in (stranger.pk, 10**9):
        response = post(client, body(world, child_id=child_id))
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    assert Booking.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"weekdays": [7]}, "weekdays[0]"),
        ({"weekdays": []}, "weekdays"),
        ({"weekdays": [2]}, "weekdays"),  # no canteen on Wednesdays
        ({"from": "2026-02-30"}, "from"),
        ({"mode": "both"}, "mode"),
        ({"dry_run": "yes"}, "dry_run"),
        ({"patterns": []}, "child_id"),
        ({"child_id": "1"}, "child_id"),
    ],
)
def test_invalid_fields_answer_422_and_change_nothing(change, field):
    world = seed_family(weeks=4)
    client = api_client(world)
    before = snapshot()
    response = post(client, body(world, **change))
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert (error["code"], error["field"]) == ("invalid_field", field)
    assert snapshot() == before


def test_a_period_ending_before_it_starts_is_refused_on_to():
    world = seed_family(weeks=4)
    client = api_client(world)
    response = post(
        client, body(world, **{"from": world.end.isoformat(), "to": world.start.isoformat()})
    )
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "to"


def test_the_dry_run_query_count_does_not_grow_with_the_number_of_days():
    world = seed_family(weeks=4)
    client = api_client(world)
    short = body(world, dry_run=True, to=world.start.isoformat())
    post(client, short)  # the token's last use is written at most once a minute: not counted
    with CaptureQueriesContext(connection) as one_day:
        assert post(client, short).status_code == 200
    with CaptureQueriesContext(connection) as four_weeks:
        assert post(client, body(world, dry_run=True)).status_code == 200
    assert len(four_weeks.captured_queries) == len(one_day.captured_queries)


def test_without_dates_the_period_defaults_to_the_next_bookable_day_onwards():
    world = seed_family(weeks=4)
    client = api_client(world)
    data = body(world, dry_run=True)
    del data["from"], data["to"]
    response = post(client, data)
    assert response.status_code == 200
    plan = response.json()
    assert plan["from"] <= world.start.isoformat()
    assert plan["to"] >= world.end.isoformat() or plan["days"]


def test_the_endpoint_is_in_the_openapi_document():
    client = Client()
    document = client.get("/api/v1/openapi.json").json()
    operation = document["paths"]["/basket/typical-week"]["post"]
    assert set(operation["responses"]) >= {"201", "404", "422"}
    assert "TypicalWeekPlan" in document["components"]["schemas"]
