"""Payments (gestionnaire only): PayFiP payments by state with their references, a
re-check with PayFiP, the payments received at the counter beside them, and the régie's
export of the money received (CSV)."""

import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portail.backoffice import exports, regie
from portail.backoffice.households import Refused
from portail.backoffice.operation_forms import PaymentFilterForm, ReceiptsForm
from portail.backoffice.permissions import GESTIONNAIRE, require_role
from portail.billing.models import FINAL_STATES, Payment, PaymentState

PAGE_SIZE = 50


def _month_so_far() -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    return today.replace(day=1), today


def _render_page(
    request: HttpRequest, *, export_form: ReceiptsForm | None = None, status: int = 200
) -> HttpResponse:
    form = PaymentFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    rows = regie.payments(state=data.get("state", ""), start=data.get("start"), end=data.get("end"))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    start, end = _month_so_far()
    # Counter payments of the period asked (this month so far by default).
    counter_start, counter_end = data.get("start") or start, data.get("end") or end
    query = {k: v for k, v in request.GET.items() if k in ("state", "start", "end") and v}
    if form.is_bound and form.errors:
        status = 400
    return render(
        request,
        "backoffice/payments.html",
        {
            "form": form,
            "page": page,
            "query": urlencode(query),
            "next": request.get_full_path(),
            "counts": _counts(),
            "counter_rows": regie.counter_payments(counter_start, counter_end),
            "counter_start": counter_start,
            "counter_end": counter_end,
            "counter_max": regie.COUNTER_LIST_MAX,
            "final_states": FINAL_STATES,
            "export_form": export_form
            or ReceiptsForm(prefix="export", initial={"start": start, "end": end}),
        },
        status=status,
    )


@require_role(GESTIONNAIRE)
@require_http_methods(["GET", "HEAD"])
def payments_page(request: HttpRequest) -> HttpResponse:
    return _render_page(request)


def _counts() -> list[tuple[str, str, int]]:
    counts = regie.state_counts()
    return [(state, label, counts[state]) for state, label in PaymentState.choices]


@require_role(GESTIONNAIRE)
@require_http_methods(["POST"])
def payment_check(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask PayFiP about this payment now (the button of a payment not final yet)."""
    payment = Payment.objects.filter(pk=pk).first()
    if payment is None:
        raise Http404("No such payment")
    try:
        refreshed = regie.recheck(payment, actor=request.user)
    except Refused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            _("Payment %(refdet)s checked with PayFiP: now %(state)s.")
            % {"refdet": refreshed.refdet, "state": refreshed.get_state_display()},
        )
    back = request.POST.get("next", "")
    if back.startswith(reverse("backoffice:payments")):
        return redirect(back)
    return redirect("backoffice:payments")


@require_role(GESTIONNAIRE)
@require_http_methods(["GET", "HEAD"])
def payments_export(request: HttpRequest) -> HttpResponse:
    """The money received over a period (default: this month so far), as CSV."""
    start, end = _month_so_far()
    form = ReceiptsForm(request.GET or None, prefix="export")
    if form.is_bound:
        if not form.is_valid():
            return _render_page(request, export_form=form, status=400)
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    try:
        report = regie.receipts(start, end)
    except Refused as refusal:
        form.add_error(None, refusal.message)
        return _render_page(request, export_form=form, status=400)
    response = HttpResponse(exports.receipts_csv(report), content_type=exports.CSV_CONTENT_TYPE)
    filename = f"regie-{start:%Y-%m-%d}-{end:%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
