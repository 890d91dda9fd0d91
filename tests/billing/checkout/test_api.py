"""POST /api/v1/basket/checkout, GET /api/v1/baskets[/{id}[/pdf]], GET /api/v1/credits."""

import datetime
import json

import pytest
from django.utils import timezone

from portail.billing import credits
from portail.billing.models import Payment
from portail.reservations.models import Basket, BasketStatus, Booking, BookingStatus
from tests import factories
from tests.factories import paid_booking
from tests.pdftext import text as pdf_text
from tests.world.commune import seed_days, seed_family

pytestmark = pytest.mark.django_db(transaction=True)

RECORD_KEYS = {
    "id",
    "reference",
    "status",
    "expires_at",
    "lines",
    "reservations_total_cents",
    "cancellations_total_cents",
    "invoiced_total_cents",
    "credit_available_cents",
    "credit_applied_cents",
    "amount_due_cents",
    "amount_paid_cents",
    "created_at",
    "payments",
}


def post_json(client, url, data=None):
    body = "" if data is None else json.dumps(data)
    return client.post(url, data=body, content_type="application/json")


def error_of(response) -> dict:
    body = response.json()
    assert set(body) == {"error"}
    return body["error"]


def item(kid, session) -> dict:
    return {"child_id": kid.pk, "session_id": session.pk}


def api_submit(client, fam, add=(), cancel=()):
    response = post_json(
        client,
        "/api/v1/basket",
        {"add": [item(k, s) for k, s in add], "cancel": [item(k, s) for k, s in cancel]},
    )
    assert response.status_code == 201, response.content
    return response.json()


def logged(client, fam):
    client.force_login(fam.user)
    return client


def test_checkout_with_something_due_answers_the_payment_url(client, simulator):
    fam = seed_family()
    logged(client, fam)
    basket = api_submit(client, fam, add=seed_days(fam))
    assert basket["amount_due_cents"] == 1480
    response = post_json(client, "/api/v1/basket/checkout", {"expected_due_cents": 1480})
    assert response.status_code == 200
    body = response.json()
    payment = Payment.objects.get()
    assert body == {
        "status": "awaiting_payment",
        "basket_id": basket["id"],
        "reference": basket["reference"],
        "amount_due_cents": 1480,
        "payment_url": f"{simulator.page_url}?idop={payment.idop}",
        "refdet": payment.refdet,
    }
    # The basket shows awaiting_payment with its payment, then paid once PayFiP says so.
    record = client.get(f"/api/v1/baskets/{basket['id']}").json()
    assert set(record) == RECORD_KEYS
    assert record["status"] == "awaiting_payment"
    assert record["amount_due_cents"] == 1480
    assert [p["state"] for p in record["payments"]] == ["pending"]
    simulator.submit(payment.idop, outcome="P")
    record = client.get(f"/api/v1/baskets/{basket['id']}").json()
    assert (record["status"], record["amount_due_cents"], record["amount_paid_cents"]) == (
        "paid",
        0,
        1480,
    )
    assert record["reservations_total_cents"] == 1480
    assert record["payments"][0]["state"] == "paid"
    assert record["payments"][0]["paid_at"] is not None
    assert len(record["lines"]) == 4


def test_checkout_with_nothing_due_validates(client, live_server):
    fam = seed_family()
    for day in fam.days[:2]:
        paid_booking(fam.emy, fam.sessions[day])
    logged(client, fam)
    basket = api_submit(client, fam, cancel=[(fam.emy, fam.sessions[d]) for d in fam.days[:2]])
    assert (basket["cancellations_total_cents"], basket["amount_due_cents"]) == (740, 0)
    response = post_json(client, "/api/v1/basket/checkout")  # no body at all
    assert response.status_code == 200
    assert response.json() == {
        "status": "validated",
        "basket_id": basket["id"],
        "reference": basket["reference"],
        "amount_due_cents": 0,
    }
    assert credits.balance_cents(fam.household) == 740
    # The seed's arithmetic: the next four days cost 7,40 to pay.
    basket = api_submit(client, fam, add=seed_days(fam))
    assert (
        basket["reservations_total_cents"],
        basket["credit_available_cents"],
        basket["credit_applied_cents"],
        basket["amount_due_cents"],
    ) == (1480, 740, 740, 740)
    # And the credit, with its two movements.
    body = client.get("/api/v1/credits").json()
    assert set(body) == {"balance_cents", "available_cents", "entries"}
    assert (body["balance_cents"], body["available_cents"]) == (740, 740)
    assert [(e["amount_cents"], e["kind"]) for e in body["entries"]] == [
        (370, "cancellation"),
        (370, "cancellation"),
    ]
    entry = body["entries"][0]
    assert set(entry) == {"date", "amount_cents", "reason", "kind", "balance_after_cents"}
    assert entry["date"] == timezone.localdate().isoformat()
    assert "Emy" in entry["reason"]


