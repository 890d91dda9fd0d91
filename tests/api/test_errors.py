"""Error answers: JSON envelope, status, code, language; the field readers over HTTP."""

import datetime

import pytest
from django.test import Client
from django.utils.crypto import get_random_string

from tests import factories
from tests.api.conftest import error_of, post_json

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api.probe")]

VALID = {
    "child_id": 7,
    "name": " Emy ",
    "day": "2026-12-07",
    "week": "2026-W49",
    "flag": False,
    "action": "book",
    "days": ["2026-12-07", "2026-12-08"],
    "lines": [{"date": "2026-12-10"}],
}


@pytest.fixture
def parent(client, guardian):
    client.force_login(guardian.user)
    return client


def probe(client: Client, changes: dict, drop: str | None = None, **kwargs):
    data = {**VALID, **changes}
    if drop:
        del data[drop]
    return post_json(client, "/probe/fields", data, **kwargs)


def test_valid_fields_are_read_with_their_types(parent):
    response = probe(parent, {})

    assert response.status_code == 200
    assert response.json() == {
        "child_id": 7,
        "name": "Emy",
        "day": "2026-12-07",
        "week": "2026-11-30",
        "flag": False,
        "action": "book",
        "days": ["2026-12-07", "2026-12-08"],
        "line_days": ["2026-12-10"],
        "note": "none",
    }


def test_bad_json_is_400_invalid_json_in_french_then_english(parent):
    url = "/probe/fields"
    french = parent.post(url, data="{not json", content_type="application/json")
    english = parent.post(
        url, data="{not json", content_type="application/json", headers={"Accept-Language": "en"}
    )

    assert french.status_code == english.status_code == 400
    assert error_of(french) == {
        "code": "invalid_json",
        "message": "Le corps de la requête n'est pas du JSON valide.",
    }
    assert error_of(english) == {
        "code": "invalid_json",
        "message": "The request body is not valid JSON.",
    }


def test_json_array_body_is_400_invalid_json(parent):
    response = post_json(parent, "/probe/fields", [VALID])

    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid_json"
    assert error_of(response)["message"] == "Le corps de la requête doit être un objet JSON."


def test_nan_is_not_json(parent):
    response = parent.post(
        "/probe/fields", data='{"child_id": NaN}', content_type="application/json"
    )

    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid_json"


def test_multipart_form_read_by_the_csrf_check_is_415_invalid_json(guardian):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(guardian.user)
    csrf = get_random_string(32)
    browser.cookies["csrftoken"] = csrf

    response = browser.post("/probe/fields", {"csrfmiddlewaretoken": csrf, "child_id": "7"})

    assert response.status_code == 415
    assert error_of(response)["code"] == "invalid_json"


