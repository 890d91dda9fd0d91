"""Dates at the edges of the calendar (0001-01-01, 9999-12-31) in any staff page, export or
staff API call: a clear 400 (or 422 from the API) naming the allowed years, never a 500."""

import pytest
from django.urls import reverse
from django.utils import translation

from portail.activities.models import Enrolment
from portail.backoffice.dates import parse_staff_date
from portail.billing.models import Payment
from portail.reservations.forms import FIRST_YEAR, LAST_YEAR
from tests.world.staff import client_for
from tests.world.town import build_town

pytestmark = pytest.mark.django_db

EXTREMES = ("0001-01-01", "9999-12-31")


@pytest.fixture
def town():
    with translation.override("en"):
        yield build_town()


def assert_refused_clearly(response) -> None:
    assert response.status_code == 400, response.status_code
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert f"between {FIRST_YEAR} and {LAST_YEAR}" in html


@pytest.mark.parametrize("day", EXTREMES)
def test_the_attendance_day_list(town, day):
    for user in (town.gestionnaire, town.pointage):
        response = client_for(user, "en").get(reverse("backoffice:attendance"), {"date": day})
        assert_refused_clearly(response)


@pytest.mark.parametrize("day", EXTREMES)
@pytest.mark.parametrize("period", ["day", "week", "month"])
@pytest.mark.parametrize("page", ["headcounts", "headcounts_csv", "headcounts_xlsx"])
def test_head_counts_and_their_exports(town, day, period, page):
    response = client_for(town.cuisine, "en").get(
        reverse(f"backoffice:{page}"), {"date": day, "period": period}
    )
    assert_refused_clearly(response)  # the page with the error, never a file


@pytest.mark.parametrize("day", EXTREMES)
@pytest.mark.parametrize("period", ["day", "week"])
def test_the_sessions_page(town, day, period):
    response = client_for(town.gestionnaire, "en").get(
        reverse("backoffice:sessions"), {"date": day, "period": period}
    )
    assert_refused_clearly(response)


@pytest.mark.parametrize("day", EXTREMES)
def test_the_payments_filter(town, day):
    client = client_for(town.gestionnaire, "en")
    for query in ({"start": day, "end": "2026-01-31"}, {"start": "2026-01-01", "end": day}):
        assert_refused_clearly(client.get(reverse("backoffice:payments"), query))
    assert_refused_clearly(client.get(reverse("backoffice:payments"), {"start": day, "end": day}))


@pytest.mark.parametrize("day", EXTREMES)
def test_the_regie_export(town, day):
    client = client_for(town.gestionnaire, "en")
    for query in (
        {"export-start": day, "export-end": day},
        {"export-start": day, "export-end": "2026-01-31"},
        {"export-start": "2026-01-01", "export-end": day},
    ):
        assert_refused_clearly(client.get(reverse("backoffice:payments_export"), query))
    assert not Payment.objects.exists()


@pytest.mark.parametrize("day", EXTREMES)
def test_the_enrolment_form(town, day):
    response = client_for(town.gestionnaire, "en").post(
        reverse("backoffice:household_enrol", args=[town.martin.pk]),
        {
            "enrol-child": town.emy.pk,
            "enrol-activity": town.canteen.pk,
            "enrol-valid_from": "2026-09-01",
            "enrol-valid_to": day,
        },
    )
    assert response.status_code == 400
    assert Enrolment.objects.filter(child=town.emy).count() == 2  # the world's two


@pytest.mark.parametrize("day", EXTREMES)
def test_the_staff_api_head_counts(town, day):
    response = client_for(town.cuisine, "en").get("/api/v1/staff/headcounts", {"date": day})
    assert response.status_code == 422
    error = response.json()["error"]
    assert (error["code"], error["field"]) == ("invalid_field", "date")


@pytest.mark.parametrize("day", EXTREMES)
def test_the_staff_api_household_creation(town, day):
    response = client_for(town.gestionnaire, "en").post(
        "/api/v1/staff/households",
        {
            "name": "LOIN",
            "guardians": [{"email": "loin@example.org", "first_name": "Léa", "last_name": "LOIN"}],
            "children": [
                {
                    "first_name": "Zoé",
                    "last_name": "LOIN",
                    "birth_date": "2018-03-04",
                    "enrolments": [
                        {
                            "activity_id": town.canteen.pk,
                            "valid_from": "2026-09-01",
                            "valid_to": day,
                        }
                    ],
                }
            ],
        },
        content_type="application/json",
    )
    assert response.status_code == 422, response.content
    assert response.json()["error"]["field"].endswith("valid_to")


def test_the_one_reader():
    assert parse_staff_date("2026-12-07").isoformat() == "2026-12-07"
    assert parse_staff_date("07/12/2026").isoformat() == "2026-12-07"
    assert parse_staff_date(f"{LAST_YEAR}-12-31") is not None
    assert parse_staff_date(f"{FIRST_YEAR}-01-01") is not None
    for bad in (*EXTREMES, f"{FIRST_YEAR - 1}-12-31", f"{LAST_YEAR + 1}-01-01", "2026-02-30", ""):
        assert parse_staff_date(bad) is None


def test_the_last_allowed_month_still_works(town):
    client = client_for(town.gestionnaire, "en")
    last = f"{LAST_YEAR}-12-31"
    for page in ("headcounts", "headcounts_csv", "headcounts_xlsx"):
        response = client.get(reverse(f"backoffice:{page}"), {"date": last, "period": "month"})
        assert response.status_code == 200
    assert client.get(reverse("backoffice:attendance"), {"date": last}).status_code == 200
    first = f"{FIRST_YEAR}-01-01"
    assert client.get(reverse("backoffice:attendance"), {"date": first}).status_code == 200
    response = client.get(
        reverse("backoffice:payments_export"), {"export-start": last, "export-end": last}
    )
    assert response.status_code == 200
