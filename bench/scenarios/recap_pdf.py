"""The recap PDF of an enrolment ("Récapitulatif des actions") for a whole school year.

The enrolments measured are the heaviest of households drawn at random: the ones with the
most history rows (the year of bookings so far, cancellations, and their history). Each
PDF is made:
- in this process, the way the view makes it (history read from the database, then the
  PDF laid out by reportlab): the time the server spends on it, without HTTP;
- through HTTP, `GET /api/v1/enrolments/{id}/recap.pdf` with a bearer token, one request
  after the other (the server's latency as a parent's phone sees it, minus the network).

The city's history runs only up to its "today" (next week's bookings at most), so the
aim is also checked on a full school year: the heaviest enrolment's recap with, for every
day the activity runs in the enrolment's validity, a reservation by the parent and the
attendance recorded by staff (two rows a day), laid out in this process.
"""

import dataclasses
import datetime
import re
import time

from django.db.models import Count, F, Q
from django.utils import timezone

from bench.scenarios.base import Context, Figure, Result, Scenario, run_load
from bench.scenarios.planning import sample_households
from bench.stats import Latency, fmt_ms
from portail.activities.models import Enrolment, Session
from portail.core.pdf.recap import render_recap_pdf
from portail.reservations.models import Channel, HistoryAction
from portail.reservations.recap import (
    EnrolmentRecap,
    RecapRow,
    enrolment_recap,
    household_enrolments,
)

AIM_MS = 100.0
ENROLMENTS = 20  # the heaviest enrolments measured
ROUNDS = 5  # in-process renderings of each
TIME_LIMIT = 60.0  # seconds, for the HTTP run
PATH = "/api/v1/enrolments/{}/recap.pdf"
NIGHT, NOON = datetime.time(20, 30), datetime.time(12, 5)
PAGE_OBJECT = re.compile(rb"/Type /Page\b(?!s)")


def heaviest_enrolments(households: list[tuple[int, str]]) -> list[tuple[int, int]]:
    """(enrolment id, history rows) of the households' enrolments, most rows first."""
    ids = [household_id for household_id, _email in households]
    rows = (
        Enrolment.objects.filter(child__household_id__in=ids)
        .annotate(
            rows=Count(
                "child__history",
                filter=Q(child__history__session__activity_id=F("activity_id"))
                & Q(child__history__session__date__gte=F("valid_from"))
                & Q(child__history__session__date__lte=F("valid_to")),
            )
        )
        .order_by("-rows", "pk")
        .values_list("pk", "rows")[:ENROLMENTS]
    )
    return list(rows)


def render(enrolment_id: int, household_id: int) -> tuple[float, int, int]:
    """Seconds to read the history and make the PDF; the PDF's size and page count."""
    started = time.perf_counter()
    enrolment = household_enrolments(household_id).get(pk=enrolment_id)
    pdf = render_recap_pdf(enrolment_recap(enrolment), organisation_name="Bench", language="fr")
    seconds = time.perf_counter() - started
    return seconds, len(pdf), len(PAGE_OBJECT.findall(pdf))


def full_year(enrolment_id: int, household_id: int) -> EnrolmentRecap:
    """The enrolment's recap as it will be at the end of its validity (see the docstring)."""
    enrolment = household_enrolments(household_id).get(pk=enrolment_id)
    recap = enrolment_recap(enrolment)
    days = Session.objects.filter(
        activity_id=enrolment.activity_id,
        date__gte=enrolment.valid_from,
        date__lte=enrolment.valid_to,
    ).values_list("date", flat=True)
    paris = timezone.get_default_timezone()
    rows = []
    for day in sorted(days):
        booked = datetime.datetime.combine(day - datetime.timedelta(days=9), NIGHT, paris)
        marked = datetime.datetime.combine(day, NOON, paris)
        common = {"date": day, "activity": recap.activity, "price_cents": 370, "detail": ""}
        rows.append(
            RecapRow(
                action=HistoryAction.ADD_RESERVATION,
                who="parent.of.a.child@example.org",
                when=booked,
                channel=Channel.WEB,
                absent=False,
                **common,
            )
        )
        rows.append(
            RecapRow(
                action=HistoryAction.ATTENDANCE_PRESENT,
                who="Service gestionnaire",
                when=marked,
                channel=Channel.BACKOFFICE,
                absent=False,
                **common,
            )
        )
    return dataclasses.replace(recap, rows=rows)


