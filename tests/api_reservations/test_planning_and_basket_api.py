"""GET /api/v1/planning, POST/GET/DELETE /api/v1/basket: the exact contract."""

import datetime
import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portail.api.tokens import issue_token
from portail.reservations.basket import Change, submit_changes
from portail.reservations.models import (
    Basket,
    BasketStatus,
    Booking,
    BookingStatus,
    Channel,
    HistoryEntry,
)
from portail.reservations.states import CellState
from tests import factories
from tests.web_reservations.world import (
    CANTEEN,
    PASSWORD,
    paid_booking,
    seed_family,
    week_code,
)

pytestmark = pytest.mark.django_db

CELL_KEYS = {
    "child_id",
    "session_id",
    "activity_id",
    "activity",
    "date",
    "start",
    "end",
    "state",
    "price_cents",
    "late",
    "editable",
}
BASKET_KEYS = {
    "id",
    "reference",
    "status",
    "expires_at",
    "lines",
    "reservations_total_cents",
    "cancellations_total_cents",
    "credit_available_cents",
    "credit_applied_cents",
    "amount_due_cents",
}
LINE_KEYS = {
    "id",
    "kind",
    "child_id",
    "child",
    "session_id",
    "activity",
    "date",
    "start",
    "quantity",
    "unit_price_cents",
    "total_cents",
    "late",
}


def post_json(client: Client, url: str, data: object, **kwargs):
    return client.post(url, data=json.dumps(data), content_type="application/json", **kwargs)


def error_of(response) -> dict:
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"}
    return body["error"]


def logged(client, fam):
    client.force_login(fam.user)
    return client


def item(child, session) -> dict:
    return {"child_id": child.pk, "session_id": session.pk}


def seed_request(fam) -> dict:
    """The seed's basket: Emy and Lise, Thursday and Friday."""
    return {"add": [item(kid, fam.sessions[day]) for day in fam.days[2:] for kid in fam.children]}


# --- GET /planning ----------------------------------------------------------------------


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
        "editable": True,
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


def _planning_queries(client, fam) -> int:
    logged(client, fam)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/api/v1/planning", {"week": fam.week})
    assert response.status_code == 200
    assert response.json()["cells"]
    return len(ctx.captured_queries)


def test_planning_query_count_does_not_grow(client):
    small = seed_family(names=("Emy",), household_name="PETITE")
    big = seed_family(names=("Emy", "Lise", "Max"), household_name="GRANDE")
    extra = factories.activity(factories.site(), name="ALAE soir")
    factories.tariff([extra])
    for day in big.days:
        factories.session(extra, day)
    for kid in big.children:
        factories.enrolment(kid, extra)
        paid_booking(kid, big.sessions[big.days[0]])
    assert _planning_queries(client, small) == _planning_queries(client, big)


def _submission_queries(fam, changes: list[dict]) -> int:
    """SQL statements of one POST /api/v1/basket with a bearer token (as scripts send it)."""
    api = Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(fam.user)}")
    with CaptureQueriesContext(connection) as ctx:
        response = post_json(api, "/api/v1/basket", {"add": changes})
    assert response.status_code == 201, response.content
    assert len(response.json()["lines"]) == len(changes)
    return len(ctx.captured_queries)


def test_basket_submission_query_count_does_not_grow_with_days_or_children():
    small = seed_family(names=("Emy",), household_name="PETITE")
    big = seed_family(names=("Emy", "Lise", "Max"), household_name="GRANDE")
    one_day = _submission_queries(small, [item(small.emy, small.sessions[small.days[0]])])
    twelve_days = _submission_queries(
        big, [item(kid, big.sessions[day]) for day in big.days for kid in big.children]
    )
    assert one_day == twelve_days
    # The token (and its first use noted), the transaction, the household's lock and open
    # basket, children, sessions locked with their activity, bookings, attendance,
    # enrolments, places taken, the price book's two, the basket, bookings, lines and
    # history written in bulk, the hold, then the lines and the credit for the answer.
    assert twelve_days <= 21


# --- POST /basket -----------------------------------------------------------------------


