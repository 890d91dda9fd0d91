"""A billing run (facturation) of one month for the whole city.

The generated city prepays every activity; invoices bill what is not prepaid. So the
scenario makes the ALAE (morning and evening, every school) invoiced on attendance, as
most cities run them (`billing_mode=on_attendance`, `requires_booking=False`): the
attendance marks the generator recorded for the past days become presences, each billed
at the household's QF price on the day. The month billed is the last whole month before
the city's today (or, early in the school year, the school year so far).

The run is timed in this process (`runs.issue`, what the staff's page and the API call):
first for the ALAE of a third of the schools, then for the other two thirds (a second
run of the same month, which bills only what the first left; children go to one school,
so the runs invoice different households): the time per household invoiced of the two
runs says whether the run is linear in households. A city of one school has one run.
The preview of the month is timed too (what the staff's page computes before "Issue the
invoices"). Everything is put back afterwards: the runs, their invoices, lines, history
and numbers are deleted and the ALAE prepaid again, so the city is as it was for the
scenarios after this one (and for a kept database).
"""

import datetime
import time
import zoneinfo

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from bench.scenarios.base import Context, Figure, Result, Scenario
from portail.activities.models import Activity, BillingMode
from portail.billing.invoicing import runs
from portail.billing.models import (
    INVOICE_PREFIX,
    BillingRun,
    Invoice,
    InvoiceEvent,
    InvoiceLine,
    NumberSequence,
)
from portail.reservations.models import Channel

AIM_SECONDS = 60.0
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def billed_month(
    today: datetime.date, year_start: datetime.date
) -> tuple[datetime.date, datetime.date]:
    """The last whole month before `today`, or the school year so far when that month
    ends before the school year starts."""
    end = today.replace(day=1) - datetime.timedelta(days=1)
    start = end.replace(day=1)
    if end < year_start:
        return year_start, max(year_start, today - datetime.timedelta(days=1))
    return max(start, year_start), end


def alae_ids() -> list[int]:
    return list(
        Activity.objects.filter(kind=Activity.Kind.ALAE, billing_mode=BillingMode.PREPAID)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def school_parts(ids: list[int]) -> list[list[int]]:
    """The ALAE of a third of the schools, then of the others (children go to one school,
    so the two runs invoice different households); one part when there is one school."""
    by_site: dict[int, list[int]] = {}
    for pk, site_id in (
        Activity.objects.filter(pk__in=ids).order_by("site_id", "pk").values_list("pk", "site_id")
    ):
        by_site.setdefault(site_id, []).append(pk)
    sites = list(by_site.values())
    if len(sites) < 2:
        return [ids]
    third = max(1, len(sites) // 3)
    return [sum(sites[:third], []), sum(sites[third:], [])]


def invoice_on_attendance(ids: list[int]) -> None:
    Activity.objects.filter(pk__in=ids).update(
        billing_mode=BillingMode.ON_ATTENDANCE, requires_booking=False
    )


def put_back(ids: list[int], run_ids: list[int]) -> None:
    """Delete the runs' invoices (lines, history, numbers) and prepay the ALAE again."""
    with transaction.atomic():
        invoices = Invoice.objects.filter(run_id__in=run_ids)
        years = set(invoices.values_list("year", flat=True))
        InvoiceEvent.objects.filter(invoice__in=invoices).delete()
        InvoiceLine.objects.filter(invoice__in=invoices).delete()
        invoices.delete()
        BillingRun.objects.filter(pk__in=run_ids).delete()
        for year in years:
            last = Invoice.objects.filter(year=year).order_by("-seq").values_list("seq", flat=True)
            NumberSequence.objects.filter(prefix=INVOICE_PREFIX, year=year).update(
                last_number=last.first() or 0
            )
        Activity.objects.filter(pk__in=ids).update(
            billing_mode=BillingMode.PREPAID, requires_booking=True
        )


def timed_run(start: datetime.date, end: datetime.date, now: datetime.datetime):
    """(run, seconds, SQL statements, lines)"""
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        run = runs.issue(start, end, actor=None, channel=Channel.SYSTEM, now=now)
        seconds = time.perf_counter() - started
    lines = InvoiceLine.objects.filter(invoice__run=run).count()
    return run, seconds, len(queries.captured_queries), lines


def run(ctx: Context) -> Result:
    result = Result()
    start, end = billed_month(ctx.city.today, ctx.city.year_start)
    now = datetime.datetime.combine(ctx.city.today, datetime.time(9), tzinfo=PARIS)
    ids = alae_ids()
    if not ids:
        raise RuntimeError("the city has no prepaid ALAE to invoice on attendance")
    parts = school_parts(ids)
    measured = []
    run_ids: list[int] = []
    try:
        invoice_on_attendance(ids)
        started = time.perf_counter()
        preview = runs.preview(start, end, now=now)
        preview_seconds = time.perf_counter() - started
        # Measured: the same month in two runs, a third of the schools then the rest.
        if len(parts) > 1:
            Activity.objects.filter(pk__in=parts[-1]).update(
                billing_mode=BillingMode.PREPAID, requires_booking=True
            )
        for index, part in enumerate(parts):
            if index:
                invoice_on_attendance(part)
            issued, seconds, statements, lines = timed_run(start, end, now)
            run_ids.append(issued.pk)
            sites = Activity.objects.filter(pk__in=part).values("site_id").distinct().count()
            measured.append((sites, issued, seconds, statements, lines))
    finally:
        put_back(ids, run_ids)

    total_seconds = sum(m[2] for m in measured)
    households = sum(m[1].invoice_count for m in measured)
    lines = sum(m[4] for m in measured)
    per_household = [
        (m[2] * 1000 / m[1].invoice_count) if m[1].invoice_count else 0.0 for m in measured
    ]
    result.figures.append(
        Figure(
            f"Billing run of one month, whole city ({households} invoices, {lines} lines)",
            f"{total_seconds:.1f} s",
            f"< {AIM_SECONDS:.0f} s",
            total_seconds < AIM_SECONDS and preview.line_count == lines,
        )
    )
    result.figures.append(
        Figure(
            "Billing run, time per household invoiced (a third of the schools / the rest)"
            if len(measured) > 1
            else "Billing run, time per household invoiced (one school: one run)",
            " / ".join(f"{ms:.1f} ms" for ms in per_household),
        )
    )
    rows = "\n".join(
        f"| ALAE of {n_sites} school(s) | {issued.invoice_count} | {line_count} | "
        f"{seconds:.2f} s | {seconds * 1000 / max(issued.invoice_count, 1):.1f} ms | "
        f"{seconds * 1000 / max(line_count, 1):.2f} ms | {statements} |"
        for n_sites, issued, seconds, statements, line_count in measured
    )
    result.details.append(
        f"Month billed: {start:%d/%m/%Y}–{end:%d/%m/%Y}, issued on {ctx.city.today:%d/%m/%Y}; "
        f"the city's {len(ids)} ALAE invoiced on attendance for the scenario (their "
        "attendance marks of past days billed as presences at the QF price), then put "
        "back (runs, invoices and numbers deleted). Preview of the whole month (what the "
        f"staff's page computes, writes nothing): {preview_seconds:.1f} s for "
        f"{preview.invoice_count} households and {preview.line_count} lines "
        f"({len(preview.unpriced)} presences without tariff). Households are invoiced in "
        f"transactions of {runs.BATCH}.\n\n"
        "| Run | Invoices | Lines | Time | Per household | Per line | SQL statements |\n"
        "|---|---|---|---|---|---|---|\n" + rows
    )
    return result


SCENARIO = Scenario("billing_run", "Billing run of one month for the whole city", run)