def test_a_malformed_multipart_body_in_a_session_is_a_json_400(guardian):
    """The CSRF check reads a session's form body first: a multipart body without its
    boundary gets the API's JSON error, not Django's HTML 400 page."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(guardian.user)
    browser.cookies["csrftoken"] = get_random_string(32)

    response = browser.generic(
        "POST", "/probe/fields", b"--x\r\n", content_type="multipart/form-data"
    )

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert error_of(response) == {
        "code": "invalid_body",
        "message": "Le corps de la requête n'est pas un formulaire bien formé.",
    }


def test_form_encoded_body_is_415_invalid_json(parent):
    response = parent.post("/probe/fields", {"child_id": "7"})

    assert response.status_code == 415
    assert error_of(response)["code"] == "invalid_json"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"child_id": "7"}, "child_id"),
        ({"child_id": True}, "child_id"),
        ({"child_id": 7.5}, "child_id"),
        ({"child_id": 0}, "child_id"),
        ({"name": 3}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 11}, "name"),
        ({"name": "a\x00b"}, "name"),
        ({"day": "07/12/2026"}, "day"),
        ({"day": "2026-02-30"}, "day"),
        ({"day": "2026-W49-1"}, "day"),
        ({"week": "2026-W54"}, "week"),
        ({"week": "2025-W53"}, "week"),  # 2025 has 52 weeks (2026 has 53)
        ({"week": "2026-W00"}, "week"),
        ({"week": "2026-49"}, "week"),
        ({"flag": 0}, "flag"),
        ({"flag": "false"}, "flag"),
        ({"action": "delete"}, "action"),
        ({"days": "2026-12-07"}, "days"),
        ({"days": ["2026-12-07", 5]}, "days[1]"),
        ({"lines": [{"date": "2026-12-10"}, {"date": "demain"}]}, "lines[1].date"),
        ({"lines": [{}, {}, {}, {}]}, "lines"),
        ({"lines": ["x"]}, "lines[0]"),
        ({"note": 5}, "note"),
    ],
)
def test_wrong_types_and_values_are_422_naming_the_field(parent, changes, field):
    response = probe(parent, changes)

    assert response.status_code == 422, response.content
    error = error_of(response)
    assert error["code"] == "invalid_field"
    assert error["field"] == field
    assert f"« {field} »" in error["message"]


def test_string_for_int_message_in_french_and_english(parent):
    french = probe(parent, {"child_id": "7"})
    english = probe(parent, {"child_id": "7"}, headers={"Accept-Language": "en-GB,en;q=0.8"})

    assert error_of(french)["message"] == "Le champ « child_id » doit être un nombre entier."
    assert error_of(english)["message"] == "The field “child_id” must be an integer."


def test_missing_field_is_422_required(parent):
    response = probe(parent, {}, drop="day")

    assert response.status_code == 422
    assert error_of(response) == {
        "code": "invalid_field",
        "field": "day",
        "message": "Le champ « day » est obligatoire.",
    }


def test_null_counts_as_missing(parent):
    response = probe(parent, {"child_id": None})

    assert error_of(response)["field"] == "child_id"
    assert "obligatoire" in error_of(response)["message"]


def test_optional_field_is_read_when_present(parent):
    assert probe(parent, {"note": "  hi "}).json()["note"] == "hi"


def test_week_53_exists_in_2026(parent):
    assert probe(parent, {"week": "2026-W53"}).json()["week"] == "2026-12-28"


def test_users_language_is_used_without_accept_language(client):
    guardian = factories.guardian(language="en")
    client.force_login(guardian.user)

    response = probe(client, {"child_id": "7"})

    assert error_of(response)["message"] == "The field “child_id” must be an integer."
    assert response["Content-Language"] == "en"


def test_accept_language_wins_over_the_users_language(client):
    guardian = factories.guardian(language="en")
    client.force_login(guardian.user)

    response = probe(client, {"child_id": "7"}, headers={"Accept-Language": "fr-FR,fr;q=0.9"})

    assert error_of(response)["message"] == "Le champ « child_id » doit être un nombre entier."


def test_unsupported_accept_language_falls_back_to_french(parent):
    response = probe(parent, {"child_id": "7"}, headers={"Accept-Language": "de, *;q=0.5"})

    assert error_of(response)["message"] == "Le champ « child_id » doit être un nombre entier."


def test_another_households_child_is_404_like_an_unknown_id(parent, guardian):
    mine = factories.child(guardian.household)
    theirs = factories.child(factories.household(name="AUTRE"))

    own = parent.get(f"/probe/children/{mine.pk}")
    other = parent.get(f"/probe/children/{theirs.pk}")
    unknown = parent.get(f"/probe/children/{theirs.pk + 1000}")

    assert own.status_code == 200
    assert other.status_code == unknown.status_code == 404
    assert (
        other.json()
        == unknown.json()
        == {"error": {"code": "not_found", "message": "Introuvable."}}
    )


def test_auth_is_checked_before_the_body(client, db):
    response = client.post("/probe/fields", data="{oops", content_type="application/json")

    assert response.status_code == 401
    assert error_of(response)["code"] == "not_authenticated"


def test_dates_are_serialised_as_iso(parent):
    assert datetime.date.fromisoformat(probe(parent, {}).json()["day"]) == datetime.date(
        2026, 12, 7
    )
