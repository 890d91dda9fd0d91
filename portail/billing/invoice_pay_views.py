"""Paying one invoice from the family's side ("Payer ma facture"), without JavaScript.

- `invoice_pay` (billing:invoice_pay, /factures/<pk>/payer/): GET shows what remains to
  pay, the credit available and a POST form (CSRF) "Pay this invoice" with the box "use
  my credit first"; POST calls invoicing.online.start_checkout and sends the browser to
  PayFiP's page, or, when the credit covered it, back to the invoice (billing:invoice)
  with "paid". Only the household's own invoices: another household's answers 404, like
  one that does not exist.

PayFiP sends the browser back to the return page (views.payment_return), which tells an
invoice payment's outcome with `invoice_return.html`.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from portail.billing import credits
from portail.billing.invoicing import online, settling
from portail.billing.models import PAYFIP_MIN_CENTS, Invoice
from portail.families.guardians import guardian_required
from portail.families.models import Household
from portail.reservations.models import Channel


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@guardian_required
def invoice_pay(request: HttpRequest, pk: int) -> HttpResponse:
    household: Household = request.household  # type: ignore[attr-defined]
    invoice = get_object_or_404(Invoice, pk=pk, household=household)
    if request.method == "POST":
        return _pay(request, invoice)
    available = credits.available_cents(household)
    remaining = invoice.remaining_cents
    return render(
        request,
        "billing/invoice_pay.html",
        {
            "invoice": invoice,
            "due": invoice.status not in settling.CLOSED_STATUSES,
            "remaining_cents": remaining,
            "credit_available_cents": available,
            "credit_covers": available >= remaining,
            "payment_in_progress": invoice.payments.filter(state="pending").exists(),
            "minimum_cents": PAYFIP_MIN_CENTS,
            "below_minimum": remaining < PAYFIP_MIN_CENTS,
        },
    )


def _pay(request: HttpRequest, invoice: Invoice) -> HttpResponse:
    use_credit = request.POST.get("use_credit") in ("1", "on", "true")
    try:
        result = online.start_checkout(
            invoice, use_credit=use_credit, actor=request.user, channel=Channel.WEB
        )
    except settling.InvoiceRefused as refusal:
        messages.error(request, refusal.message)
        return redirect("billing:invoice_pay", pk=invoice.pk)
    if result.status == online.PAID:
        messages.success(request, _("Your invoice is paid with your credit."))
        return redirect("billing:invoice", pk=invoice.pk)
    return HttpResponseRedirect(result.payment_url)
