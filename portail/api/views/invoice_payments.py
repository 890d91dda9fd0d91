"""Paying invoices: the family's checkout, and the staff's counter payments and
cancellation. The rules are billing.invoicing's (online.py, settling.py).

- POST invoices/{id}/checkout (guardian) with `{"use_credit": true|false}`: the
  household's credit first if asked, then PayFiP for what remains:
  `{"status": "awaiting_payment", "amount_cents", "payment_url"}`, or `{"status":
  "paid"}` when the credit covered it; 409 `nothing_due` on a paid or cancelled invoice.
  Another household's invoice answers 404, like one that does not exist.
- POST staff/invoices/{id}/payments (gestionnaire) with `{"amount_cents", "method"}`
  (+ optional "reference"): money received at the counter, partial or whole; 201 and the
  invoice as GET invoices/{id} gives it.
- POST staff/invoices/{id}/cancel (gestionnaire) with `{"reason"}`: a credit note for
  everything not cancelled yet; the invoice becomes `cancelled` and whatever had been
  paid on it goes back to the household's credit (invoice_refund).
"""

from typing import Any

from django.http import HttpResponse

from portail.api import openapi
from portail.api.fields import optional, read_bool, read_choice, read_int, read_str
from portail.api.http import ApiError, ApiRequest, endpoint, get_or_404, json_response
from portail.api.views.invoices import INVOICE_DETAIL_SCHEMA, invoice_json
from portail.backoffice.permissions import GESTIONNAIRE
from portail.billing.invoicing import online, settling
from portail.billing.invoicing.queries import with_lines
from portail.billing.models import COUNTER_METHODS, PAYFIP_MAX_CENTS, Invoice
from portail.reservations.models import Channel

# InvoiceRefused codes answered 409 (the invoice's state); the others are 422.
CONFLICT_CODES = (settling.NOTHING_DUE, online.PAYMENT_IN_PROGRESS)

COUNTER_MAX_CENTS = PAYFIP_MAX_CENTS * 10
REFERENCE_MAX_LENGTH = 100
CHECKOUT_IN_SCHEMA = openapi.component(
    "InvoiceCheckoutRequest",
    openapi.obj(
        {},
        {
            "use_credit": openapi.or_null(
                {
                    **openapi.BOOLEAN,
                    "description": "Apply the household's available credit (avoir) first "
                    "(default false).",
                }
            )
        },
    ),
)
CHECKOUT_OUT_SCHEMA = openapi.component(
    "InvoiceCheckoutResult",
    openapi.obj(
        {
            "status": openapi.enum(
                online.AWAITING_PAYMENT,
                online.PAID,
                description="paid: the credit covered what remained, the invoice is paid "
                "(nothing else in the answer); awaiting_payment: open `payment_url` to pay "
                "`amount_cents` on PayFiP. The payment is counted on the invoice once "
                "PayFiP confirms it (GET invoices/{id} then shows it); a payment refused, "
                "abandoned or expired changes nothing on the invoice; money PayFiP "
                "confirms for an invoice paid meanwhile becomes the household's credit.",
            ),
        },
        {
            "amount_cents": {
                **openapi.CENTS,
                "description": "What PayFiP is asked for: what remains after the credit.",
            },
            "payment_url": {**openapi.STRING, "format": "uri"},
        },
    ),
)
PAYMENT_IN_SCHEMA = openapi.component(
    "InvoiceCounterPayment",
    openapi.obj(
        {
            "amount_cents": openapi.amount(
                1, COUNTER_MAX_CENTS, description="Received, at most what remains on the invoice."
            ),
            "method": openapi.enum(*COUNTER_METHODS),
        },
        {
            "reference": openapi.or_null(
                {**openapi.text(REFERENCE_MAX_LENGTH), "description": "Cheque number..."}
            )
        },
    ),
)
CANCEL_IN_SCHEMA = openapi.component(
    "InvoiceCancellation",
    openapi.obj({"reason": openapi.text(settling.REASON_MAX_LENGTH)}),
)
NOT_FOUND = "`not_found`: no such invoice in the caller's household."
STAFF_NOT_FOUND = "`not_found`: no such invoice."


def _refused(refusal: settling.InvoiceRefused) -> ApiError:
    status = 409 if refusal.code in CONFLICT_CODES else 422
    return ApiError(status, refusal.code, refusal.message)


def _invoice_answer(invoice: Invoice, status: int = 200) -> HttpResponse:
    fresh = with_lines(Invoice.objects.filter(pk=invoice.pk)).get()
    return json_response(invoice_json(fresh, lines=True), status=status)