def test_post_basket_201_with_the_exact_shape_and_the_seed_totals(client):
    fam = seed_family()
    response = post_json(logged(client, fam), "/api/v1/basket", seed_request(fam))
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == BASKET_KEYS
    basket = Basket.objects.get(household=fam.household, status=BasketStatus.OPEN)
    assert body["id"] == basket.pk
    assert body["reference"] == basket.reference
    assert body["status"] == "open"
    expires_at = datetime.datetime.fromisoformat(body["expires_at"])
    assert expires_at == basket.expires_at.replace(microsecond=0)
    assert expires_at.utcoffset() in (datetime.timedelta(hours=1), datetime.timedelta(hours=2))
    assert body["reservations_total_cents"] == 1480  # 4 x 3,70 €
    assert body["cancellations_total_cents"] == 0
    assert body["credit_available_cents"] == 0
    assert body["credit_applied_cents"] == 0
    assert body["amount_due_cents"] == 1480
    assert len(body["lines"]) == 4
    thursday = fam.days[2]
    first = body["lines"][0]
    assert set(first) == LINE_KEYS
    assert first == {
        "id": first["id"],
        "kind": "reservation",
        "child_id": fam.emy.pk,
        "child": "PAGES-TEST Emy",
        "session_id": fam.sessions[thursday].pk,
        "activity": CANTEEN,
        "date": thursday.isoformat(),
        "start": "12:00",
        "quantity": 1,
        "unit_price_cents": 370,
        "total_cents": 370,
        "late": False,
    }
    # The API's channel is in the history.
    entries = HistoryEntry.objects.filter(child__household=fam.household)
    assert set(entries.values_list("channel", flat=True)) == {"api"}


def test_post_cancellations_give_minus_one_lines(client):
    fam = seed_family()
    thursday, friday = (fam.sessions[day] for day in fam.days[2:])
    paid_booking(fam.emy, thursday)
    paid_booking(fam.emy, friday)
    body = post_json(
        logged(client, fam),
        "/api/v1/basket",
        {"cancel": [item(fam.emy, thursday), item(fam.emy, friday)]},
    ).json()
    assert [line["kind"] for line in body["lines"]] == ["cancellation", "cancellation"]
    assert [line["quantity"] for line in body["lines"]] == [-1, -1]
    assert [line["total_cents"] for line in body["lines"]] == [-370, -370]
    assert body["cancellations_total_cents"] == 740
    assert body["reservations_total_cents"] == 0
    assert body["amount_due_cents"] == 0


