"""Every kind of credit movement the ledger writes is one the OpenAPI document declares
for `GET /api/v1/credits` (a movement of an undeclared kind would break a client that
validates answers against the document)."""

from portail.api.openapi import build_document
from portail.billing.models import CreditKind


def test_the_document_lists_every_credit_kind():
    schema = build_document()["components"]["schemas"]
    entry = next(s for s in schema.values() if "balance_after_cents" in s.get("properties", {}))
    assert set(entry["properties"]["kind"]["enum"]) == set(CreditKind.values)
