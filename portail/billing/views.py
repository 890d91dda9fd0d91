"""The family's money pages, and the two addresses PayFiP calls.

Family pages (signed-in guardians, scoped to their household):
- `basket_page` (reservations:basket, the name it always had: portail/urls.py mounts
  billing.urls.basket_urlpatterns in the "reservations" namespace): the open basket, its
  credit (avoir), amount due and PAYER / OK button (pages.py), a payment in progress;
- `checkout_view` (POST, billing:checkout): the basket page's PAYER / OK form. It sends
  back the amount the page showed (`expected_due_cents`), so a basket changed meanwhile
  is refused with the new amount instead of being paid; PAYER sends the browser (302)
  to PayFiP's payment page, OK validates at once and shows what was booked;
- `validated_page` (billing:validated): what a validated or paid basket booked;
- `credit_history` (billing:credits): the credit (avoir) and its movements.

PayFiP's addresses (payments.NOTIFY_PATH and RETURN_PATH, URL names payfip:notify and
payfip:return): both receive only an idOp, unsigned, and call refresh_payment(), which
believes nothing but PayFiP's own answer.
- `notify`: server to server. GET or POST, `idOp` in any letter case, no session, no
  CSRF. Answers a plain 200 "OK" (400 when the idOp is missing or malformed) and
  nothing else: what happened is not PayFiP's business, nor anyone's who calls it.
- `payment_return`: the parent's browser. Tells the outcome in plain words, only to a
  guardian of the payment's household (anyone else sees a neutral page): for a basket
  what was booked, for an invoice (invoicing/online.py) what was counted on it, with
  links to the invoice and the invoices page. While PayFiP has no result yet the page
  refreshes itself every few seconds.
"""

import logging
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from portail.billing import credits, payments
from portail.billing.checkout import CheckoutRefused, checkout
from portail.billing.models import InvoicePayment, Payment, PaymentState
from portail.billing.pages import checkout_offer, payment_in_progress
from portail.billing.quote import summarize
from portail.billing.receipts import SETTLED_STATUSES, entry_reason, ledger_entries, receipt
from portail.core.money import format_cents
from portail.families.guardians import guardian_household, guardian_required
from portail.families.models import Household
from portail.payfip.validators import validate_idop
from portail.reservations.basket_pdf import pdf_filename, pdf_kind, render_basket_pdf
from portail.reservations.basket_table import basket_rows, minutes_left
from portail.reservations.holds import open_basket
from portail.reservations.models import Basket, Channel, LineKind
from portail.reservations.states import LATE_LABEL

logger = logging.getLogger("portail.billing")

# What the return page tells (payment_outcome()).
OUTCOME_PAID = "paid"
OUTCOME_REFUSED = "refused"
OUTCOME_ABANDONED = "abandoned"
OUTCOME_PENDING = "pending"
OUTCOME_EXPIRED = "expired"
OUTCOME_PROBLEM = "problem"

# The "still being processed" page reloads itself this often (seconds).
REFRESH_SECONDS = 5
# An amount sent back by the form: at most 9 digits (PayFiP's maximum has 8).
MAX_AMOUNT_DIGITS = 9


# --- the family's pages -----------------------------------------------------------------


@require_http_methods(["GET", "HEAD"])
@guardian_required
def basket_page(request: HttpRequest) -> HttpResponse:
    """The open basket ("Contenu du panier"): its lines, totals, credit and hold time, and
    PAYER or OK (billing.pages says which); a payment in progress on PayFiP is told above
    it, with the way back to PayFiP's page while that page lives."""
    household: Household = request.household  # type: ignore[attr-defined]
    now = timezone.now()
    in_progress = payment_in_progress(household, now=now)
    basket = open_basket(household, now=now)
    if basket is None:
        return render(
            request,
            "billing/basket.html",
            {
                "basket": None,
                "in_progress": in_progress,
                "credit_available_cents": credits.available_cents(household),
            },
        )
    summary = summarize(basket)
    has_cancellations = any(line.kind == LineKind.CANCELLATION for line in summary.lines)
    has_reservations = any(line.kind == LineKind.RESERVATION for line in summary.lines)
    offer = checkout_offer(summary)
    context = {
        "basket": basket,
        "summary": summary,
        "rows": basket_rows(summary),
        "has_reservations": has_reservations,
        "has_cancellations": has_cancellations,
        "reservations_total": format_cents(summary.reservations_total_cents),
        "cancellations_total": format_cents(summary.cancellations_total_cents),
        "invoiced_total": format_cents(summary.invoiced_total_cents),
        "credit_available": format_cents(summary.credit_available_cents),
        "credit_applied": format_cents(-summary.credit_applied_cents),
        "amount_due": format_cents(summary.amount_due_cents),
        "credit_left": format_cents(offer.credit_left_cents),
        "offer": offer,
        "in_progress": in_progress,
        "expires_at": timezone.localtime(basket.expires_at),
        "minutes_left": minutes_left(basket.expires_at, now),
        "late_label": LATE_LABEL,
    }
    return render(request, "billing/basket.html", context)


