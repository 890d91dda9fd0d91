"""The PDF endpoints document their success as application/pdf, not JSON."""

import pytest

from tests.api.document import document, operation

pytestmark = pytest.mark.django_db

PDF_OPERATIONS = [
    "/baskets/{basket_id}/pdf",
    "/invoices/{invoice_id}/pdf",
    "/enrolments/{enrolment_id}/recap.pdf",
]


def test_the_pdf_operations_answer_application_pdf():
    doc = document()
    for path in PDF_OPERATIONS:
        success = operation(doc, "GET", path)["responses"]["200"]
        assert set(success["content"]) == {"application/pdf"}, path
        assert success["content"]["application/pdf"]["schema"] == {
            "type": "string",
            "format": "binary",
        }


def test_no_other_success_is_said_to_be_a_pdf():
    doc = document()
    pdfs = {
        path
        for path, item in doc["paths"].items()
        for op in item.values()
        for status, answer in op["responses"].items()
        if status.startswith("2") and "application/pdf" in answer.get("content", {})
    }
    assert pdfs == set(PDF_OPERATIONS)
