"""Paying the basket (OK / PAYER), the household's baskets, and its credit (avoir).

- POST basket/checkout: billing.checkout with channel "api". Nothing due: validated at
  once; else a PayFiP payment whose page the client opens (`payment_url`);
- GET baskets, baskets/{id}: every basket of the household with its lines and figures
  (billing.receipts.basket_summary: a live quote while open or awaiting payment, the
  settled figures afterwards); baskets/{id}/pdf its detail as the page's PDF;
- GET credits: the credit and its ledger.

Another household's basket answers 404 `not_found`, exactly like one that does not exist.
"""

from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from portail.api import openapi
from portail.api.fields import optional, read_choice, read_int
from portail.api.http import ApiError, ApiRequest, endpoint, get_or_404, json_response
from portail.api.views.basket import LINE_SCHEMA, basket_data
from portail.billing import credits
from portail.billing.checkout import CheckoutRefused, checkout
from portail.billing.models import PAYFIP_MAX_CENTS, CreditKind, Payment
from portail.billing.receipts import (
    amount_paid_cents,
    basket_summary,
    entry_reason,
    ledger_entries,
)
from portail.reservations.basket_pdf import PDF_KINDS, pdf_filename, render_basket_pdf
from portail.reservations.models import Basket, BasketStatus, Channel

EXPECTED_DUE_MAX_CENTS = PAYFIP_MAX_CENTS * 10
CHECKOUT_IN_SCHEMA = openapi.component(
    "CheckoutRequest",
    openapi.obj(
        {},
        {
            "expected_due_cents": openapi.or_null(
                openapi.amount(
                    0,
                    EXPECTED_DUE_MAX_CENTS,
                    description="The amount due the client showed (GET /basket's "
                    "`amount_due_cents`). If the basket now costs something else, nothing is "
                    "paid or validated: 422 `changed`.",
                )
            )
        },
        description="An empty body (or none) is accepted.",
    ),
)
CHECKOUT_OUT_SCHEMA = openapi.component(
    "CheckoutResult",
    openapi.obj(
        {
            "status": openapi.enum(
                "validated",
                "awaiting_payment",
                description="validated: nothing was due, the days are booked and the "
                "cancellations credited; awaiting_payment: open `payment_url` to pay.",
            ),
            "basket_id": openapi.INTEGER,
            "reference": openapi.STRING,
            "amount_due_cents": openapi.CENTS,
        },
        {
            "payment_url": {
                "type": "string",
                "format": "uri",
                "description": "PayFiP's payment page (awaiting_payment only), usable "
                "once, for 15 minutes. The days are booked when PayFiP confirms the payment.",
            },
            "refdet": {
                "type": "string",
                "description": "The payment's référence de la dette (awaiting_payment only).",
            },
        },
    ),
)
PAYMENT_SCHEMA = openapi.component(
    "BasketPayment",
    openapi.obj(
        {
            "refdet": openapi.STRING,
            "state": openapi.enum(
                "pending", "paid", "refused", "abandoned", "expired", "mismatch", "failed"
            ),
            "amount_cents": openapi.CENTS,
            "created_at": openapi.DATETIME,
            "paid_at": openapi.nullable(openapi.DATETIME),
        }
    ),
)
BASKET_RECORD_SCHEMA = openapi.component(
    "BasketRecord",
    openapi.obj(
        {
            "id": openapi.INTEGER,
            "reference": openapi.STRING,
            "status": openapi.enum(*BasketStatus.values),
            "expires_at": openapi.nullable(openapi.DATETIME),
            "lines": openapi.array(LINE_SCHEMA),
            "reservations_total_cents": openapi.CENTS,
            "cancellations_total_cents": openapi.CENTS,
            "invoiced_total_cents": {
                **openapi.CENTS,
                "description": "Days invoiced later (activities invoiced on booking): not "
                "paid with the basket.",
            },
            "credit_available_cents": {
                **openapi.CENTS,
                "description": "Open or awaiting payment: the household's credit before "
                "this basket; closed: the household's credit now.",
            },
            "credit_applied_cents": {
                **openapi.CENTS,
                "description": "The credit this basket uses (or used, once settled).",
            },
            "amount_due_cents": {
                **openapi.CENTS,
                "description": "What is left to pay: 0 once the basket is closed.",
            },
            "amount_paid_cents": {
                **openapi.CENTS,
                "description": "Money received for it (online or at the counter).",
            },
            "created_at": openapi.DATETIME,
            "payments": openapi.array(PAYMENT_SCHEMA),
        },
        description="A basket of the household: open, awaiting_payment, paid, validated "
        "(nothing to pay), abandoned (dropped, or its payment did not happen) or expired.",
    ),
)
CREDIT_ENTRY_SCHEMA = openapi.component(
    "CreditEntry",
    openapi.obj(
        {
            "date": openapi.DATE,
            "amount_cents": {
                "type": "integer",
                "description": "Positive adds credit, negative uses it (euro cents).",
            },
            "reason": {"type": "string", "description": "The movement in words."},
            "kind": openapi.enum(*CreditKind.values),
            "balance_after_cents": openapi.CENTS,
        }
    ),
)
CREDITS_SCHEMA = openapi.component(
    "Credits",
    openapi.obj(
        {
            "balance_cents": {
                **openapi.CENTS,
                "description": "The credit (avoir): the ledger's balance.",
            },
            "available_cents": {
                **openapi.CENTS,
                "description": "What a new basket can use: the balance minus what a "
                "payment in progress keeps aside.",
            },
            "entries": openapi.array(CREDIT_ENTRY_SCHEMA, description="Newest first."),
        }
    ),
)
PDF_KIND_PARAM = openapi.query_param(
    "kind",
    openapi.enum(*PDF_KINDS),
    "Only the reservation lines, or only the cancellation lines (default: all lines).",
)