@require_http_methods(["POST"])
@guardian_required
def checkout_view(request: HttpRequest) -> HttpResponse:
    """PAYER or OK on the open basket (see the module docstring)."""
    household: Household = request.household  # type: ignore[attr-defined]
    raw = request.POST.get("expected_due_cents", "").strip()
    if not (raw.isascii() and raw.isdigit() and len(raw) <= MAX_AMOUNT_DIGITS):
        messages.error(
            request, _("The form sent is not valid; nothing was changed. Please try again.")
        )
        return redirect("reservations:basket")
    try:
        result = checkout(
            household, actor=request.user, channel=Channel.WEB, expected_due_cents=int(raw)
        )
    except CheckoutRefused as refusal:
        messages.error(request, refusal.message)
        return redirect("reservations:basket")
    if result.status == "validated":
        return redirect("billing:validated", reference=result.basket.reference)
    return HttpResponseRedirect(result.payment_url)


@require_http_methods(["GET", "HEAD"])
@guardian_required
def validated_page(request: HttpRequest, reference: str) -> HttpResponse:
    """What a validated (OK) or paid basket of the household booked and credited."""
    household: Household = request.household  # type: ignore[attr-defined]
    basket = get_object_or_404(
        Basket, household=household, reference=reference, status__in=SETTLED_STATUSES
    )
    return render(
        request,
        "billing/validated.html",
        {
            "receipt": receipt(basket),
            "credit_available_cents": credits.available_cents(household),
        },
    )


@require_http_methods(["GET", "HEAD"])
@guardian_required
def basket_pdf(request: HttpRequest) -> HttpResponse:
    """The seed's "Télécharger le détail": the basket's lines and totals as a PDF, all of
    them (with the credit applied and the amount due), or only the reservations
    (?kind=reservations) or the cancellations (?kind=cancellations)."""
    household: Household = request.household  # type: ignore[attr-defined]
    try:
        kind = pdf_kind(request.GET.get("kind"))
    except ValueError:
        messages.error(request, _("This download does not exist."))
        return redirect("reservations:basket")
    basket = open_basket(household)
    if basket is None:
        messages.info(request, _("Your basket is empty."))
        return redirect("reservations:basket")
    summary = summarize(basket)
    if kind is not None and not any(line.kind == kind for line in summary.lines):
        messages.info(request, _("Your basket has no such line."))
        return redirect("reservations:basket")
    pdf = render_basket_pdf(basket, summary, household, kind=kind)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf_filename(basket, kind)}"'
    return response


@require_http_methods(["GET", "HEAD"])
@guardian_required
def credit_history(request: HttpRequest) -> HttpResponse:
    """The household's credit (avoir) and every movement of it, newest first."""
    household: Household = request.household  # type: ignore[attr-defined]
    rows = [(entry, entry_reason(entry)) for entry in ledger_entries(household)]
    return render(
        request,
        "billing/credits.html",
        {
            "rows": rows,
            "balance_cents": credits.balance_cents(household),
            "available_cents": credits.available_cents(household),
            "held_cents": credits.held_cents(household),
        },
    )


# --- PayFiP's addresses -------------------------------------------------------------------


