"""Each procedure's data is checked on the server: good data is kept as sent (dates ISO),
each bad field gets its own error, and a refused request writes nothing."""

import pytest

from portail.procedures import services
from portail.procedures.models import Request, RequestEvent
from portail.procedures.statuses import RequestRefused
from tests import factories
from tests.world.procedures import WEB, desk, valid_data

pytestmark = pytest.mark.django_db

CODES = [
    "contact",
    "address_change",
    "qf_declaration",
    "family_file",
    "enrolment",
    "early_childhood",
]


@pytest.fixture
def d():
    return desk()


def submit_new(d, code, data):
    return services.create_request(d.household, code, data, submit=True, actor=d.user, channel=WEB)


@pytest.mark.parametrize("code", CODES)
def test_valid_data_is_submitted_and_kept(d, code):
    request = submit_new(d, code, valid_data(d, code))
    assert request.status == "submitted"
    assert request.data == valid_data(d, code)
    assert request.number == request.pk


def bad(d, code, change: dict, field: str, message: str, *, drop=()):
    data = {**valid_data(d, code), **change}
    for key in drop:
        data.pop(key)
    with pytest.raises(RequestRefused) as refused:
        submit_new(d, code, data)
    assert refused.value.code == "invalid_request"
    assert refused.value.fields == {field: message}
    assert Request.objects.count() == 0
    assert RequestEvent.objects.count() == 0


REQUIRED = "This field is required."


@pytest.mark.parametrize(
    ("change", "drop", "field", "message"),
    [
        ({}, ["service"], "service", REQUIRED),
        ({"subject": "   "}, [], "subject", REQUIRED),
        ({"message": "x" * 5001}, [], "message", "At most 5000 characters (it has 5001)."),
        ({"message": 12}, [], "message", "Expected text."),
        (
            {"subject": "a\x00b"},
            [],
            "subject",
            "This text contains characters that are not allowed.",
        ),
        ({"colour": "red"}, [], "colour", "Unknown field."),
    ],
)
def test_contact(d, change, drop, field, message):
    bad(d, "contact", change, field, message, drop=drop)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"line": ""}, "line", REQUIRED),
        ({"postal_code": "1131"}, "postal_code", "Expected a postal code of 5 digits."),
        ({"postal_code": "１１３１０"}, "postal_code", "Expected a postal code of 5 digits."),
        ({"city": None}, "city", REQUIRED),
        ({"effective_on": "01/12/2026"}, "effective_on", "Expected a date such as 2026-09-01."),
        ({"effective_on": "2026-02-30"}, "effective_on", "Expected a date such as 2026-09-01."),
        (
            {"effective_on": "2029-01-01"},
            "effective_on",
            "Expected a date from 2025-11-02 to 2027-11-04.",
        ),
    ],
)
def test_address_change(d, change, field, message):
    bad(d, "address_change", change, field, message)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"quotient": -1}, "quotient", "Expected a number from 0 to 99999."),
        ({"quotient": 650.5}, "quotient", "Expected a whole number."),
        ({"quotient": True}, "quotient", "Expected a whole number."),
        ({"valid_from": None}, "valid_from", REQUIRED),
        ({"valid_to": "2026-11-30"}, "valid_to", "The end must not be before the start."),
    ],
)
def test_qf_declaration(d, change, field, message):
    bad(d, "qf_declaration", change, field, message)


def test_qf_declaration_without_end_is_until_further_notice(d):
    data = {**valid_data(d, "qf_declaration"), "valid_to": None}
    assert submit_new(d, "qf_declaration", data).data == {
        "quotient": 650,
        "valid_from": "2026-12-01",
    }


def test_enrolment_refuses_another_household_child_and_unknown_activity(d):
    stranger = factories.child()
    bad(
        d,
        "enrolment",
        {"child_id": stranger.pk},
        "child_id",
        "This child is not one of your household's children.",
    )
    bad(d, "enrolment", {"activity_id": 999999}, "activity_id", "This activity does not exist.")


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"valid_from": "2027-01-01", "valid_to": "2026-12-01"},
            "valid_to",
            "The end must not be before the start.",
        ),
        ({"valid_from": "2026-01-05", "valid_to": "2026-06-30"}, "valid_to", "The period is over."),
        (
            {"valid_from": "2026-11-16", "valid_to": "2028-01-01"},
            "valid_to",
            "A period of at most 400 days.",
        ),
        ({"child_id": "abc"}, "child_id", "Expected a whole number."),
    ],
)
def test_enrolment_period(d, change, field, message):
    bad(d, "enrolment", change, field, message)


def test_enrolment_in_an_activity_the_child_already_has(d):
    factories.enrolment(d.child, d.activity)
    bad(d, "enrolment", {}, "activity_id", "This child is already enrolled in this activity then.")


def test_family_file_errors_name_their_place_in_the_lists(d):
    data = valid_data(d, "family_file")
    data["guardians"][0]["phone"] = "call me"
    bad(
        d,
        "family_file",
        {"guardians": data["guardians"]},
        "guardians.0.phone",
        "Expected a phone number.",
    )
    data = valid_data(d, "family_file")
    data["children"][1]["pai"] = "yes"
    bad(d, "family_file", {"children": data["children"]}, "children.1.pai", "Answer yes or no.")
    data = valid_data(d, "family_file")
    data["children"][1]["child_id"] = data["children"][0]["child_id"]
    bad(
        d,
        "family_file",
        {"children": data["children"]},
        "children.1.child_id",
        "This child is listed twice.",
    )
    bad(d, "family_file", {}, "image_rights", "Answer yes or no.", drop=["image_rights"])
    bad(d, "family_file", {"guardians": []}, "guardians", "Expected from 1 to 4 items.")
    bad(
        d,
        "family_file",
        {"school_year": 2030},
        "school_year",
        "Expected a number from 2025 to 2027.",
    )


@pytest.mark.parametrize(
    ("change", "drop", "field", "message"),
    [
        (
            {},
            ["expected_on"],
            "birth_date",
            "Give the birth date or, if not born yet, the expected date.",
        ),
        (
            {"birth_date": "2026-10-01"},
            [],
            "expected_on",
            "Give the birth date or the expected date, not both.",
        ),
        (
            {"start_on": "2026-10-01"},
            [],
            "start_on",
            "Expected a date from 2026-11-03 to 2028-11-04.",
        ),
        ({"days_per_week": 6}, [], "days_per_week", "Expected a number from 1 to 5."),
        ({"sites": []}, [], "sites", REQUIRED),
        ({"sites": [999999]}, [], "sites", "One of these sites does not exist."),
        ({"sites": [1, 1]}, [], "sites", "Expected at most 5 different items."),
    ],
)
def test_early_childhood(d, change, drop, field, message):
    bad(d, "early_childhood", change, field, message, drop=drop)


def test_every_bad_field_is_listed_at_once(d):
    with pytest.raises(RequestRefused) as refused:
        submit_new(d, "address_change", {"postal_code": "x", "effective_on": "never"})
    assert set(refused.value.fields) == {"line", "postal_code", "city", "effective_on"}
    assert Request.objects.count() == 0


def test_an_unknown_procedure_or_data_that_is_not_an_object(d):
    with pytest.raises(RequestRefused) as refused:
        submit_new(d, "passport", {})
    assert refused.value.fields == {"procedure": "This procedure does not exist."}
    with pytest.raises(RequestRefused) as refused:
        submit_new(d, "contact", ["service"])
    assert refused.value.fields == {"data": "Expected an object."}