@endpoint(
    methods=("POST",),
    auth="guardian",
    summary="Pay an invoice (credit first if asked, then PayFiP)",
    description="With `use_credit`, the household's available credit is applied at once. "
    "If it covers what remains: `paid`. Else a PayFiP payment of what remains is created "
    "(refdet: the invoice number without its dash): open `payment_url`. PayFiP takes 1,00 "
    "EUR to 100 000 EUR: less than 1,00 EUR left cannot be paid online.",
    request=CHECKOUT_IN_SCHEMA,
    response=CHECKOUT_OUT_SCHEMA,
    errors={
        404: NOT_FOUND,
        409: "`nothing_due`: the invoice is paid or cancelled; `payment_in_progress`: a "
        "payment of it is being processed on PayFiP (its page is no longer open).",
        422: "`below_minimum` (less than 1,00 EUR left after the credit: pay at the "
        "counter), `above_maximum`, `no_email` (no valid guardian e-mail for PayFiP), "
        "`payfip_unavailable` (PayFiP did not answer: nothing was paid, try again later; "
        "credit applied stays applied).",
    },
)
def invoice_checkout(request: ApiRequest, invoice_id: int) -> HttpResponse:
    invoice = get_or_404(Invoice.objects.filter(household=request.household), pk=invoice_id)
    use_credit = optional(read_bool, request.data, "use_credit", default=False)
    try:
        result = online.start_checkout(
            invoice, use_credit=use_credit, actor=request.user, channel=Channel.API
        )
    except settling.InvoiceRefused as refusal:
        raise _refused(refusal) from None
    data: dict[str, Any] = {"status": result.status}
    if result.status == online.AWAITING_PAYMENT:
        data["amount_cents"] = result.amount_cents
        data["payment_url"] = result.payment_url
    return json_response(data)


@endpoint(
    methods=("POST",),
    auth="staff",
    roles=(GESTIONNAIRE,),
    summary="Record a payment of an invoice at the counter",
    description="Cash, cheque, card, CESU or bank transfer; partial or whole, never more "
    "than what remains. The answer is the invoice as GET invoices/{id} shows it.",
    request=PAYMENT_IN_SCHEMA,
    response=INVOICE_DETAIL_SCHEMA,
    status=201,
    errors={
        404: STAFF_NOT_FOUND,
        409: "`nothing_due`: the invoice is paid or cancelled.",
        422: "`amount_too_large`: more than what remains (the message says how much).",
    },
)
def staff_invoice_payment(request: ApiRequest, invoice_id: int) -> HttpResponse:
    invoice = get_or_404(Invoice.objects.all(), pk=invoice_id)
    amount = read_int(request.data, "amount_cents", min_value=1, max_value=COUNTER_MAX_CENTS)
    method = read_choice(request.data, "method", COUNTER_METHODS)
    reference = optional(
        read_str, request.data, "reference", default="", max_length=REFERENCE_MAX_LENGTH
    )
    try:
        settling.record_counter_payment(
            invoice,
            amount_cents=amount,
            method=method,
            reference=reference,
            actor=request.user,
            channel=Channel.API,
        )
    except settling.InvoiceRefused as refusal:
        raise _refused(refusal) from None
    return _invoice_answer(invoice, status=201)


@endpoint(
    methods=("POST",),
    auth="staff",
    roles=(GESTIONNAIRE,),
    summary="Cancel an invoice (credit note for all of it)",
    description="A credit note (avoir sur facture, numbered AV<year>-NNNNNN) for "
    "everything not cancelled yet, with its reason: the invoice becomes `cancelled`. What "
    "had been paid on it is not lost: it goes back to the household's credit. The answer is "
    "the invoice as GET invoices/{id} shows it.",
    request=CANCEL_IN_SCHEMA,
    response=INVOICE_DETAIL_SCHEMA,
    errors={
        404: STAFF_NOT_FOUND,
        409: "`nothing_due`: the invoice is cancelled already.",
    },
)
def staff_invoice_cancel(request: ApiRequest, invoice_id: int) -> HttpResponse:
    invoice = get_or_404(Invoice.objects.all(), pk=invoice_id)
    reason = read_str(request.data, "reason", max_length=settling.REASON_MAX_LENGTH)
    try:
        settling.cancel_invoice(invoice, reason=reason, actor=request.user, channel=Channel.API)
    except settling.InvoiceRefused as refusal:
        raise _refused(refusal) from None
    return _invoice_answer(invoice)
