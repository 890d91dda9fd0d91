"""POST /api/v1/requests: each procedure created and sent through the API with exactly the
contract's keys; drafts; 422 `invalid_request` naming each bad field; unknown or closed
procedures, bad bodies: a clear 4xx, nothing created."""

import datetime

import pytest
from django.conf import settings
from django.test import Client

from portail.procedures.models import Procedure, Request, RequestEvent
from tests import factories
from tests.api.conftest import error_of
from tests.world.procedures import valid_data

from .conftest import EVENT_KEYS, REQUEST_KEYS, count_requests

pytestmark = pytest.mark.django_db

CODES = [
    "contact",
    "address_change",
    "qf_declaration",
    "family_file",
    "enrolment",
    "early_childhood",
]


@pytest.mark.parametrize("code", CODES)
def test_each_procedure_is_created_and_sent(api, code):
    data = valid_data(api.desk, code)

    response = api.create(code, data, submit=True)

    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == REQUEST_KEYS
    request = Request.objects.get(household=api.desk.household)
    assert body["id"] == request.pk
    assert body["number"] == request.number == request.pk
    assert (body["procedure"], body["status"]) == (code, "submitted")
    assert body["data"] == data
    created_at = datetime.datetime.fromisoformat(body["created_at"])
    assert created_at.utcoffset() == datetime.timedelta(hours=1)  # Paris, in November
    assert [set(event) for event in body["events"]] == [EVENT_KEYS, EVENT_KEYS]
    assert [(e["status"], e["by"], e["message"]) for e in body["events"]] == [
        ("draft", api.desk.user.email, ""),
        ("submitted", api.desk.user.email, ""),
    ]
    assert set(RequestEvent.objects.values_list("channel", flat=True)) == {"api"}


def test_without_submit_it_is_a_draft_and_partial_data_is_kept(api):
    response = api.post(
        api.family, "/requests", {"procedure": "contact", "data": {"subject": "Menu"}}
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["data"]) == ("draft", {"subject": "Menu"})
    assert [e["status"] for e in body["events"]] == ["draft"]


def test_a_draft_may_be_started_without_data(api):
    response = api.post(
        api.family, "/requests", {"procedure": "address_change", "data": None, "submit": False}
    )

    assert response.status_code == 201
    assert (response.json()["status"], response.json()["data"]) == ("draft", {})


def test_a_draft_with_a_bad_field_is_refused(api):
    response = api.create("qf_declaration", {"quotient": -5}, submit=False)

    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "invalid_request"
    assert error["fields"] == {"quotient": "Expected a number from 0 to 99999."}
    assert count_requests() == 0


def _changed(data: dict, changes: dict) -> dict:
    data = {**data, **changes}
    return {key: value for key, value in data.items() if value is not ...}


# (procedure, changes to its valid data (... removes the key), field, message)
BAD_FIELDS = [
    ("contact", {"service": ...}, "service", "This field is required."),
    ("contact", {"subject": "  "}, "subject", "This field is required."),
    ("contact", {"message": "x" * 5001}, "message", "At most 5000 characters (it has 5001)."),
    ("contact", {"service": 12}, "service", "Expected text."),
    ("contact", {"urgent": True}, "urgent", "Unknown field."),
    (
        "address_change",
        {"postal_code": "1131"},
        "postal_code",
        "Expected a postal code of 5 digits.",
    ),
    (
        "address_change",
        {"effective_on": "2028-01-01"},
        "effective_on",
        "Expected a date from 2025-11-02 to 2027-11-04.",
    ),
    (
        "address_change",
        {"effective_on": "01/12/2026"},
        "effective_on",
        "Expected a date such as 2026-09-01.",
    ),
    ("qf_declaration", {"quotient": 100000}, "quotient", "Expected a number from 0 to 99999."),
    ("qf_declaration", {"quotient": 650.5}, "quotient", "Expected a whole number."),
    (
        "qf_declaration",
        {"valid_to": "2026-11-30"},
        "valid_to",
        "The end must not be before the start.",
    ),
    ("enrolment", {"activity_id": 999999}, "activity_id", "This activity does not exist."),
    ("enrolment", {"valid_to": "2028-07-02"}, "valid_to", "A period of at most 400 days."),
    ("family_file", {"image_rights": "oui"}, "image_rights", "Answer yes or no."),
    ("family_file", {"guardians": []}, "guardians", "Expected from 1 to 4 items."),
    (
        "early_childhood",
        {"birth_date": "2026-10-01"},
        "expected_on",
        "Give the birth date or the expected date, not both.",
    ),
    ("early_childhood", {"sites": [999999]}, "sites", "One of these sites does not exist."),
    # Beyond the database's integers: refused, never an overflow (a 500 on SQLite).
    ("early_childhood", {"sites": [2**70]}, "sites", "Expected a list of identifiers."),
    ("early_childhood", {"days_per_week": 6}, "days_per_week", "Expected a number from 1 to 5."),
]