def _payment_data(payment: Payment) -> dict[str, Any]:
    return {
        "refdet": payment.refdet,
        "state": payment.state,
        "amount_cents": payment.amount_cents,
        "created_at": payment.created_at,
        "paid_at": payment.paid_at,
    }


def basket_record(basket: Basket) -> dict[str, Any]:
    """basket_data() for a basket of any status, plus its money and payments."""
    data = basket_data(basket_summary(basket))
    data["amount_paid_cents"] = amount_paid_cents(basket)
    data["created_at"] = basket.created_at
    data["payments"] = [_payment_data(p) for p in basket.payments.order_by("attempt")]
    return data


@endpoint(
    methods=("POST",),
    auth="guardian",
    summary="Pay or validate the open basket (PAYER / OK)",
    description="Nothing due (the credit covers it, or only cancellations): the basket is "
    "validated at once. Else a PayFiP payment of the amount due is created: open "
    "`payment_url`; the days are booked once PayFiP confirms it (the basket then shows "
    "`paid`). The credit is applied automatically.",
    request=CHECKOUT_IN_SCHEMA,
    response=CHECKOUT_OUT_SCHEMA,
    errors={
        422: "`no_basket` (none open, or it expired), `empty`, `changed` (the amount due "
        "is not `expected_due_cents`; `amount_due_cents` gives the new one), "
        "`below_minimum` (1 to 99 cents due: PayFiP takes 1,00 EUR at least), "
        "`above_maximum`, `no_email` (no valid guardian e-mail for PayFiP), "
        "`payfip_unavailable` (PayFiP did not answer: the basket is kept, try again later).",
    },
)
def basket_checkout(request: ApiRequest) -> HttpResponse:
    expected = optional(
        read_int, request.data, "expected_due_cents", min_value=0, max_value=EXPECTED_DUE_MAX_CENTS
    )
    try:
        result = checkout(
            request.household,
            actor=request.user,
            channel=Channel.API,
            expected_due_cents=expected,
        )
    except CheckoutRefused as refusal:
        extra = {}
        if refusal.quote is not None:
            extra["amount_due_cents"] = refusal.quote.amount_due_cents
        raise ApiError(422, refusal.code, refusal.message, **extra) from None
    data: dict[str, Any] = {
        "status": result.status,
        "basket_id": result.basket.pk,
        "reference": result.basket.reference,
        "amount_due_cents": result.quote.amount_due_cents,
    }
    if result.status == "awaiting_payment":
        data["payment_url"] = result.payment_url
        data["refdet"] = result.payment.refdet if result.payment else ""
    return json_response(data)


@endpoint(
    methods=("GET",),
    auth="guardian",
    summary="The household's baskets",
    description="Every basket of the household, newest first, with its lines and figures.",
    response=openapi.array(BASKET_RECORD_SCHEMA),
)
def basket_list(request: ApiRequest) -> HttpResponse:
    baskets = Basket.objects.filter(household=request.household).order_by("-created_at", "-pk")
    return json_response([basket_record(basket) for basket in baskets])


def _basket(request: ApiRequest, basket_id: int) -> Basket:
    return get_or_404(Basket.objects.filter(household=request.household), pk=basket_id)


@endpoint(
    methods=("GET",),
    auth="guardian",
    summary="One basket",
    response=BASKET_RECORD_SCHEMA,
    errors={404: "`not_found`: no such basket in the caller's household."},
)
def basket_detail(request: ApiRequest, basket_id: int) -> HttpResponse:
    return json_response(basket_record(_basket(request, basket_id)))


@endpoint(
    methods=("GET",),
    auth="guardian",
    summary="A basket's detail as PDF",
    description="The seed's “Télécharger le détail”: the basket's lines (status, activity, "
    "child, date, time, quantity, price, total) and totals, as `application/pdf` (not "
    "JSON), in the request's language.",
    query=[PDF_KIND_PARAM],
    content_type="application/pdf",
    errors={404: "`not_found`: no such basket in the household, or no line of that kind."},
)
def basket_pdf(request: ApiRequest, basket_id: int) -> HttpResponse:
    basket = _basket(request, basket_id)
    choice = optional(read_choice, request.GET, "kind", choices=tuple(PDF_KINDS))
    kind = PDF_KINDS[choice] if choice else None
    summary = basket_summary(basket)
    if kind is not None and not any(line.kind == kind for line in summary.lines):
        raise ApiError(404, "not_found", _("Not found."))
    pdf = render_basket_pdf(basket, summary, request.household, kind=kind)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf_filename(basket, kind)}"'
    return response


@endpoint(
    methods=("GET",),
    auth="guardian",
    summary="The household's credit (avoir) and its movements",
    description="The credit comes from cancellations made in time, days closed by the "
    "service, payments that could not be used and staff adjustments; baskets use it "
    "automatically. `reason` is in the request's language.",
    response=CREDITS_SCHEMA,
)
def credit_list(request: ApiRequest) -> HttpResponse:
    household = request.household
    return json_response(
        {
            "balance_cents": credits.balance_cents(household),
            "available_cents": credits.available_cents(household),
            "entries": [
                {
                    "date": timezone.localdate(entry.created_at),
                    "amount_cents": entry.amount_cents,
                    "reason": entry_reason(entry),
                    "kind": entry.kind,
                    "balance_after_cents": entry.balance_after_cents,
                }
                for entry in ledger_entries(household)
            ],
        }
    )
