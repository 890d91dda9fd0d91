"""Invoices (gestionnaire only): the list with its filters and totals, one invoice with
its lines, payments, credit notes and history, the forms that apply money to it (calling
billing.invoicing.settling), and the régie's CSV exports of invoices and their payments.
Thin views: backoffice/invoices.py reads, settling changes, invoice_exports.py writes."""

import datetime

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portail.backoffice import invoice_exports, invoices
from portail.backoffice.exports import CSV_CONTENT_TYPE
from portail.backoffice.households import Refused
from portail.backoffice.invoice_forms import CounterPaymentForm, CreditNoteForm, InvoiceFilterForm
from portail.backoffice.operation_forms import ReceiptsForm
from portail.backoffice.permissions import GESTIONNAIRE, require_role
from portail.billing.invoicing import settling
from portail.billing.models import Invoice
from portail.core.money import format_cents
from portail.families.models import Household
from portail.reservations.models import Channel

PAGE_SIZE = 50
FILTERS = ("status", "q", "household", "start", "end")


def _month_so_far() -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    return today.replace(day=1), today


def _export_forms(**bound: ReceiptsForm) -> dict[str, ReceiptsForm]:
    start, end = _month_so_far()
    return {
        f"{name}_form": bound.get(name)
        or ReceiptsForm(prefix=name, initial={"start": start, "end": end})
        for name in ("invoices", "payments")
    }


def _render_list(request: HttpRequest, *, status: int = 200, **bound: ReceiptsForm):
    form = InvoiceFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    if form.is_bound and form.errors:
        status = 400
    today = timezone.localdate()
    rows = invoices.invoices(
        status=data.get("status", ""),
        query=data.get("q", ""),
        household_id=data.get("household"),
        start=data.get("start"),
        end=data.get("end"),
        today=today,
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = {k: v for k, v in request.GET.items() if k in FILTERS and v}
    household = None
    if data.get("household"):
        household = Household.objects.filter(pk=data["household"]).first()
    return render(
        request,
        "backoffice/invoices.html",
        {
            "form": form,
            "page": page,
            "query": urlencode(query),
            "totals": invoices.totals(rows),
            "counts": invoices.status_counts(today),
            "today": today,
            "open_statuses": invoices.OPEN_STATUSES,
            "household": household,
            **_export_forms(**bound),
        },
        status=status,
    )


@require_role(GESTIONNAIRE)
@require_http_methods(["GET", "HEAD"])
def invoices_page(request: HttpRequest) -> HttpResponse:
    return _render_list(request)


def _render_detail(
    request: HttpRequest, invoice: Invoice, *, status: int = 200, **bound: forms.Form
) -> HttpResponse:
    file = invoices.invoice_file(invoice)
    return render(
        request,
        "backoffice/invoice_detail.html",
        {
            "file": file,
            "invoice": invoice,
            "payment_form": bound.get("payment_form") or CounterPaymentForm(prefix="payment"),
            "credit_note_form": bound.get("credit_note_form") or CreditNoteForm(prefix="note"),
        },
        status=status,
    )


@require_role(GESTIONNAIRE)
@require_http_methods(["GET", "HEAD"])
def invoice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, get_object_or_404(Invoice, pk=pk))


# Which field of a form a refusal of settling is about.
REFUSAL_FIELDS = {
    "amount_invalid": "amount",
    "amount_too_large": "amount",
    "method_invalid": "method",
    "reason_required": "reason",
}


def _refused(form: forms.Form, refusal: settling.InvoiceRefused) -> None:
    name = REFUSAL_FIELDS.get(refusal.code)
    form.add_error(name if name in form.fields else None, refusal.message)


