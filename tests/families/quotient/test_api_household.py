"""GET /api/v1/household: the household's address and the QF valid today (the portal's
time zone), in the shape the OpenAPI document declares."""

import datetime

import pytest

from tests import factories
from tests.api.test_household import validate_against_openapi

pytestmark = pytest.mark.django_db
URL = "/api/v1/household"
D = datetime.date


def family_client(client, **fields):
    household = factories.household(**fields)
    guardian = factories.guardian(household)
    client.force_login(guardian.user)
    return household


def test_address_and_todays_quotient(client):
    household = family_client(
        client, address="3 rue des Lilas\nBât. B", postal_code="11000", city="Carcassonne"
    )
    factories.quotient_period(household, 380, D(2026, 1, 1), D(2026, 8, 31))
    factories.quotient_period(household, 450, D(2026, 9, 1), D(2027, 8, 31))
    factories.quotient_period(household, 900, D(2027, 9, 1))

    data = client.get(URL).json()

    assert data["address"] == {
        "line": "3 rue des Lilas\nBât. B",
        "postal_code": "11000",
        "city": "Carcassonne",
    }
    assert data["quotient"] == {"value": 450, "valid_from": "2026-09-01", "valid_to": "2027-08-31"}
    validate_against_openapi(data, "Household")


def test_an_open_ended_quotient_has_a_null_end(client):
    household = family_client(client)
    factories.quotient_period(household, 0, D(2026, 11, 3))
    data = client.get(URL).json()
    assert data["quotient"] == {"value": 0, "valid_from": "2026-11-03", "valid_to": None}
    validate_against_openapi(data, "Household")


def test_no_quotient_valid_today_is_null(client):
    household = family_client(client)
    factories.quotient_period(household, 450, D(2025, 9, 1), D(2026, 8, 31))  # expired
    factories.quotient_period(household, 500, D(2027, 1, 1))  # not yet
    data = client.get(URL).json()
    assert data["address"] == {"line": "", "postal_code": "", "city": ""}
    assert data["quotient"] is None
    validate_against_openapi(data, "Household")


def test_today_is_the_portals_day_not_utc(client, time_machine):
    household = family_client(client)
    factories.quotient_period(household, 450, D(2026, 9, 1), D(2026, 11, 2))
    factories.quotient_period(household, 700, D(2026, 11, 3))
    # 23:30 UTC on 2 November is already 00:30 on 3 November in Paris.
    time_machine.move_to(datetime.datetime(2026, 11, 2, 23, 30, tzinfo=datetime.UTC))
    assert client.get(URL).json()["quotient"]["value"] == 700
