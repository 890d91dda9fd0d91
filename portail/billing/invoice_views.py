"""The family's invoices ("Payer ma facture"): the list, one invoice, its PDF, and the
certificates asked for a past year.

Signed-in guardians only (families.guardians.guardian_required), every query scoped to
their household: another household's invoice answers 404, like one that does not exist
(invoicing.queries.invoice_for_household). Paying an invoice is its own page
(billing:invoice_pay), linked from the invoice when something is due.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portail.billing.invoicing import certificate_issuing
from portail.billing.invoicing.documents import invoice_children, invoice_filename, invoice_pdf
from portail.billing.invoicing.queries import household_invoices, invoice_for_household
from portail.families.guardians import guardian_required
from portail.families.models import Household


@require_http_methods(["GET", "HEAD"])
@guardian_required
def invoice_list(request: HttpRequest) -> HttpResponse:
    """Every invoice of the household, newest first, and the certificates' form."""
    household: Household = request.household  # type: ignore[attr-defined]
    today = timezone.localdate()
    invoices = list(household_invoices(household))
    return render(
        request,
        "billing/invoices/list.html",
        {
            "invoices": invoices,
            "today": today,
            "unpaid_count": sum(1 for invoice in invoices if invoice.remaining_cents),
            "certificate_years": certificate_issuing.years_on_demand(today),
        },
    )


@require_http_methods(["GET", "HEAD"])
@guardian_required
def invoice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One invoice: its figures, lines per child, payments, credit notes and history."""
    household: Household = request.household  # type: ignore[attr-defined]
    invoice = invoice_for_household(household, pk)
    return render(
        request,
        "billing/invoices/detail.html",
        {
            "invoice": invoice,
            "children": invoice_children(invoice),
            "payments": list(invoice.payments_applied.all()),
            "credit_notes": list(invoice.credit_notes.all()),
            "events": list(invoice.events.all()),
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "HEAD"])
@guardian_required
def invoice_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The invoice as a PDF, in the page's language."""
    household: Household = request.household  # type: ignore[attr-defined]
    invoice = invoice_for_household(household, pk)
    response = HttpResponse(invoice_pdf(invoice), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, invoice_filename(invoice))
    add_never_cache_headers(response)
    return response


@require_http_methods(["POST"])
@guardian_required
def request_certificates(request: HttpRequest) -> HttpResponse:
    """The attestation fiscale and attestation de paiement of a past year, asked for by
    the family: issued once, kept in "Mes documents" (already issued: the same ones)."""
    household: Household = request.household  # type: ignore[attr-defined]
    now = timezone.now()
    raw = request.POST.get("year", "").strip()
    years = certificate_issuing.years_on_demand(timezone.localdate(now))
    if not (raw.isascii() and raw.isdigit() and int(raw) in years):
        messages.error(request, _("Choose a year from the list; nothing was issued."))
        return redirect("billing:invoices")
    year = int(raw)
    results = certificate_issuing.issue_certificates(household, year, now=now)
    issued = [result for result in results if result.document is not None]
    if not issued:
        messages.info(
            request,
            _("Nothing was paid in %(year)s: there is no certificate to issue.") % {"year": year},
        )
        return redirect("billing:invoices")
    for result in issued:
        if result.created:
            text = _("%(title)s: issued and sent by e-mail; it is in My documents.")
        else:
            text = _("%(title)s: already issued; it is in My documents.")
        messages.success(request, text % {"title": result.document.title})
    return redirect("families:documents")
