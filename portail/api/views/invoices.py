"""The household's invoices: list, one invoice with its lines, its PDF.

- GET invoices: every invoice of the caller's household, newest first;
- GET invoices/{id}: the same fields plus its lines (child, activity, day, label,
  quantity, unit price, total);
- GET invoices/{id}/pdf: the invoice's PDF (the page's), `application/pdf`.

Another household's invoice answers 404 `not_found`, exactly like one that does not
exist (billing.invoicing.queries scopes every query to the household).

`invoice_json(invoice, lines=False)` and the schemas INVOICE_SCHEMA /
INVOICE_DETAIL_SCHEMA are the one serializer of an invoice for every endpoint (the
checkout's and staff's endpoints reuse them).
"""

from typing import Any

from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header

from portail.api import openapi
from portail.api.http import ApiRequest, endpoint, json_response, not_found_error
from portail.billing.invoicing.documents import child_name, invoice_filename, invoice_pdf
from portail.billing.invoicing.queries import household_invoices, invoice_for_household
from portail.billing.models import Invoice, InvoiceStatus

INVOICE_FIELDS = {
    "id": openapi.INTEGER,
    "number": {**openapi.STRING, "examples": ["FA2026-000123"]},
    "issued_on": openapi.DATE,
    "due_on": openapi.DATE,
    "status": openapi.enum(
        *InvoiceStatus.values,
        description="unpaid, partially_paid, paid, or cancelled (by credit notes).",
    ),
    "total_cents": openapi.CENTS,
    "paid_cents": {
        **openapi.CENTS,
        "description": "Everything applied to it: online, at the counter, the household's credit.",
    },
    "remaining_cents": {
        **openapi.CENTS,
        "description": "What is left to pay: total − paid − cancelled by credit notes + "
        "given back as credit.",
    },
}
INVOICE_SCHEMA = openapi.component("Invoice", openapi.obj(INVOICE_FIELDS))
LINE_SCHEMA = openapi.component(
    "InvoiceLine",
    openapi.obj(
        {
            "child_id": openapi.INTEGER,
            "child": {**openapi.STRING, "description": "“LAST NAME First name”."},
            "activity": openapi.STRING,
            "date": openapi.DATE,
            "label": openapi.STRING,
            "quantity": openapi.INTEGER,
            "unit_price_cents": openapi.CENTS,
            "total_cents": openapi.CENTS,
        }
    ),
)
INVOICE_DETAIL_SCHEMA = openapi.component(
    "InvoiceDetail", openapi.obj({**INVOICE_FIELDS, "lines": openapi.array(LINE_SCHEMA)})
)
NOT_FOUND = "`not_found`: no such invoice in the caller's household."


def invoice_json(invoice: Invoice, lines: bool = False) -> dict[str, Any]:
    """An invoice as the API gives it; `lines`: with its lines (prefetch them:
    billing.invoicing.queries.with_lines)."""
    data: dict[str, Any] = {
        "id": invoice.pk,
        "number": invoice.number,
        "issued_on": invoice.issued_on,
        "due_on": invoice.due_on,
        "status": invoice.status,
        "total_cents": invoice.total_cents,
        "paid_cents": invoice.paid_cents,
        "remaining_cents": invoice.remaining_cents,
    }
    if lines:
        data["lines"] = [
            {
                "child_id": line.child_id,
                "child": child_name(line.child),
                "activity": line.session.activity.name,
                "date": line.session.date,
                "label": line.get_kind_display(),
                "quantity": line.quantity,
                "unit_price_cents": line.unit_price_cents,
                "total_cents": line.total_cents,
            }
            for line in invoice.lines.all()
        ]
    return data


def _invoice(request: ApiRequest, invoice_id: int) -> Invoice:
    try:
        return invoice_for_household(request.household, invoice_id)
    except Http404:
        raise not_found_error() from None


@endpoint(
    methods=("GET",),
    auth="guardian",
    summary="The household's invoices",
    description="Every invoice of the caller's household, newest first (what is billed "
    "after the fact: activities invoiced on attendance or on booking, surcharges).",
    response=openapi.array(INVOICE_SCHEMA),
)
def invoice_list(request: ApiRequest) -> HttpResponse:
    return json_response(
        [invoice_json(invoice) for invoice in household_invoices(request.household)]
    )


@endpoint(
    methods=("GET",),
    auth="guardian",
    summary="One invoice, with its lines",
    response=INVOICE_DETAIL_SCHEMA,
    errors={404: NOT_FOUND},
)
def invoice_detail(request: ApiRequest, invoice_id: int) -> HttpResponse:
    return json_response(invoice_json(_invoice(request, invoice_id), lines=True))


@endpoint(
    methods=("GET",),
    auth="guardian",
    summary="An invoice as PDF",
    description="The invoice's PDF (the collectivité and its régie, number, dates, lines "
    "per child, totals, paid, remaining, how to pay), as `application/pdf` (not JSON), in "
    "the request's language.",
    content_type="application/pdf",
    errors={404: NOT_FOUND},
)
def invoice_pdf_file(request: ApiRequest, invoice_id: int) -> HttpResponse:
    invoice = _invoice(request, invoice_id)
    response = HttpResponse(invoice_pdf(invoice), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, invoice_filename(invoice))
    return response