@pytest.mark.parametrize(
    ("setup", "data", "code"),
    [
        ("none", {}, "no_basket"),
        ("four", {"expected_due_cents": 1000}, "changed"),
        ("below", {}, "below_minimum"),
    ],
)
def test_checkout_refusals_are_422_with_their_code(client, live_server, setup, data, code):
    fam = seed_family()
    logged(client, fam)
    if setup == "four":
        api_submit(client, fam, add=seed_days(fam))
    elif setup == "below":
        credits.adjust(fam.household, 300, reason="Geste", actor=factories.staff())
        api_submit(client, fam, add=[(fam.emy, fam.sessions[fam.days[0]])])
    response = post_json(client, "/api/v1/basket/checkout", data)
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == code
    assert error["message"]
    if code == "changed":
        assert error["amount_due_cents"] == 1480
    if code == "below_minimum":
        assert error["amount_due_cents"] == 70
    assert not Payment.objects.exists()


@pytest.mark.parametrize("value", ["1480", -1, 1.5, True])
def test_checkout_refuses_a_malformed_expected_amount(client, live_server, value):
    fam = seed_family()
    logged(client, fam)
    api_submit(client, fam, add=seed_days(fam))
    response = post_json(client, "/api/v1/basket/checkout", {"expected_due_cents": value})
    assert response.status_code == 422
    assert error_of(response)["code"] == "invalid_field"
    assert Basket.objects.get().status == BasketStatus.OPEN


def test_baskets_list_every_status_newest_first(client, live_server):
    fam = seed_family()
    logged(client, fam)
    thursday, friday = (fam.sessions[d] for d in fam.days[2:])
    # abandoned (ANNULER), expired, validated, then open.
    api_submit(client, fam, add=[(fam.emy, thursday)])
    client.delete("/api/v1/basket")
    api_submit(client, fam, add=[(fam.emy, thursday)])
    Basket.objects.filter(status=BasketStatus.OPEN).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    paid_booking(fam.emy, friday)
    api_submit(client, fam, cancel=[(fam.emy, friday)])
    post_json(client, "/api/v1/basket/checkout", {"expected_due_cents": 0})
    api_submit(client, fam, add=[(fam.children[1], thursday)])
    response = client.get("/api/v1/baskets")
    assert response.status_code == 200
    records = [r for r in response.json() if r["lines"]]  # paid_booking's own has none
    assert [r["status"] for r in records] == ["open", "validated", "expired", "abandoned"]
    for record in records:
        assert set(record) == RECORD_KEYS
    open_, validated, expired, abandoned = records
    assert open_["amount_due_cents"] == 0  # the 3,70 credit pays Lise's Thursday
    assert open_["credit_applied_cents"] == 370
    assert validated["cancellations_total_cents"] == 370
    assert (validated["amount_due_cents"], validated["amount_paid_cents"]) == (0, 0)
    assert expired["reservations_total_cents"] == 370 and expired["amount_due_cents"] == 0
    assert abandoned["lines"][0]["kind"] == "reservation"


def test_another_households_basket_is_not_found(client, live_server):
    fam = seed_family()
    logged(client, fam)
    basket = api_submit(client, fam, add=seed_days(fam))
    other = seed_family(names=("Zoé",), household_name="VOISINS")
    client.force_login(other.user)
    for url in (f"/api/v1/baskets/{basket['id']}", f"/api/v1/baskets/{basket['id']}/pdf"):
        response = client.get(url)
        assert response.status_code == 404
        assert error_of(response)["code"] == "not_found"
    assert client.get("/api/v1/baskets").json() == []
    assert client.get("/api/v1/credits").json() == {
        "balance_cents": 0,
        "available_cents": 0,
        "entries": [],
    }
    assert client.get("/api/v1/baskets/999999").status_code == 404


def test_basket_pdf_by_kind(client, live_server):
    fam = seed_family()
    logged(client, fam)
    basket = api_submit(client, fam, add=seed_days(fam))
    response = client.get(f"/api/v1/baskets/{basket['id']}/pdf", {"kind": "reservations"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert text.count("PRE-RESERVATION") == 4 and "14,80 €" in text
    assert client.get(f"/api/v1/baskets/{basket['id']}/pdf").status_code == 200
    missing = client.get(f"/api/v1/baskets/{basket['id']}/pdf", {"kind": "cancellations"})
    assert error_of(missing)["code"] == "not_found"
    bad = client.get(f"/api/v1/baskets/{basket['id']}/pdf", {"kind": "tout"})
    assert (bad.status_code, error_of(bad)["code"]) == (422, "invalid_field")


def test_the_endpoints_need_a_guardian(client, live_server):
    for method, url in [
        ("post", "/api/v1/basket/checkout"),
        ("get", "/api/v1/baskets"),
        ("get", "/api/v1/baskets/1"),
        ("get", "/api/v1/baskets/1/pdf"),
        ("get", "/api/v1/credits"),
    ]:
        response = getattr(client, method)(url)
        assert response.status_code == 401, url
        assert error_of(response)["code"] == "not_authenticated"


def test_checkout_by_bearer_token_without_csrf(client, simulator):
    from django.test import Client

    from tests.world.commune import PASSWORD

    fam = seed_family()
    token = post_json(
        client, "/api/v1/auth/token", {"email": fam.user.email, "password": PASSWORD}
    ).json()["token"]
    api = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {token}")
    api_submit(api, fam, add=seed_days(fam))
    response = post_json(api, "/api/v1/basket/checkout")
    assert response.json()["status"] == "awaiting_payment"
    simulator.submit(Payment.objects.get().idop, outcome="P")
    assert Booking.objects.filter(status=BookingStatus.RESERVED).count() == 4