def run(ctx: Context) -> Result:
    result = Result()
    households = sample_households(ctx, ctx.options.households)
    chosen = heaviest_enrolments(households)
    if not chosen:
        result.details.append("No enrolment found in the sampled households.")
        return result
    owner = dict(
        Enrolment.objects.filter(pk__in=[pk for pk, _rows in chosen]).values_list(
            "pk", "child__household_id"
        )
    )
    emails = dict(households)

    # In this process: ROUNDS renderings of each enrolment, after one warm-up.
    render(*next(iter((pk, owner[pk]) for pk, _ in chosen)))
    seconds: list[float] = []
    sizes: dict[int, tuple[int, int]] = {}
    for pk, _rows in chosen:
        for _ in range(ROUNDS):
            elapsed, size, pages = render(pk, owner[pk])
            seconds.append(elapsed)
            sizes[pk] = (size, pages)
    local = Latency.of(seconds)
    biggest = max(chosen, key=lambda item: item[1])
    year = full_year(biggest[0], owner[biggest[0]])
    year_seconds = []
    for _ in range(ROUNDS * 4):
        started = time.perf_counter()
        year_pdf = render_recap_pdf(year, organisation_name="Bench", language="fr")
        year_seconds.append(time.perf_counter() - started)
    year_lat = Latency.of(year_seconds)
    year_pages = len(PAGE_OBJECT.findall(year_pdf))
    result.figures.append(
        Figure(
            f"Recap PDF of a full school year ({len(year.rows)} rows, {year_pages} pages), "
            "laid out in process, p95",
            fmt_ms(year_lat.p95_ms),
            f"< {AIM_MS:.0f} ms",
            year_lat.p95_ms < AIM_MS,
        )
    )
    result.figures.append(
        Figure(
            "Recap PDF of the year so far, history query + PDF in process, p95",
            fmt_ms(local.p95_ms),
            f"< {AIM_MS:.0f} ms",
            local.p95_ms < AIM_MS,
        )
    )

    # Through HTTP, with each household's own token.
    identities = {
        identity.household_id: identity
        for identity in ctx.sign_in(
            sorted({(owner[pk], emails[owner[pk]]) for pk, _ in chosen}), api=True
        )
    }
    tasks = [(pk, identities[owner[pk]]) for pk, _rows in chosen] * ROUNDS

    def send(client, task):  # noqa: ANN001, ANN202 - HttpClient, Response
        pk, identity = task
        client.token = identity.token
        return client.get(PATH.format(pk))

    def ok(resp) -> bool:  # noqa: ANN001 - Response
        return resp.status == 200 and resp.body[:5] == b"%PDF-"

    run_load(
        tasks[: len(chosen)], send, make_client=ctx.client, concurrency=1, time_limit=30, ok=ok
    )
    http = run_load(
        tasks, send, make_client=ctx.client, concurrency=1, time_limit=TIME_LIMIT, ok=ok
    )
    lat = http.latency
    result.figures.append(
        Figure(
            "Recap PDF of the year so far over HTTP (API), p95",
            fmt_ms(lat.p95_ms),
            f"< {AIM_MS:.0f} ms",
            lat.p95_ms < AIM_MS and http.ok == http.attempted,
        )
    )
    rows = [count for _pk, count in chosen]
    size, pages = sizes[biggest[0]]
    result.details.append(
        f"The {len(chosen)} enrolments with the most history rows among {len(households)} "
        f"households drawn at random: {min(rows)} to {max(rows)} rows each (the largest PDF: "
        f"{biggest[1]} rows, {pages} pages, {size / 1024:.0f} KiB). Each made {ROUNDS} times.\n\n"
        "| Run | Count | Median | p95 | Max | Failures |\n|---|---|---|---|---|---|\n"
        f"| In process (history query + PDF) | {local.count} | {fmt_ms(local.median_ms)} | "
        f"{fmt_ms(local.p95_ms)} | {fmt_ms(local.max_ms)} | none |\n"
        f"| `GET {PATH.format('{id}')}` | {http.ok} / {http.attempted} | "
        f"{fmt_ms(lat.median_ms)} | {fmt_ms(lat.p95_ms)} | {fmt_ms(lat.max_ms)} | "
        f"{http.failures_text()} |\n"
        f"| Full school year, PDF only ({len(year.rows)} rows, {year_pages} pages, "
        f"{len(year_pdf) / 1024:.0f} KiB) | {year_lat.count} | {fmt_ms(year_lat.median_ms)} | "
        f"{fmt_ms(year_lat.p95_ms)} | {fmt_ms(year_lat.max_ms)} | none |"
    )
    return result


SCENARIO = Scenario("recap_pdf", "Recap PDF of an enrolment (school year)", run)
