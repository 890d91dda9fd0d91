"""GET /api/v1/children/{id}/history and GET /api/v1/enrolments/{id}/recap.pdf."""

import json

import pytest
from django.test import Client

from tests.pdftext import find_row, lines
from tests.world.commune import PASSWORD
from tests.world.story import PARENT_EMAIL

pytestmark = pytest.mark.django_db

KEYS = {"date", "activity", "action", "who", "when", "channel", "price_cents"}
# Added with one row per event (never renamed): what the recap PDF shows.
ADDED = {"event", "option", "detail", "pending", "validated_at", "not_used", "credit_cents"}


def token_client(email: str, language: str = "fr") -> Client:
    client = Client()
    response = client.post(
        "/api/v1/auth/token",
        data=json.dumps({"email": email, "password": PASSWORD}),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    return Client(
        HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}", HTTP_ACCEPT_LANGUAGE=language
    )


@pytest.fixture
def api(story) -> Client:
    return token_client(PARENT_EMAIL)


def history_url(child, query: str = "") -> str:
    return f"/api/v1/children/{child.pk}/history{query}"


def error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()["error"]
    assert body["code"] == code
    return body


def test_history_lists_every_action_on_the_childs_days_in_order(story, api):
    response = api.get(history_url(story.emy))
    assert response.status_code == 200
    rows = response.json()
    assert all(set(row) == KEYS | ADDED for row in rows)
    staff, parent, office = "Service gestionnaire", PARENT_EMAIL, "backoffice"
    add, remove = "add_reservation", "remove_reservation"
    assert [(r["date"], r["action"], r["who"], r["when"], r["channel"]) for r in rows] == [
        ("2023-04-03", add, staff, "2023-03-17T10:21:00+01:00", office),
        ("2023-04-03", remove, staff, "2023-03-17T10:24:00+01:00", office),
        ("2023-04-03", add, parent, "2023-03-20T09:05:00+01:00", "web"),
        ("2023-04-03", "attendance_absent", staff, "2023-04-03T14:00:00+02:00", office),
        ("2023-04-04", add, staff, "2023-03-17T10:21:00+01:00", office),
        ("2023-04-04", remove, staff, "2023-03-17T10:24:00+01:00", office),
        ("2023-04-06", add, staff, "2023-03-17T10:21:00+01:00", office),
        ("2023-04-06", remove, parent, "2023-03-17T10:22:00+01:00", "web"),
        ("2023-04-07", add, staff, "2023-03-17T10:21:00+01:00", office),
        ("2023-04-07", remove, staff, "2023-03-17T10:24:00+01:00", office),
    ]
    assert {r["activity"] for r in rows} == {"Restauration Scolaire Malves"}
    assert {r["price_cents"] for r in rows} == {370}
    assert [r["event"] for r in rows[:4]] == ["requested", "request_removed", "requested", "absent"]
    assert [r["not_used"] for r in rows[:4]] == [None, None, None, True]
    assert [r["pending"] for r in rows[:4]] == [False, False, True, False]
    assert rows[1]["detail"] == "basket_dropped"


def test_who_follows_the_requests_language(story):
    rows = token_client(PARENT_EMAIL, "en").get(history_url(story.emy)).json()
    assert rows[0]["who"] == "Management service"


def test_from_and_to_limit_the_days_both_included(story, api):
    rows = api.get(history_url(story.emy, "?from=2023-04-04&to=2023-04-06")).json()
    assert {r["date"] for r in rows} == {"2023-04-04", "2023-04-06"}
    assert len(rows) == 4
    assert {r["date"] for r in api.get(history_url(story.emy, "?from=2023-04-07")).json()} == {
        "2023-04-07"
    }
    assert len(api.get(history_url(story.emy, "?to=2023-04-03")).json()) == 4
    assert api.get(history_url(story.emy, "?from=2024-01-01")).json() == []


@pytest.mark.parametrize(
    "query, field",
    [
        ("?from=03/04/2023", "from"),
        ("?from=2023-02-30", "from"),
        ("?to=yesterday", "to"),
        ("?from=2023-04-07&to=2023-04-03", "to"),
    ],
)
def test_bad_from_or_to_is_an_invalid_field(story, api, query, field):
    body = error(api.get(history_url(story.emy, query)), 422, "invalid_field")
    assert body["field"] == field


def test_another_households_child_or_an_unknown_id_is_not_found(story, api):
    error(api.get(history_url(story.other_child)), 404, "not_found")
    error(api.get("/api/v1/children/999999/history"), 404, "not_found")
    rows = token_client("martin@example.org").get(history_url(story.other_child)).json()
    assert [r["who"] for r in rows] == ["martin@example.org"]
    error(token_client("martin@example.org").get(history_url(story.emy)), 404, "not_found")


def test_history_needs_a_guardian(story):
    error(Client().get(history_url(story.emy)), 401, "not_authenticated")


def test_recap_pdf_through_the_api(story, api):
    response = api.get(f"/api/v1/enrolments/{story.enrolment.pk}/recap.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = lines(response.content)
    assert "Récapitulatif des actions" in text
    option = "Restauration Scolaire Malves"
    row = ["06/04/2023", option, "3,70 €", "–", PARENT_EMAIL, "17/03/2023 10:22"]
    assert find_row(text, row) >= 0


def test_recap_pdf_of_another_household_or_unknown_is_a_json_404(story, api):
    error(api.get(f"/api/v1/enrolments/{story.other_enrolment.pk}/recap.pdf"), 404, "not_found")
    error(api.get("/api/v1/enrolments/999999/recap.pdf"), 404, "not_found")


def test_both_endpoints_are_in_the_openapi_document(db):
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    history = paths["/children/{child_id}/history"]["get"]
    assert {p["name"] for p in history["parameters"]} == {"child_id", "from", "to"}
    assert "404" in history["responses"]
    assert "422" in history["responses"]
    assert "application/pdf" in paths["/enrolments/{enrolment_id}/recap.pdf"]["get"]["description"]
