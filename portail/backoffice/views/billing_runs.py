"""Billing runs (facturation), gestionnaire only: choose a period (last month by default),
see what each household would be invoiced (lines per child, day and activity, with the
price rule that gave each amount), then issue the invoices; the past runs with totals.

The rules are billing.invoicing.runs' (what is billed, each item once, gapless numbers);
these views read the form, call preview() or issue(), and render.
"""

import datetime

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from portail.backoffice.dates import StaffDateField
from portail.backoffice.permissions import GESTIONNAIRE, require_role
from portail.billing.invoicing import runs
from portail.billing.models import BillingRun
from portail.core.money import format_cents
from portail.reservations.models import Channel

HOUSEHOLDS_PER_PAGE = 50
RUNS_SHOWN = 50


class PeriodForm(forms.Form):
    """The period of a billing run (the rules: runs.check_period)."""

    start = StaffDateField(label=gettext_lazy("From"))
    end = StaffDateField(label=gettext_lazy("To"))

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            try:
                runs.check_period(start, end)
            except runs.RunRefused as refusal:
                raise forms.ValidationError(refusal.message, code=refusal.code) from None
        return data


def last_month(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The month before `today`'s, first to last day."""
    end = today.replace(day=1) - datetime.timedelta(days=1)
    return end.replace(day=1), end


def _render(
    request: HttpRequest, form: PeriodForm, *, preview=None, status: int = 200
) -> HttpResponse:
    page = None
    query = ""
    if preview is not None:
        page = Paginator(preview.households, HOUSEHOLDS_PER_PAGE).get_page(request.GET.get("page"))
        query = urlencode({"start": preview.period_start, "end": preview.period_end})
    past = BillingRun.objects.all()[:RUNS_SHOWN]
    return render(
        request,
        "backoffice/billing_runs.html",
        {"form": form, "preview": preview, "page": page, "query": query, "past_runs": past},
        status=status,
    )


@require_role(GESTIONNAIRE)
@require_http_methods(["GET", "HEAD"])
def runs_page(request: HttpRequest) -> HttpResponse:
    """The period form, the preview of the chosen period, the past runs."""
    if "start" not in request.GET and "end" not in request.GET:
        start, end = last_month(timezone.localdate())
        return _render(request, PeriodForm(initial={"start": start, "end": end}))
    form = PeriodForm(request.GET)
    if not form.is_valid():
        return _render(request, form, status=400)
    try:
        preview = runs.preview(
            form.cleaned_data["start"], form.cleaned_data["end"], now=timezone.now()
        )
    except runs.RunRefused as refusal:  # a period that has not started yet
        form.add_error(None, refusal.message)
        return _render(request, form, status=400)
    return _render(request, form, preview=preview)


@require_role(GESTIONNAIRE)
@require_http_methods(["POST"])
def run_issue(request: HttpRequest) -> HttpResponse:
    """Issue the invoices of the period sent (the preview's button)."""
    form = PeriodForm(request.POST)
    if not form.is_valid():
        return _render(request, form, status=400)
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    try:
        run = runs.issue(
            start, end, actor=request.user, channel=Channel.BACKOFFICE, now=timezone.now()
        )
    except runs.RunRefused as refusal:  # a period that has not started yet
        form.add_error(None, refusal.message)
        return _render(request, form, status=400)
    messages.success(
        request,
        ngettext(
            "%(count)d invoice issued, %(total)s in all.",
            "%(count)d invoices issued, %(total)s in all.",
            run.invoice_count,
        )
        % {"count": run.invoice_count, "total": format_cents(run.total_cents)},
    )
    return redirect(reverse("backoffice:billing_run", args=[run.pk]))


@require_role(GESTIONNAIRE)
@require_http_methods(["GET", "HEAD"])
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One run: its period, totals and the invoices it issued."""
    run = BillingRun.objects.filter(pk=pk).first()
    if run is None:
        raise Http404(_("No such billing run."))
    invoices = run.invoices.select_related("household").order_by("year", "seq")
    page = Paginator(invoices, HOUSEHOLDS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "backoffice/billing_run_detail.html", {"run": run, "page": page})