@require_role(GESTIONNAIRE)
@require_POST
def invoice_payment(request: HttpRequest, pk: int) -> HttpResponse:
    """Money received at the counter (cash, cheque, card, CESU, transfer)."""
    invoice = get_object_or_404(Invoice, pk=pk)
    form = CounterPaymentForm(request.POST, prefix="payment")
    if form.is_valid():
        try:
            paid = settling.record_counter_payment(
                invoice,
                amount_cents=form.cleaned_data["amount"],
                method=form.cleaned_data["method"],
                reference=form.cleaned_data["reference"].strip(),
                actor=request.user,
                channel=Channel.BACKOFFICE,
                now=timezone.now(),
            )
        except settling.InvoiceRefused as refusal:
            _refused(form, refusal)
        else:
            messages.success(
                request,
                _("Payment of %(amount)s recorded on invoice %(number)s (%(method)s).")
                % {
                    "amount": format_cents(paid.amount_cents),
                    "number": invoice.number,
                    "method": paid.get_method_display(),
                },
            )
            return redirect("backoffice:invoice", pk=invoice.pk)
    invoice.refresh_from_db()
    return _render_detail(request, invoice, status=400, payment_form=form)


@require_role(GESTIONNAIRE)
@require_POST
def invoice_apply_credit(request: HttpRequest, pk: int) -> HttpResponse:
    """The household's credit (avoir) applied to the invoice, up to what is left to pay."""
    invoice = get_object_or_404(Invoice, pk=pk)
    try:
        used = settling.apply_credit(
            invoice, actor=request.user, channel=Channel.BACKOFFICE, now=timezone.now()
        )
    except settling.InvoiceRefused as refusal:
        messages.error(request, refusal.message)
    else:
        if used is None:
            messages.error(request, _("The household has no credit available."))
        else:
            messages.success(
                request,
                _("%(amount)s of the household's credit applied to invoice %(number)s.")
                % {"amount": format_cents(used.amount_cents), "number": invoice.number},
            )
    return redirect("backoffice:invoice", pk=invoice.pk)


@require_role(GESTIONNAIRE)
@require_POST
def invoice_credit_note(request: HttpRequest, pk: int) -> HttpResponse:
    """A credit note (avoir sur facture) cancelling all or part of the invoice."""
    invoice = get_object_or_404(Invoice, pk=pk)
    form = CreditNoteForm(request.POST, prefix="note")
    if form.is_valid():
        try:
            note = settling.issue_credit_note(
                invoice,
                amount_cents=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"].strip(),
                actor=request.user,
                channel=Channel.BACKOFFICE,
                now=timezone.now(),
            )
        except settling.InvoiceRefused as refusal:
            _refused(form, refusal)
        else:
            text = _("Credit note %(number)s of %(amount)s issued.") % {
                "number": note.number,
                "amount": format_cents(note.amount_cents),
            }
            if note.refunded_cents:
                text += " " + _("%(amount)s already paid went back to the household's credit.") % {
                    "amount": format_cents(note.refunded_cents)
                }
            messages.success(request, text)
            return redirect("backoffice:invoice", pk=invoice.pk)
    invoice.refresh_from_db()
    return _render_detail(request, invoice, status=400, credit_note_form=form)


def _csv(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _export(request: HttpRequest, name: str, write, filename: str) -> HttpResponse:
    start, end = _month_so_far()
    form = ReceiptsForm(request.GET or None, prefix=name)
    if form.is_bound:
        if not form.is_valid():
            return _render_list(request, status=400, **{name: form})
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    try:
        content = write(start, end)
    except Refused as refusal:
        form.add_error(None, refusal.message)
        return _render_list(request, status=400, **{name: form})
    return _csv(content, f"{filename}-{start:%Y-%m-%d}-{end:%Y-%m-%d}.csv")


@require_role(GESTIONNAIRE)
@require_http_methods(["GET", "HEAD"])
def invoices_export(request: HttpRequest) -> HttpResponse:
    """The invoices issued over a period (default: this month so far), as CSV."""
    return _export(request, "invoices", invoice_exports.invoices_csv, "factures")


@require_role(GESTIONNAIRE)
@require_http_methods(["GET", "HEAD"])
def invoice_payments_export(request: HttpRequest) -> HttpResponse:
    """The money applied to invoices over a period (default: this month so far), as CSV."""
    return _export(request, "payments", invoice_exports.invoice_payments_csv, "reglements-factures")