def test_post_with_a_bearer_token_needs_no_csrf(db):
    fam = seed_family()
    client = Client(enforce_csrf_checks=True)
    token = post_json(
        client, "/api/v1/auth/token", {"email": fam.user.email, "password": PASSWORD}
    ).json()["token"]
    response = post_json(
        client, "/api/v1/basket", seed_request(fam), headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 201
    # A browser session without the CSRF header is refused.
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(fam.user)
    response = post_json(browser, "/api/v1/basket", seed_request(fam))
    assert response.status_code == 403
    assert error_of(response)["code"] == "csrf_failed"


def test_refused_changes_are_422_with_items_and_nothing_changes(client):
    fam = seed_family(default_capacity=1)
    monday, tuesday, thursday = (fam.sessions[day] for day in fam.days[:3])
    other = seed_family(names=("Paul",), household_name="AUTRE", act=(fam.activity, fam.sessions))
    paid_booking(other.emy, monday)  # full
    paid_booking(fam.emy, tuesday)  # already reserved
    data = {
        "add": [
            item(fam.emy, monday),
            item(fam.emy, tuesday),
            item(fam.emy, thursday),  # would be fine alone
            item(other.emy, thursday),  # another household's child
            {"child_id": 987654, "session_id": 123456},
        ],
        "cancel": [item(fam.children[1], thursday)],  # not reserved
    }
    before = (Booking.objects.count(), HistoryEntry.objects.count())
    response = post_json(logged(client, fam), "/api/v1/basket", data)
    assert response.status_code == 422
    error = error_of(response)
    assert set(error) == {"code", "message", "items"}
    assert error["code"] == "invalid_changes"
    assert error["message"]
    codes = {(i["child_id"], i["session_id"]): i["code"] for i in error["items"]}
    for entry in error["items"]:
        assert set(entry) == {"child_id", "session_id", "code"}
    assert codes == {
        (fam.emy.pk, monday.pk): "full",
        (fam.emy.pk, tuesday.pk): "already_reserved",
        (other.emy.pk, thursday.pk): "unknown",
        (987654, 123456): "unknown",
        (fam.children[1].pk, thursday.pk): "not_reserved",
    }
    assert (Booking.objects.count(), HistoryEntry.objects.count()) == before
    assert not Basket.objects.filter(household=fam.household, status=BasketStatus.OPEN).exists()


def test_refusal_codes_not_enrolled_and_closed(client):
    fam = seed_family()
    monday, tuesday = (fam.sessions[day] for day in fam.days[:2])
    fam.children[1].enrolments.all().delete()
    tuesday.is_open = False
    tuesday.closed_reason = "Sortie scolaire"
    tuesday.save()
    response = post_json(
        logged(client, fam),
        "/api/v1/basket",
        {"add": [item(fam.children[1], monday), item(fam.emy, tuesday)]},
    )
    assert response.status_code == 422
    codes = [i["code"] for i in error_of(response)["items"]]
    assert sorted(codes) == ["closed", "not_enrolled"]


def test_duplicate_changes_are_refused(client):
    fam = seed_family()
    monday = fam.sessions[fam.days[0]]
    response = post_json(
        logged(client, fam),
        "/api/v1/basket",
        {"add": [item(fam.emy, monday), item(fam.emy, monday)]},
    )
    assert response.status_code == 422
    assert [i["code"] for i in error_of(response)["items"]] == ["duplicate"]
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "add"),
        ({"add": [], "cancel": []}, "add"),
        ({"add": "1:2"}, "add"),
        ({"add": {"child_id": 1, "session_id": 2}}, "add"),
        ({"add": [[1, 2]]}, "add[0]"),
        ({"add": [{"child_id": "1", "session_id": 2}]}, "add[0].child_id"),
        ({"add": [{"child_id": True, "session_id": 2}]}, "add[0].child_id"),
        ({"add": [{"child_id": 1.5, "session_id": 2}]}, "add[0].child_id"),
        ({"add": [{"child_id": 1}]}, "add[0].session_id"),
        ({"add": [{"child_id": 0, "session_id": 2}]}, "add[0].child_id"),
        ({"add": [{"child_id": 10**30, "session_id": 2}]}, "add[0].child_id"),
        ({"cancel": [{"child_id": 1, "session_id": None}]}, "cancel[0].session_id"),
        ({"cancel": 5}, "cancel"),
        ({"add": [{"child_id": 1, "session_id": 1}] * 501}, "add"),
    ],
)
def test_wrong_types_are_invalid_field_before_anything_happens(client, data, field):
    fam = seed_family()
    response = post_json(logged(client, fam), "/api/v1/basket", data)
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "invalid_field"
    assert error["field"] == field
    assert not Basket.objects.exists()
    assert not HistoryEntry.objects.exists()


def test_body_must_be_json(client):
    fam = seed_family()
    response = logged(client, fam).post("/api/v1/basket", data="add=1", content_type="text/plain")
    assert response.status_code == 415
    response = logged(client, fam).post(
        "/api/v1/basket", data="{nope", content_type="application/json"
    )
    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid_json"


# --- GET and DELETE /basket -------------------------------------------------------------


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


def test_errors_follow_accept_language(client):
    fam = seed_family()
    response = post_json(
        logged(client, fam), "/api/v1/basket", {}, headers={"Accept-Language": "en"}
    )
    assert error_of(response)["message"] == "Send at least one change in “add” or “cancel”."


def test_openapi_documents_the_planning_and_the_basket(client):
    document = client.get("/api/v1/openapi.json").json()
    assert set(document["paths"]["/planning"]) == {"get"}
    assert set(document["paths"]["/basket"]) == {"get", "post", "delete"}
    post = document["paths"]["/basket"]["post"]
    assert "201" in post["responses"] and "422" in post["responses"]
    assert "invalid_changes" in post["responses"]["422"]["description"]
    schemas = document["components"]["schemas"]
    assert set(schemas["PlanningCell"]["properties"]) == CELL_KEYS
    assert set(schemas["Basket"]["properties"]) == BASKET_KEYS
    assert set(schemas["BasketLine"]["properties"]) == LINE_KEYS
    assert set(schemas["PlanningWeek"]["properties"]) == {"week", "start", "end", "cells"}
