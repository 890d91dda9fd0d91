"""GET /api/v1/requests (newest first), GET and PATCH /api/v1/requests/{id}: a draft
completed then sent, a request to complete sent again; other statuses 409; another
household's request 404 like an unknown one; bad bodies change nothing."""

import datetime

import pytest
from django.test import Client

from portail.procedures import services
from portail.procedures.models import Procedure, Request
from portail.reservations.models import Channel
from tests.api.conftest import error_of
from tests.clock import NOW
from tests.world.procedures import another_household, request_in, valid_data

from .conftest import EVENT_KEYS, REQUEST_KEYS

pytestmark = pytest.mark.django_db


def test_the_list_has_the_households_requests_newest_first(api, time_machine):
    first = request_in(api.desk, "contact", "submitted")
    time_machine.move_to(NOW + datetime.timedelta(minutes=1))
    second = request_in(api.desk, "qf_declaration", "draft")
    other_household, other_user = another_household()
    services.create_draft(other_household, "contact", {}, actor=other_user, channel=Channel.WEB)

    response = api.get(api.family, "/requests")

    assert response.status_code == 200
    body = response.json()
    assert [item["id"] for item in body] == [second.pk, first.pk]
    assert all(set(item) == REQUEST_KEYS for item in body)
    assert [item["status"] for item in body] == ["draft", "submitted"]
    assert api.get(api.other, "/requests").json() == []  # its own household: none


def test_one_request_with_its_history_as_the_family_reads_it(api):
    request = request_in(api.desk, "qf_declaration", "in_progress")
    services.assign(request.pk, api.desk.staff, actor=api.desk.staff, channel=Channel.BACKOFFICE)
    services.ask_more(request.pk, "Il manque l'avis.", actor=api.desk.staff, channel="backoffice")

    response = api.get(api.family, f"/requests/{request.pk}")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == REQUEST_KEYS
    assert body["status"] == "needs_info"
    assert all(set(event) == EVENT_KEYS for event in body["events"])
    # Staff appear as the service; the assignment to an agent is not the family's.
    assert [(e["status"], e["by"], e["message"]) for e in body["events"]] == [
        ("draft", api.desk.user.email, ""),
        ("submitted", api.desk.user.email, ""),
        ("in_progress", "Management service", ""),
        ("needs_info", "Management service", "Il manque l'avis."),
    ]
    assert api.desk.staff.email not in response.content.decode()


@pytest.mark.parametrize("request_id", ["other", 999999, 2**63 + 5])
def test_another_households_request_is_not_found_like_an_unknown_one(api, request_id):
    if request_id == "other":
        other_household, other_user = another_household()
        request_id = services.create_draft(
            other_household, "contact", {}, actor=other_user, channel=Channel.WEB
        ).pk

    for response in (
        api.get(api.family, f"/requests/{request_id}"),
        api.patch(api.family, f"/requests/{request_id}", {"submit": True}),
        api.patch(api.family, f"/requests/{request_id}", {"data": {"subject": "x"}}),
        api.patch(api.family, f"/requests/{request_id}", {"submit": False}),
        api.post(api.family, f"/requests/{request_id}/messages", {"text": "Bonjour"}),
    ):
        assert response.status_code == 404
        assert error_of(response)["code"] == "not_found"
    assert Request.objects.exclude(status="draft").count() == 0


def test_a_draft_is_completed_then_sent(api):
    created = api.create("address_change", {"line": "12 rue des Lilas"}, submit=False).json()
    path = f"/requests/{created['id']}"
    complete = valid_data(api.desk, "address_change")

    completed = api.patch(api.family, path, {"data": complete})

    assert completed.status_code == 200, completed.content
    assert (completed.json()["status"], completed.json()["data"]) == ("draft", complete)

    sent = api.patch(api.family, path, {"submit": True})

    assert sent.status_code == 200
    body = sent.json()
    assert set(body) == REQUEST_KEYS
    assert body["status"] == "submitted"
    assert [e["status"] for e in body["events"]] == ["draft", "submitted"]
    assert Request.objects.get(pk=created["id"]).submitted_at is not None


