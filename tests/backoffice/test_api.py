"""The staff API on households: create, book for (with the deadlines passed), credit."""

import pytest
from django.core import mail

from portail.api.views.basket import basket_data
from portail.backoffice.models import StaffAction, StaffActionKind
from portail.billing import credits
from portail.billing.quote import summarize
from portail.families.models import Child, Guardian, Household
from portail.reservations.models import (
    ActorKind,
    Basket,
    Booking,
    Channel,
    HistoryEntry,
)
from tests.backoffice.test_booking import late_family

pytestmark = pytest.mark.django_db


def post(client, url: str, body: dict):
    return client.post(url, body, content_type="application/json")


def token_client(client, email: str, password: str = "staff-pass-123"):
    response = post(client, "/api/v1/auth/token", {"email": email, "password": password})
    assert response.status_code in (200, 201), response.content
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {response.json()['token']}"
    return client


def new_household(fam) -> dict:
    return {
        "name": "API-TEST",
        "guardians": [
            {"email": "Lea.Api@example.org", "first_name": "Léa", "last_name": "API"},
            {"email": "marc.api@example.org", "first_name": "Marc", "last_name": "API"},
        ],
        "children": [
            {
                "first_name": "Noé",
                "last_name": "API",
                "birth_date": "2018-02-01",
                "enrolments": [
                    {
                        "activity_id": fam.activity.pk,
                        "valid_from": "2026-09-01",
                        "valid_to": "2027-07-04",
                    }
                ],
            },
            {"first_name": "Zoé", "last_name": "API", "birth_date": "2020-06-30"},
        ],
    }


def test_create_household_answers_201_with_the_ids(client, fam, gestionnaire):
    token_client(client, gestionnaire.email)
    response = post(client, "/api/v1/staff/households", new_household(fam))
    assert response.status_code == 201, response.content
    body = response.json()
    household = Household.objects.get(pk=body["id"])
    noe = Child.objects.get(household=household, first_name="Noé")
    zoe = Child.objects.get(household=household, first_name="Zoé")
    guardians = list(Guardian.objects.filter(household=household).order_by("pk"))
    assert body == {
        "id": household.pk,
        "guardians": [
            {"id": guardians[0].pk, "email": "lea.api@example.org"},
            {"id": guardians[1].pk, "email": "marc.api@example.org"},
        ],
        "children": [
            {
                "id": noe.pk,
                "first_name": "Noé",
                "enrolments": [{"id": noe.enrolments.get().pk, "activity_id": fam.activity.pk}],
            },
            {"id": zoe.pk, "first_name": "Zoé", "enrolments": []},
        ],
    }
    assert sorted(m.to[0] for m in mail.outbox) == ["lea.api@example.org", "marc.api@example.org"]
    assert StaffAction.objects.filter(household=household, actor=gestionnaire).exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda b, fam: b["guardians"][0].update(email=fam.user.email), "guardians[0].email"),
        (
            lambda b, fam: b["guardians"][1].update(email="LEA.api@example.org"),
            "guardians[1].email",
        ),
        (lambda b, fam: b.update(guardians=[]), "guardians"),
        (lambda b, fam: b["guardians"][0].pop("last_name"), "guardians[0].last_name"),
        (lambda b, fam: b["children"][0].update(birth_date="01/02/2018"), "children[0].birth_date"),
        (
            lambda b, fam: b["children"][0]["enrolments"][0].update(activity_id=999999),
            "children[0].enrolments[0].activity_id",
        ),
        (
            lambda b, fam: b["children"][0]["enrolments"][0].update(valid_to="2026-01-01"),
            "children[0].enrolments[0].valid_to",
        ),
        (lambda b, fam: b.update(name="  "), "name"),
    ],
)
def test_a_bad_household_is_422_naming_the_field_and_creates_nothing(
    staff_client, fam, change, field
):
    body = new_household(fam)
    change(body, fam)
    response = post(staff_client, "/api/v1/staff/households", body)
    assert response.status_code == 422, response.content
    assert response.json()["error"]["code"] == "invalid_field"
    assert response.json()["error"]["field"] == field
    assert Household.objects.count() == 1
    assert mail.outbox == []


