"""GET /api/v1/invoices, /invoices/{id}, /invoices/{id}/pdf: the contract's exact fields,
the household's own invoices only (another household's id answers 404 like an unknown
one), documented in the OpenAPI document with every status."""

import jsonschema
import pytest

from portail.api.openapi import build_document
from tests.api.conftest import error_of
from tests.pdftext import text as pdf_text
from tests.world import invoices as w

from .helpers import invoiced_world, login, pay

pytestmark = pytest.mark.django_db

FIELDS = {
    "id",
    "number",
    "issued_on",
    "due_on",
    "status",
    "total_cents",
    "paid_cents",
    "remaining_cents",
}
LINE_FIELDS = {
    "child_id",
    "child",
    "activity",
    "date",
    "label",
    "quantity",
    "unit_price_cents",
    "total_cents",
}


def validate(data, schema_name: str) -> None:
    document = build_document()
    schema = {"$ref": f"#/components/schemas/{schema_name}", "components": document["components"]}
    jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)


def test_the_list_has_exactly_the_contracts_fields(client):
    world, invoice = invoiced_world()
    pay(invoice, 300)
    login(client, world)
    response = client.get("/api/v1/invoices")
    assert response.status_code == 200
    assert response.json() == [
        {
            "id": invoice.pk,
            "number": invoice.number,
            "issued_on": "2026-11-03",
            "due_on": "2026-12-03",
            "status": "partially_paid",
            "total_cents": 1100,
            "paid_cents": 300,
            "remaining_cents": 800,
        }
    ]
    for item in response.json():
        validate(item, "Invoice")


def test_the_detail_adds_its_lines(client):
    world, invoice = invoiced_world()
    login(client, world)
    data = client.get(f"/api/v1/invoices/{invoice.pk}").json()
    assert set(data) == FIELDS | {"lines"}
    validate(data, "InvoiceDetail")
    assert all(set(line) == LINE_FIELDS for line in data["lines"])
    first, second = world.children
    assert [
        (line["child_id"], line["date"], line["activity"], line["total_cents"])
        for line in data["lines"]
    ] == [
        (first.pk, "2026-10-05", "ALAE soir", 100),
        (first.pk, "2026-10-06", "ALAE soir", 100),
        (first.pk, "2026-10-07", "Centre de loisirs", 800),
        (second.pk, "2026-10-08", "ALAE soir", 100),
    ]
    assert data["lines"][0]["child"] == f"{first.last_name} {first.first_name}"
    assert data["lines"][0]["quantity"] == 1 and data["lines"][0]["unit_price_cents"] == 100


def test_the_pdf(client):
    world, invoice = invoiced_world()
    login(client, world)
    response = client.get(f"/api/v1/invoices/{invoice.pk}/pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert invoice.number in pdf_text(response.content)


@pytest.mark.parametrize("suffix", ["", "/pdf"])
def test_another_households_invoice_is_404_like_an_unknown_one(client, suffix):
    world, invoice = invoiced_world()
    household, _kid = w.another_household(world)
    client.force_login(household.guardians.get().user)
    assert client.get("/api/v1/invoices").json() == []
    theirs = client.get(f"/api/v1/invoices/{invoice.pk}{suffix}")
    unknown = client.get(f"/api/v1/invoices/{invoice.pk + 1000}{suffix}")
    assert theirs.status_code == unknown.status_code == 404
    assert error_of(theirs) == error_of(unknown)
    assert error_of(theirs)["code"] == "not_found"


def test_anonymous_is_401(client):
    assert client.get("/api/v1/invoices").status_code == 401


def test_the_openapi_document_lists_every_status():
    paths = build_document()["paths"]
    listing = paths["/invoices"]["get"]["responses"]
    assert {"200", "401", "403", "503"} <= set(listing)
    for path in ("/invoices/{invoice_id}", "/invoices/{invoice_id}/pdf"):
        assert {"200", "401", "403", "404", "503"} <= set(paths[path]["get"]["responses"])
