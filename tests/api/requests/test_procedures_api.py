"""GET /api/v1/procedures: the open procedures, in the city's order, with exactly the
contract's keys."""

import pytest
from django.test import Client

from portail.procedures.models import Procedure
from tests.api.conftest import error_of

pytestmark = pytest.mark.django_db

THE_SIX = [
    "contact",
    "address_change",
    "qf_declaration",
    "family_file",
    "enrolment",
    "early_childhood",
]


def test_the_six_procedures_with_their_code_title_and_help_text(api):
    response = api.get(api.family, "/procedures")

    assert response.status_code == 200
    body = response.json()
    assert [item["code"] for item in body] == THE_SIX
    assert all(set(item) == {"code", "title", "description"} for item in body)
    contact = Procedure.objects.get(code="contact")
    assert body[0] == {
        "code": "contact",
        "title": contact.title,
        "description": contact.description,
    }
    assert body[0]["title"] == "CONTACTER UN SERVICE"


def test_a_closed_procedure_is_not_listed(api):
    Procedure.objects.filter(code="qf_declaration").update(is_open=False)
    Procedure.objects.filter(code="contact").update(description="Écrivez-nous.")

    body = api.get(api.family, "/procedures").json()

    assert [item["code"] for item in body] == [c for c in THE_SIX if c != "qf_declaration"]
    assert body[0]["description"] == "Écrivez-nous."


def test_families_only(api):
    response = api.get(api.manager, "/procedures")
    assert response.status_code == 403
    assert error_of(response)["code"] == "permission_denied"
    response = Client().get("/api/v1/procedures")
    assert response.status_code == 401
    assert error_of(response)["code"] == "not_authenticated"