def read_idop(request: HttpRequest) -> str:
    """The idOp PayFiP sends, by POST or in the query, whatever the letter case of its
    name (idOp, idop, IDOP...); "" when there is none."""
    for data in (request.POST, request.GET):
        for key, value in data.items():
            if key.lower() == "idop" and value.strip():
                return value.strip()
    return ""


def _plain(text: str, status: int = 200) -> HttpResponse:
    response = HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")
    add_never_cache_headers(response)
    return response


@csrf_exempt  # called server to server by PayFiP, with no session and no token
@require_http_methods(["GET", "POST"])
def notify(request: HttpRequest) -> HttpResponse:
    """PayFiP's notification (urlnotif): re-check the payment with PayFiP, answer 200."""
    try:
        idop = validate_idop(read_idop(request))
    except ValidationError:
        return _plain("Bad request", status=HttpResponseBadRequest.status_code)
    try:
        payments.refresh_payment(idop, source=payments.SOURCE_NOTIFICATION)
    except Exception:
        # Never tell PayFiP (or whoever calls) what went wrong; check_payments will ask
        # PayFiP again within minutes, so nothing is lost.
        logger.exception("PayFiP notification for %s could not be applied", idop)
    return _plain("OK")


def payment_outcome(payment: Payment) -> str:
    """What the return page tells about a payment (OUTCOME_*)."""
    if payment.state == PaymentState.PAID:
        return OUTCOME_PAID
    if payment.state == PaymentState.REFUSED:
        return OUTCOME_REFUSED
    if payment.state == PaymentState.ABANDONED or (
        payment.state == PaymentState.PENDING and payment.resultrans == "A"
    ):
        return OUTCOME_ABANDONED
    if payment.state == PaymentState.PENDING:
        return OUTCOME_PENDING
    if payment.state == PaymentState.MISMATCH:
        return OUTCOME_PROBLEM
    return OUTCOME_EXPIRED  # expired, or failed


def _return_url(idop: str, **extra: str) -> str:
    query = {"idop": idop, **extra} if idop else extra
    return reverse("payfip:return") + (f"?{urlencode(query)}" if query else "")


@csrf_exempt  # PayFiP's page may send the browser back with a form POST from its site
@never_cache
@require_http_methods(["GET", "POST"])
def payment_return(request: HttpRequest) -> HttpResponse:
    """The parent's browser back from PayFiP (urlredirect): the payment's outcome."""
    raw = read_idop(request)
    if request.method == "POST":
        # A cross-site POST carries no session cookie (SameSite=Lax): go on with a GET.
        response = HttpResponseRedirect(_return_url(raw))
        response.status_code = 303
        return response
    try:
        idop = validate_idop(raw)
    except ValidationError:
        idop = ""
    payment = payments.refresh_payment(idop, source=payments.SOURCE_RETURN) if idop else None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    household = guardian_household(request)
    if payment is None or household is None or payment.household_id != household.pk:
        return render(request, "billing/return_unknown.html")
    outcome = payment_outcome(payment)
    auto_refresh = outcome == OUTCOME_PENDING and request.GET.get("auto") != "0"
    common = {
        "payment": payment,
        "outcome": outcome,
        "auto_refresh": auto_refresh,
        "refresh_seconds": REFRESH_SECONDS,
        "check_url": _return_url(idop),
        "stop_url": _return_url(idop, auto="0"),
    }
    if payment.invoice_id is not None:
        # An invoice's payment (invoicing/online.py): the invoice's outcome.
        applied = InvoicePayment.objects.filter(payment=payment).values_list(
            "amount_cents", flat=True
        )
        surplus = payment.amount_cents - (applied.first() or 0) if outcome == OUTCOME_PAID else 0
        context = {**common, "invoice": payment.invoice, "surplus_cents": surplus}
        return render(request, "billing/invoice_return.html", context)
    context = {
        "payment": payment,
        "outcome": outcome,
        "receipt": receipt(payment.basket, payment) if outcome == OUTCOME_PAID else None,
        "credit_available_cents": credits.available_cents(household),
        "auto_refresh": auto_refresh,
        "refresh_seconds": REFRESH_SECONDS,
        "check_url": _return_url(idop),
        "stop_url": _return_url(idop, auto="0"),
    }
    return render(request, "billing/return.html", context)
