"""GET /api/v1/staff/requests: the inbox (never the families' drafts), filtered by status
and procedure, oldest submission first, by pages; gestionnaires only."""

import datetime

import pytest
from django.test import Client

from portail.procedures.models import Request
from tests.api.conftest import error_of
from tests.clock import NOW
from tests.world import staff
from tests.world.procedures import request_in

from .conftest import EVENT_KEYS, STAFF_PASSWORD, STAFF_REQUEST_KEYS, api_client

pytestmark = pytest.mark.django_db


def test_the_inbox_has_the_sent_requests_oldest_first_never_drafts(api, time_machine):
    contact = request_in(api.desk, "contact", "submitted")
    time_machine.move_to(NOW + datetime.timedelta(minutes=1))
    qf = request_in(api.desk, "qf_declaration", "in_progress")
    request_in(api.desk, "address_change", "draft")

    response = api.get(api.manager, "/staff/requests")

    assert response.status_code == 200
    body = response.json()
    assert [item["id"] for item in body] == [contact.pk, qf.pk]
    assert all(set(item) == STAFF_REQUEST_KEYS for item in body)
    first = body[0]
    assert first["household_id"] == api.desk.household.pk
    assert first["household"] == api.desk.household.name
    submitted_at = datetime.datetime.fromisoformat(first["submitted_at"])
    assert submitted_at.replace(microsecond=0) == contact.submitted_at.replace(microsecond=0)
    assert submitted_at.utcoffset() == datetime.timedelta(hours=1)
    assert (first["decided_at"], first["assigned_to"]) == (None, None)
    assert body[1]["assigned_to"] == api.desk.staff.email
    assert all(set(event) == EVENT_KEYS for event in body[1]["events"])
    # Staff see who acted.
    assert [e["by"] for e in body[1]["events"]] == [
        api.desk.user.email,
        api.desk.user.email,
        api.desk.staff.email,
    ]


def test_filtered_by_status_and_procedure(api):
    contact = request_in(api.desk, "contact", "submitted")
    qf = request_in(api.desk, "qf_declaration", "submitted")
    accepted = request_in(api.desk, "qf_declaration", "accepted")

    def ids(**params):
        response = api.get(api.manager, "/staff/requests", **params)
        assert response.status_code == 200
        return [item["id"] for item in response.json()]

    assert ids(status="submitted") == [contact.pk, qf.pk]
    assert ids(status="submitted", procedure="qf_declaration") == [qf.pk]
    assert ids(status="accepted") == [accepted.pk]
    assert ids(procedure="contact") == [contact.pk]
    assert ids(status="waiting_list") == []


def test_pages_of_a_hundred(api, monkeypatch):
    from portail.api.views import staff_requests

    monkeypatch.setattr(staff_requests, "PAGE_SIZE", 2)
    made = [request_in(api.desk, "contact", "submitted").pk for _ in range(3)]

    def ids(**params):
        return [item["id"] for item in api.get(api.manager, "/staff/requests", **params).json()]

    assert ids() == made[:2]
    assert ids(page="1") == made[:2]
    assert ids(page="2") == made[2:]
    assert ids(page="3") == []


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("status", "draft"),
        ("status", "pending"),
        ("status", ""),
        ("procedure", "passport"),
        ("page", "0"),
        ("page", "-1"),
        ("page", "1.5"),
        ("page", "abc"),
        ("page", "100001"),
        ("page", "99999999999999999999"),
    ],
)
def test_a_bad_query_value_is_422_naming_it(api, name, value):
    response = api.get(api.manager, "/staff/requests", **{name: value})

    assert response.status_code == 422
    error = error_of(response)
    assert (error["code"], error["field"]) == ("invalid_field", name)


@pytest.mark.parametrize("role", ["pointage", "cuisine", "guardian"])
def test_other_roles_and_families_are_refused(api, role):
    request = request_in(api.desk, "contact", "submitted")
    if role == "pointage":
        user = staff.pointage([api.desk.activity.site])
    elif role == "cuisine":
        user = staff.cuisine()
    client = api.family if role == "guardian" else api_client(user.email, STAFF_PASSWORD)

    answers = [
        client.get("/api/v1/staff/requests"),
        api.post(client, f"/staff/requests/{request.pk}/decision", {"decision": "accept"}),
    ]

    for response in answers:
        assert response.status_code == 403
        assert error_of(response)["code"] == "permission_denied"
        assert api.desk.household.name not in response.content.decode()
    assert Request.objects.get(pk=request.pk).status == "submitted"


def test_anonymous_is_401(api):
    request = request_in(api.desk, "contact", "submitted")

    assert Client().get("/api/v1/staff/requests").status_code == 401
    response = api.post(Client(), f"/staff/requests/{request.pk}/decision", {"decision": "accept"})
    assert response.status_code == 401
    assert Request.objects.get(pk=request.pk).status == "submitted"
