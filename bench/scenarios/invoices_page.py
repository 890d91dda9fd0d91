"""The invoices pages of one household ("Payer ma facture"), as a parent's browser gets them.

The generated city prepays every activity, so, as in billing_run, its ALAE are invoiced
on attendance for the scenario and billing runs issue the whole months of the school year
so far (the last three at most, one run a month): each household with presences gets an
invoice a month, each with a month of presences per child. Households with an invoice are
drawn at random and signed in through the real login form; then, one request after the
other, `GET /factures/` (the list) and `GET /factures/<id>/` (one invoice: its lines per
child, payments, history) of one of its invoices drawn at random. Everything is put back
afterwards (billing_run.put_back): the city is as it was for the scenarios after this one.
"""

import datetime

from bench.httpclient import HttpClient, Response
from bench.scenarios.base import Context, Figure, Identity, Result, Scenario, run_load
from bench.scenarios.billing_run import (
    PARIS,
    alae_ids,
    billed_month,
    invoice_on_attendance,
    put_back,
)
from bench.stats import fmt_ms
from portail.billing.invoicing import runs
from portail.billing.models import Invoice
from portail.families.models import Guardian
from portail.reservations.models import Channel

AIM_P95_MS = 100.0
MONTHS = 3
TIME_LIMIT = 60.0  # seconds, per page measured


def months(today: datetime.date, year_start: datetime.date) -> list[tuple[datetime.date, ...]]:
    """Up to MONTHS whole months before `today` in the school year, oldest first."""
    found: list[tuple[datetime.date, ...]] = []
    day = today
    while len(found) < MONTHS:
        start, end = billed_month(day, year_start)
        if found and (start, end) == found[-1]:
            break
        found.append((start, end))
        if start <= year_start:
            break
        day = start
    return list(reversed(found))


def sample(ctx: Context, run_ids: list[int]) -> dict[int, list[int]]:
    """Households drawn at random among those invoiced: household id -> invoice ids."""
    invoices: dict[int, list[int]] = {}
    rows = Invoice.objects.filter(run_id__in=run_ids).values_list("household_id", "pk")
    for household_id, invoice_id in rows.order_by("household_id", "pk"):
        invoices.setdefault(household_id, []).append(invoice_id)
    chosen = ctx.rng.sample(sorted(invoices), min(ctx.options.households, len(invoices)))
    return {household_id: invoices[household_id] for household_id in chosen}


def emails(household_ids) -> dict[int, str]:
    first: dict[int, str] = {}
    rows = Guardian.objects.filter(household_id__in=list(household_ids)).order_by(
        "household_id", "pk"
    )
    for household_id, email in rows.values_list("household_id", "user__email"):
        first.setdefault(household_id, email)
    return first


def measure(ctx: Context, tasks: list[tuple[Identity, str]]):
    def send(client: HttpClient, task: tuple[Identity, str]) -> Response:
        identity, path = task
        client.cookies = dict(identity.cookies or {})
        return client.get(path)

    def ok(resp: Response) -> bool:
        return resp.status == 200 and b"<html" in resp.body[:500].lower()

    warm = tasks[: ctx.server.workers * ctx.server.threads]
    run_load(warm, send, make_client=ctx.client, concurrency=4, time_limit=30, ok=ok)
    return run_load(
        tasks, send, make_client=ctx.client, concurrency=1, time_limit=TIME_LIMIT, ok=ok
    )


def run(ctx: Context) -> Result:
    result = Result()
    now = datetime.datetime.combine(ctx.city.today, datetime.time(9), tzinfo=PARIS)
    ids = alae_ids()
    if not ids:
        raise RuntimeError("the city has no prepaid ALAE to invoice on attendance")
    run_ids: list[int] = []
    try:
        invoice_on_attendance(ids)
        for start, end in months(ctx.city.today, ctx.city.year_start):
            run_ids.append(runs.issue(start, end, actor=None, channel=Channel.SYSTEM, now=now).pk)
        chosen = sample(ctx, run_ids)
        first = emails(chosen)
        identities = ctx.sign_in([(h, first[h]) for h in chosen if h in first], api=False)
        count = ctx.options.requests
        pick = [ctx.rng.choice(identities) for _ in range(count)]
        lists = measure(ctx, [(identity, "/factures/") for identity in pick])
        details = measure(
            ctx,
            [
                (identity, f"/factures/{ctx.rng.choice(chosen[identity.household_id])}/")
                for identity in pick
            ],
        )
        invoices = Invoice.objects.filter(run_id__in=run_ids).count()
    finally:
        put_back(ids, run_ids)
    for load, label in ((lists, "Invoices page (list)"), (details, "One invoice's page")):
        result.figures.append(
            Figure(
                f"{label}, p95 (sequential)",
                fmt_ms(load.latency.p95_ms),
                f"< {AIM_P95_MS:.0f} ms",
                load.latency.p95_ms < AIM_P95_MS and load.ok == load.attempted,
            )
        )
    result.details.append(
        f"{len(run_ids)} billing run(s), one a month, {invoices} invoices; "
        f"{len(identities)} households signed in with the real login form.\n\n"
        "| Page | Requests OK / sent | Median | p95 | Max | Failures |\n"
        "|---|---|---|---|---|---|\n"
        + "\n".join(
            f"| {label} | {load.ok} / {load.attempted} | {fmt_ms(load.latency.median_ms)} | "
            f"{fmt_ms(load.latency.p95_ms)} | {fmt_ms(load.latency.max_ms)} | "
            f"{load.failures_text()} |"
            for load, label in ((lists, "`GET /factures/`"), (details, "`GET /factures/<id>/`"))
        )
    )
    return result


SCENARIO = Scenario("invoices_page", "The invoices pages of one household", run)
