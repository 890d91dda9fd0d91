"""GET /api/v1/household: the contract's exact shape, isolation, constant queries."""

import datetime

import jsonschema
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from portail.api.openapi import build_document
from tests import factories
from tests.api.conftest import PASSWORD, bearer, error_of, get_token

URL = "/api/v1/household"
pytestmark = pytest.mark.django_db


def make_family(name: str, children: int, enrolments_each: int = 2):
    household = factories.household(name=name)
    guardian = factories.guardian(
        household, email=f"{name.lower()}@example.org", first_name="Anne", last_name=name
    )
    site = factories.site(name=f"École {name}")
    activities = [factories.activity(site, name=f"Activité {i}") for i in range(enrolments_each)]
    for c in range(children):
        kid = factories.child(household, first_name=f"Enfant{c}", last_name=name)
        for act in activities:
            factories.enrolment(kid, act, datetime.date(2026, 9, 1), datetime.date(2027, 7, 6))
    return household, guardian


def validate_against_openapi(data: dict, schema_name: str) -> None:
    document = build_document()
    schema = {"$ref": f"#/components/schemas/{schema_name}", "components": document["components"]}
    jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)


def test_household_has_exactly_the_contract_shape(client):
    household = factories.household(name="MARTIN")
    anne = factories.guardian(
        household, email="anne@example.org", first_name="Anne", last_name="Martin"
    )
    paul = factories.guardian(
        household, email="paul@example.org", first_name="Paul", last_name="Martin"
    )
    site = factories.site(name="École de Malves")
    canteen = factories.activity(site, name="Restauration Scolaire Malves")
    emy = factories.child(
        household, first_name="Emy", last_name="Martin", birth_date=datetime.date(2016, 3, 9)
    )
    lise = factories.child(
        household, first_name="Lise", last_name="Martin", birth_date=datetime.date(2018, 11, 2)
    )
    enrolment = factories.enrolment(
        emy, canteen, datetime.date(2022, 9, 1), datetime.date(2023, 3, 17)
    )
    client.force_login(anne.user)

    response = client.get(URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "id": household.pk,
        "name": "MARTIN",
        "credit_balance_cents": 0,
        "address": {"line": "", "postal_code": "", "city": ""},
        "quotient": None,
        "guardians": [
            {
                "id": anne.pk,
                "email": "anne@example.org",
                "first_name": "Anne",
                "last_name": "Martin",
            },
            {
                "id": paul.pk,
                "email": "paul@example.org",
                "first_name": "Paul",
                "last_name": "Martin",
            },
        ],
        "children": [
            {
                "id": emy.pk,
                "first_name": "Emy",
                "last_name": "Martin",
                "birth_date": "2016-03-09",
                "enrolments": [
                    {
                        "id": enrolment.pk,
                        "activity": {
                            "id": canteen.pk,
                            "name": "Restauration Scolaire Malves",
                            "site": "École de Malves",
                        },
                        "valid_from": "2022-09-01",
                        "valid_to": "2023-03-17",
                    }
                ],
            },
            {
                "id": lise.pk,
                "first_name": "Lise",
                "last_name": "Martin",
                "birth_date": "2018-11-02",
                "enrolments": [],
            },
        ],
    }
    validate_against_openapi(response.json(), "Household")


def test_household_is_also_read_with_a_bearer_token(client):
    household, guardian = make_family("DURAND", children=1)
    token = get_token(client, "durand@example.org", PASSWORD)

    response = Client().get(URL, headers=bearer(token))

    assert response.json()["name"] == "DURAND"
    assert len(response.json()["children"][0]["enrolments"]) == 2


def test_guardian_never_sees_another_household_whatever_the_url(client):
    mine, me = make_family("MOI", children=1)
    theirs, _them = make_family("AUTRE", children=2)
    their_child = theirs.children.first()
    their_enrolment = their_child.enrolments.first()
    client.force_login(me.user)

    plain = client.get(URL)
    with_query = client.get(URL, {"id": theirs.pk, "household": theirs.pk})
    assert plain.json() == with_query.json()
    assert plain.json()["id"] == mine.pk
    assert theirs.name not in plain.content.decode()

    for url in [
        f"/api/v1/household/{theirs.pk}",
        f"/api/v1/households/{theirs.pk}",
        f"/api/v1/children/{their_child.pk}",
        f"/api/v1/children/{their_child.pk}/enrolments/{their_enrolment.pk}",
        f"/api/v1/enrolments/{their_enrolment.pk}",
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert error_of(response)["code"] == "not_found"
        assert "AUTRE" not in response.content.decode()


def test_staff_without_a_household_is_403(client, staff_user):
    client.force_login(staff_user)

    response = client.get(URL)

    assert response.status_code == 403
    error = error_of(response)
    assert error["code"] == "permission_denied"
    assert error["message"] == (
        "Cette adresse de l'API est réservée aux responsables légaux d'un foyer."
    )


def test_staff_error_message_follows_the_accounts_language(client, db):
    agent = factories.staff(language="en")
    client.force_login(agent)

    response = client.get(URL)

    assert error_of(response)["message"] == "This endpoint is for guardians of a household."


def count_queries(household_name: str, children: int) -> int:
    _household, guardian = make_family(household_name, children=children)
    api = Client()
    api.force_login(guardian.user)
    with CaptureQueriesContext(connection) as queries:
        response = api.get(URL)
    assert response.status_code == 200
    assert len(response.json()["children"]) == children
    return len(queries)


def test_query_count_does_not_grow_with_children_and_enrolments(db):
    one = count_queries("UN", children=1)
    five = count_queries("CINQ", children=5)

    assert one == five
    assert five <= 6, five