def test_staff_basket_has_the_parents_contract(staff_client, fam, gestionnaire):
    monday = fam.sessions[fam.days[0]]
    response = post(
        staff_client,
        f"/api/v1/staff/households/{fam.household.pk}/basket",
        {"add": [{"child_id": fam.emy.pk, "session_id": monday.pk}]},
    )
    assert response.status_code == 201, response.content
    basket = Basket.objects.get(household=fam.household)
    expected = basket_data(summarize(basket))
    body = response.json()
    assert body.keys() == expected.keys()
    assert body["lines"][0]["unit_price_cents"] == 370 and body["amount_due_cents"] == 370
    entry = HistoryEntry.objects.get()
    assert (entry.actor, entry.actor_kind, entry.channel) == (
        gestionnaire,
        ActorKind.STAFF,
        Channel.BACKOFFICE,
    )


def test_staff_basket_bypass_needs_a_reason_then_books_at_the_normal_price(staff_client):
    fam = late_family()
    tuesday = fam.sessions[fam.days[1]]
    url = f"/api/v1/staff/households/{fam.household.pk}/basket"
    change = {"add": [{"child_id": fam.emy.pk, "session_id": tuesday.pk}]}
    response = post(staff_client, url, change)
    assert response.status_code == 422
    assert response.json()["error"]["items"][0]["code"] == "deadline_passed"
    response = post(staff_client, url, {**change, "bypass_deadlines": True})
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "reason"
    assert not Booking.objects.exists()
    response = post(
        staff_client, url, {**change, "bypass_deadlines": True, "reason": "Accord du maire"}
    )
    assert response.status_code == 201
    assert response.json()["lines"][0]["late"] is False
    assert StaffAction.objects.get(kind=StaffActionKind.BOOKINGS_CHANGED).reason == (
        "Accord du maire"
    )


def test_staff_basket_of_an_unknown_household_is_404(staff_client, fam):
    response = post(
        staff_client,
        "/api/v1/staff/households/999999/basket",
        {"add": [{"child_id": fam.emy.pk, "session_id": 1}]},
    )
    assert response.status_code == 404


def test_credits_endpoint_adjusts_with_a_reason_and_never_below_zero(staff_client, fam):
    url = f"/api/v1/staff/households/{fam.household.pk}/credits"
    response = post(staff_client, url, {"amount_cents": 740, "reason": "Fermeture non prévue"})
    assert response.status_code == 201
    body = response.json()
    assert (body["amount_cents"], body["balance_cents"], body["available_cents"]) == (740, 740, 740)
    assert body["reason"] == "Fermeture non prévue"
    response = post(staff_client, url, {"amount_cents": -1000, "reason": "Reprise"})
    assert response.status_code == 422 and response.json()["error"]["field"] == "amount_cents"
    response = post(staff_client, url, {"amount_cents": 100})
    assert response.status_code == 422 and response.json()["error"]["field"] == "reason"
    response = post(staff_client, url, {"amount_cents": "100", "reason": "Texte"})
    assert response.status_code == 422
    assert credits.balance_cents(fam.household) == 740
    assert post(staff_client, "/api/v1/staff/households/999999/credits", {}).status_code == 404


def test_the_openapi_document_lists_the_staff_endpoints_with_their_roles(client):
    document = client.get("/api/v1/openapi.json").json()
    for path in (
        "/staff/households",
        "/staff/households/{household_id}/basket",
        "/staff/households/{household_id}/credits",
    ):
        operation = document["paths"][path]["post"]
        assert "Staff roles: gestionnaire." in operation["description"]
        assert "403" in operation["responses"] and "201" in operation["responses"]