def test_data_and_submit_at_once(api):
    created = api.create("contact", {"subject": "Menu"}, submit=False).json()

    response = api.patch(
        api.family,
        f"/requests/{created['id']}",
        {"data": valid_data(api.desk, "contact"), "submit": True},
    )

    assert response.status_code == 200
    assert response.json()["status"] == "submitted"


def test_a_submission_of_incomplete_data_changes_nothing_not_even_the_data(api):
    created = api.create("contact", {"subject": "Menu"}, submit=False).json()
    path = f"/requests/{created['id']}"

    response = api.patch(api.family, path, {"data": {"subject": "Autre"}, "submit": True})

    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "invalid_request"
    assert error["fields"] == {
        "service": "This field is required.",
        "message": "This field is required.",
    }
    request = Request.objects.get(pk=created["id"])
    assert (request.status, request.data) == ("draft", {"subject": "Menu"})

    alone = api.patch(api.family, path, {"submit": True})

    assert alone.status_code == 422
    assert set(error_of(alone)["fields"]) == {"service", "message"}


def test_a_request_to_complete_is_changed_and_sent_again(api):
    request = request_in(api.desk, "qf_declaration", "needs_info")
    data = {**valid_data(api.desk, "qf_declaration"), "quotient": 720}

    response = api.patch(api.family, f"/requests/{request.pk}", {"data": data, "submit": True})

    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["data"]["quotient"]) == ("submitted", 720)
    assert [e["status"] for e in body["events"]][-2:] == ["needs_info", "submitted"]


@pytest.mark.parametrize("status", ["submitted", "in_progress", "accepted", "refused"])
@pytest.mark.parametrize("body", [{"submit": True}, {"submit": False}, {"data": {"quotient": 1}}])
def test_other_statuses_cannot_be_changed(api, status, body):
    request = request_in(api.desk, "qf_declaration", status)

    response = api.patch(api.family, f"/requests/{request.pk}", body)

    assert response.status_code == 409
    error = error_of(response)
    assert error["code"] == "status"
    assert "this cannot be done now" in error["message"]
    after = Request.objects.get(pk=request.pk)
    assert (after.status, after.data) == (status, request.data)


def test_a_draft_of_a_closed_procedure_cannot_be_sent(api):
    request = request_in(api.desk, "contact", "draft")
    Procedure.objects.filter(code="contact").update(is_open=False)

    response = api.patch(api.family, f"/requests/{request.pk}", {"submit": True})

    assert response.status_code == 409
    assert error_of(response)["code"] == "closed"
    assert Request.objects.get(pk=request.pk).status == "draft"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "data"),
        ({"data": None}, "data"),
        ({"data": [1]}, "data"),
        ({"submit": None}, "submit"),
        ({"submit": 1}, "submit"),
        ({"status": "submitted"}, "status"),
    ],
)
def test_bad_bodies_are_refused_and_change_nothing(api, body, field):
    request = request_in(api.desk, "contact", "draft")

    response = api.patch(api.family, f"/requests/{request.pk}", body)

    assert response.status_code == 422
    error = error_of(response)
    assert (error["code"], error["field"]) == ("invalid_field", field)
    assert Request.objects.get(pk=request.pk).status == "draft"


def test_the_list_needs_a_guardian(api):
    assert api.get(api.manager, "/requests").status_code == 403
    assert Client().get("/api/v1/requests").status_code == 401


def test_another_households_request_is_404_before_the_body_is_judged(api):
    other_household, other_user = another_household()
    request_id = services.create_draft(
        other_household, "contact", {}, actor=other_user, channel=Channel.WEB
    ).pk

    for response in (
        api.patch(api.family, f"/requests/{request_id}", {}),
        api.post(api.family, f"/requests/{request_id}/messages", {}),
        api.family.post(f"/api/v1/requests/{request_id}/attachments"),
    ):
        assert response.status_code == 404
        assert error_of(response)["code"] == "not_found"


def test_the_list_takes_as_many_queries_for_one_request_as_for_five(api):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api.get(api.family, "/requests").status_code == 200
        return len(captured.captured_queries)

    request_in(api.desk, "contact", "in_progress")
    queries()  # the token's first use is written once
    one = queries()
    for code in ("qf_declaration", "address_change", "family_file", "enrolment"):
        request_in(api.desk, code, "needs_info")

    assert queries() == one