@pytest.mark.parametrize(("code", "changes", "field", "message"), BAD_FIELDS)
def test_each_bad_field_is_named_with_its_message_and_nothing_is_created(
    api, code, changes, field, message
):
    data = _changed(valid_data(api.desk, code), changes)

    response = api.create(code, data)

    assert response.status_code == 422, response.content
    error = error_of(response)
    assert error["code"] == "invalid_request"
    assert error["message"] == "Some fields are not valid."
    assert error["fields"] == {field: message}
    assert count_requests() == 0


def test_every_bad_field_is_named_at_once_inside_lists_too(api):
    data = valid_data(api.desk, "family_file")
    data["guardians"][0]["phone"] = "abc"
    data["children"][1]["pai"] = None
    data["school_year"] = 2030

    response = api.create("family_file", data)

    assert response.status_code == 422
    assert error_of(response)["fields"] == {
        "school_year": "Expected a number from 2025 to 2027.",
        "guardians.0.phone": "Expected a phone number.",
        "children.1.pai": "Answer yes or no.",
    }


def test_another_households_child_is_refused(api):
    other_child = factories.child(factories.household())
    data = {**valid_data(api.desk, "enrolment"), "child_id": other_child.pk}

    response = api.create("enrolment", data)

    assert response.status_code == 422
    assert error_of(response)["fields"] == {
        "child_id": "This child is not one of your household's children."
    }


def test_an_unknown_procedure_is_refused_naming_the_field(api):
    response = api.create("passport", {})

    assert response.status_code == 422
    error = error_of(response)
    assert (error["code"], error["field"]) == ("invalid_field", "procedure")
    assert count_requests() == 0


def test_a_closed_procedure_takes_no_request(api):
    Procedure.objects.filter(code="contact").update(is_open=False)

    for submit in (True, False):
        response = api.create("contact", valid_data(api.desk, "contact"), submit=submit)

        assert response.status_code == 409
        error = error_of(response)
        assert error["code"] == "closed"
        assert error["message"] == "This procedure is not open at the moment."
    assert count_requests() == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"procedure": "contact", "data": ["service"]}, "data"),
        ({"procedure": "contact", "data": "service=cantine"}, "data"),
        ({"procedure": "contact", "submit": "true"}, "submit"),
        ({"procedure": 3}, "procedure"),
        ({"data": {}}, "procedure"),
        ({"procedure": "contact", "data": {}, "number": 15637}, "number"),
    ],
)
def test_wrong_types_and_unknown_keys_are_refused(api, body, field):
    response = api.post(api.family, "/requests", body)

    assert response.status_code == 422
    error = error_of(response)
    assert (error["code"], error["field"]) == ("invalid_field", field)
    assert count_requests() == 0


def test_bad_json_and_bodies_that_are_not_objects_are_400(api):
    for raw in ('{"procedure": "contact",', "[1, 2]", '"contact"', '{"procedure": NaN}'):
        response = api.family.post("/api/v1/requests", raw, content_type="application/json")

        assert response.status_code == 400, raw
        assert error_of(response)["code"] == "invalid_json"
    response = api.family.post("/api/v1/requests", "procedure=contact", content_type="text/plain")
    assert response.status_code == 415
    assert count_requests() == 0


def test_a_huge_body_is_413(api):
    padding = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)

    response = api.create("contact", {**valid_data(api.desk, "contact"), "message": padding})

    assert response.status_code == 413
    assert error_of(response)["code"] == "request_too_large"
    assert count_requests() == 0


def test_staff_and_anonymous_cannot_create_one(api):
    body = {"procedure": "contact", "data": valid_data(api.desk, "contact"), "submit": True}

    assert api.post(api.manager, "/requests", body).status_code == 403
    response = api.post(Client(), "/requests", body)
    assert response.status_code == 401
    assert count_requests() == 0
