"""Head counts (effectifs): the page (printable) and its CSV and XLSX exports.

Every role reads them: the kitchen for its order, the attendance agents for their sites
(sites_for), the gestionnaire. No amount of money appears.
"""

import datetime

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portail.backoffice import exports, headcounts
from portail.backoffice.operation_forms import DayForm
from portail.backoffice.permissions import require_role, sites_for

PERIODS = ("day", "week", "month")


def _choice(request: HttpRequest) -> tuple[DayForm, datetime.date, datetime.date, str, list[int]]:
    sites = sites_for(request.user)
    form = DayForm(request.GET or None, sites=sites, periods=PERIODS)
    day, period, site = form.chosen()
    start, end = headcounts.period_range(day, period)
    site_ids = [site.pk] if site is not None else list(sites.values_list("pk", flat=True))
    return form, start, end, period, site_ids


def _period_text(start: datetime.date, end: datetime.date) -> str:
    if start == end:
        return formats.date_format(start, "l j F Y")
    return _("from %(start)s to %(end)s") % {
        "start": formats.date_format(start, "SHORT_DATE_FORMAT"),
        "end": formats.date_format(end, "SHORT_DATE_FORMAT"),
    }


@require_role()
@require_http_methods(["GET", "HEAD"])
def headcounts_page(request: HttpRequest) -> HttpResponse:
    return _render_page(request, *_choice(request))


def _render_page(
    request: HttpRequest,
    form: DayForm,
    start: datetime.date,
    end: datetime.date,
    period: str,
    site_ids: list[int],
) -> HttpResponse:
    counts = headcounts.head_counts(start, end, site_ids=site_ids)
    query = urlencode(
        {k: v for k, v in request.GET.items() if k in ("date", "period", "site") and v}
    )
    suffix = f"?{query}" if query else ""
    return render(
        request,
        "backoffice/headcounts.html",
        {
            "form": form,
            "days": headcounts.by_day(counts),
            "period_text": _period_text(start, end),
            "period": period,
            "csv_url": reverse("backoffice:headcounts_csv") + suffix,
            "xlsx_url": reverse("backoffice:headcounts_xlsx") + suffix,
            "has_errors": bool(form.is_bound and form.errors),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _filename(start: datetime.date, end: datetime.date, extension: str) -> str:
    if start == end:
        return f"effectifs-{start:%Y-%m-%d}.{extension}"
    return f"effectifs-{start:%Y-%m-%d}-{end:%Y-%m-%d}.{extension}"


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_role()
@require_http_methods(["GET", "HEAD"])
def headcounts_csv(request: HttpRequest) -> HttpResponse:
    form, start, end, period, site_ids = _choice(request)
    if form.is_bound and form.errors:  # the page, with the errors, instead of a file
        return _render_page(request, form, start, end, period, site_ids)
    counts = headcounts.head_counts(start, end, site_ids=site_ids)
    return _download(
        exports.headcounts_csv(counts), exports.CSV_CONTENT_TYPE, _filename(start, end, "csv")
    )


@require_role()
@require_http_methods(["GET", "HEAD"])
def headcounts_xlsx(request: HttpRequest) -> HttpResponse:
    form, start, end, period, site_ids = _choice(request)
    if form.is_bound and form.errors:
        return _render_page(request, form, start, end, period, site_ids)
    counts = headcounts.head_counts(start, end, site_ids=site_ids)
    title = _("Head counts %(period)s") % {"period": _period_text(start, end)}
    return _download(
        exports.headcounts_xlsx(counts, title=title),
        exports.XLSX_CONTENT_TYPE,
        _filename(start, end, "xlsx"),
    )
