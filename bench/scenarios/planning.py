"""The week planning, as the parent's browser (HTML page) and as the API serve it.

Each measurement sends a bounded number of requests, each for a household and a week
drawn at random: half of them around today (what parents mostly look at), half anywhere
in the school year. First one after the other (latency alone), then with several clients
at once (latency under load, and the throughput it gives).
"""

import datetime
from collections.abc import Callable

from django.test import Client

from bench import profiling
from bench.city import CityReport
from bench.httpclient import HttpClient, Response
from bench.profiling import Call
from bench.scenarios.base import (
    Context,
    Figure,
    Identity,
    LoadResult,
    Result,
    Scenario,
    first_guardians,
    iso_week,
    run_load,
    school_weeks,
)
from bench.stats import fmt_ms

AIM_P95_MS = 50.0
TIME_LIMIT = 120.0  # seconds, per measurement


def sample_households(ctx: Context, count: int) -> list[tuple[int, str]]:
    """`count` households drawn at random, each with its first guardian's e-mail."""
    first = first_guardians()
    chosen = ctx.rng.sample(sorted(first), min(count, len(first)))
    return [(household_id, first[household_id][1]) for household_id in chosen]


def pick_weeks(ctx: Context, city: CityReport, count: int) -> list[str]:
    weeks = school_weeks(city)
    monday = city.today - datetime.timedelta(days=city.today.weekday())
    near = [iso_week(monday + datetime.timedelta(weeks=k)) for k in range(-2, 5)]
    return [ctx.rng.choice(near) if i % 2 == 0 else ctx.rng.choice(weeks) for i in range(count)]


def _measure(
    ctx: Context,
    identities: list[Identity],
    path: Callable[[str], str],
    ok: Callable[[Response], bool],
) -> tuple[LoadResult, LoadResult]:
    count = ctx.options.requests
    weeks = pick_weeks(ctx, ctx.city, count * 2)
    tasks = [(ctx.rng.choice(identities), week) for week in weeks]

    def send(client: HttpClient, task: tuple[Identity, str]) -> Response:
        identity, week = task
        client.cookies = dict(identity.cookies or {})
        client.token = identity.token
        return client.get(path(week))

    # Warm-up, not counted: every worker thread runs the code path once.
    warm = tasks[: ctx.server.workers * ctx.server.threads * 2]
    run_load(warm, send, make_client=ctx.client, concurrency=4, time_limit=60, ok=ok)
    sequential = run_load(
        tasks[:count], send, make_client=ctx.client, concurrency=1, time_limit=TIME_LIMIT, ok=ok
    )
    concurrent = run_load(
        tasks[count:],
        send,
        make_client=ctx.client,
        concurrency=ctx.options.concurrency,
        time_limit=TIME_LIMIT,
        ok=ok,
    )
    return sequential, concurrent


def _result(label: str, ctx: Context, sequential: LoadResult, concurrent: LoadResult) -> Result:
    c = ctx.options.concurrency
    result = Result()
    for run, how in ((sequential, "sequential"), (concurrent, f"{c} concurrent clients")):
        lat = run.latency
        result.figures.append(
            Figure(
                f"{label}, p95 ({how})",
                fmt_ms(lat.p95_ms),
                f"< {AIM_P95_MS:.0f} ms",
                lat.p95_ms < AIM_P95_MS and run.ok == run.attempted,
            )
        )
    result.details.append(
        "| Run | Requests OK / sent | Median | p95 | Max | Requests/s | Failures |\n"
        "|---|---|---|---|---|---|---|\n"
        + "\n".join(
            f"| {how} | {run.ok} / {run.attempted} | {fmt_ms(run.latency.median_ms)} | "
            f"{fmt_ms(run.latency.p95_ms)} | {fmt_ms(run.latency.max_ms)} | "
            f"{run.per_second:.0f} | {run.failures_text()} |"
            for run, how in ((sequential, "sequential"), (concurrent, f"{c} clients"))
        )
    )
    return result


def _profile(ctx: Context, client: Client, path: str, what: str) -> str:
    """The current week and next one, for one household, in this process."""
    monday = ctx.city.today - datetime.timedelta(days=ctx.city.today.weekday())
    calls = [
        Call(
            f"GET {path.format(iso_week(day))}",
            lambda day=day: client.get(path.format(iso_week(day))),
        )
        for day in (monday, monday + datetime.timedelta(days=7))
    ]
    return profiling.profile(
        calls, ctx.options.profile_rounds, what=f"this week and next in {what}"
    )


def run_page(ctx: Context) -> Result:
    households = sample_households(ctx, ctx.options.households)
    identities = ctx.sign_in(households, api=False)

    def ok(resp: Response) -> bool:
        return resp.status == 200 and b"<html" in resp.body[:500].lower()

    seq, conc = _measure(ctx, identities, lambda week: f"/planning/?week={week}", ok)
    result = _result("Planning page (HTML)", ctx, seq, conc)
    if ctx.options.profile_rounds:
        client = Client(HTTP_HOST="127.0.0.1")
        client.cookies["sessionid"] = identities[0].cookies["sessionid"]
        result.details.append(_profile(ctx, client, "/planning/?week={}", "the planning page"))
    result.details.insert(
        0,
        f"`GET /planning/?week=…` signed in with the session cookie of the real login form; "
        f"{len(identities)} households, weeks drawn as above.",
    )
    return result


def run_api(ctx: Context) -> Result:
    households = sample_households(ctx, ctx.options.households)
    identities = ctx.sign_in(households, api=True)

    def ok(resp: Response) -> bool:
        return resp.status == 200 and resp.body[:1] == b"{"

    seq, conc = _measure(ctx, identities, lambda week: f"/api/v1/planning?week={week}", ok)
    result = _result("Planning API (JSON)", ctx, seq, conc)
    if ctx.options.profile_rounds:
        client = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {identities[0].token}")
        result.details.append(_profile(ctx, client, "/api/v1/planning?week={}", "the API"))
    result.details.insert(
        0,
        f"`GET /api/v1/planning?week=…` with `Authorization: Bearer <token>` (tokens from "
        f"`POST /api/v1/auth/token`); {len(identities)} households.",
    )
    return result


PAGE = Scenario("planning_page", "Planning page latency", run_page)
API = Scenario("planning_api", "Planning API latency", run_api)
