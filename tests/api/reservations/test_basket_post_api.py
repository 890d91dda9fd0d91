"""POST /api/v1/basket: the exact contract; refused changes are 422 and change nothing;
errors in the caller's language."""

import datetime

import pytest
from django.test import Client

from portail.reservations.models import Basket, BasketStatus, Booking, HistoryEntry
from tests.factories import paid_booking
from tests.world.commune import CANTEEN, PASSWORD, seed_family

from .calls import BASKET_KEYS, LINE_KEYS, error_of, item, logged, post_json, seed_request

pytestmark = pytest.mark.django_db


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
        "invoiced": False,
        "offer": False,
        "expires_at": None,
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


def test_errors_follow_accept_language(client):
    fam = seed_family()
    response = post_json(
        logged(client, fam), "/api/v1/basket", {}, headers={"Accept-Language": "en"}
    )
    assert error_of(response)["message"] == "Send at least one change in “add” or “cancel”."
