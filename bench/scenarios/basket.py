"""Basket submissions under load: many households asking for 20 days at once, as on the
morning bookings open.

Each household submits its next 20 bookable days once (`POST /api/v1/basket`, 20 adds,
with its own API token), and its basket then stays open, holding those places, as a
parent's does while paying. `--clients` threads (one keep-alive connection each) take the
households from one queue until the time is up or the households run out; only 201
answers count as submissions. Then the same clients drop every basket that was opened
(`DELETE /api/v1/basket`, ANNULER), which measures the drop too and leaves the bench
database as it was.

The tokens are issued in this process (`issue_token`, as `POST /api/v1/auth/token` does
after checking the password): what is measured is the submissions, not the password
hashing of thousands of logins.

Afterwards a few submissions of one household run in this process through Django's test
client (the same middleware, views and services, no HTTP server) to count the SQL
statements and to profile where the time goes.
"""

import datetime
from collections import defaultdict

from django.test import Client

from bench import lock_hold, profiling
from bench.httpclient import HttpClient, Response
from bench.profiling import Call
from bench.scenarios.base import (
    Context,
    Figure,
    Identity,
    Result,
    Scenario,
    first_guardians,
    run_load,
    with_tokens,
)
from bench.stats import fmt_ms
from portail.activities.models import Enrolment, Session
from portail.reservations.models import ACTIVE_BOOKING_STATUSES, Booking

AIM_PER_SECOND = 200
BASKET_PATH = "/api/v1/basket"
LEAD_DAYS = 21  # far enough ahead that no deadline applies
WINDOW_DAYS = 120  # the days looked at from there: enough for 20 per household
HOUSEHOLDS_PER_SECOND = 250  # households prepared per second of --duration (above the aim)

Plan = tuple[Identity, list[dict]]


def bookable_days(start: datetime.date, count: int) -> dict[int, list[dict]]:
    """For each household, its first `count` (child, session) pairs it could ask for from
    `start` on (enrolled, open session, not booked yet), by date; households with fewer
    are left out. A few queries for the whole city."""
    end = start + datetime.timedelta(days=WINDOW_DAYS)
    enrolments = Enrolment.objects.filter(
        valid_from__lte=end, valid_to__gte=start, activity__requires_booking=True
    ).values_list("child__household_id", "child_id", "activity_id", "valid_from", "valid_to")
    sessions: dict[int, list[tuple[datetime.date, datetime.time, int]]] = defaultdict(list)
    for pk, activity_id, day, starts in (
        Session.objects.filter(date__range=(start, end), is_open=True)
        .order_by()
        .values_list("pk", "activity_id", "date", "activity__start_time")
    ):
        sessions[activity_id].append((day, starts, pk))
    taken = set(
        Booking.objects.filter(
            session__date__range=(start, end), status__in=ACTIVE_BOOKING_STATUSES
        )
        .order_by()
        .values_list("child_id", "session_id")
    )
    candidates: dict[int, list[tuple[datetime.date, datetime.time, int, int]]] = defaultdict(list)
    for household_id, child_id, activity_id, valid_from, valid_to in enrolments:
        for day, starts, session_id in sessions.get(activity_id, ()):
            if valid_from <= day <= valid_to and (child_id, session_id) not in taken:
                candidates[household_id].append((day, starts, session_id, child_id))
    found = {}
    for household_id, days in candidates.items():
        if len(days) >= count:
            days.sort()
            found[household_id] = [
                {"child_id": child_id, "session_id": session_id}
                for _day, _starts, session_id, child_id in days[:count]
            ]
    return found


def prepare(ctx: Context, wanted: int) -> list[Plan]:
    """Up to `wanted` households drawn at random, each with an API token and its 20 days."""
    start = max(ctx.city.today + datetime.timedelta(days=LEAD_DAYS), ctx.city.year_start)
    days = bookable_days(start, ctx.options.basket_days)
    guardians = first_guardians()
    ids = sorted(h for h in days if h in guardians)
    chosen = ctx.rng.sample(ids, min(wanted, len(ids)))
    return list(zip(with_tokens(chosen, guardians), [days[h] for h in chosen], strict=True))


def _as(client: HttpClient, identity: Identity) -> HttpClient:
    client.cookies = {}
    client.token = identity.token
    return client


def run(ctx: Context) -> Result:
    result = Result()
    wanted = int(ctx.options.duration * HOUSEHOLDS_PER_SECOND)
    plans = prepare(ctx, wanted)
    if not plans:
        result.details.append(
            f"No household has {ctx.options.basket_days} bookable days from {LEAD_DAYS} "
            "days ahead: run with another --today or fewer --basket-days."
        )
        return result

    def submit(client: HttpClient, plan: Plan) -> Response:
        identity, changes = plan
        return _as(client, identity).post_json(BASKET_PATH, {"add": changes, "cancel": []})

    submitted = run_load(
        plans,
        submit,
        make_client=ctx.server.client,
        concurrency=ctx.options.clients,
        time_limit=ctx.options.duration,
        ok=lambda r: r.status == 201,
    )
    ctx.server.sample_memory()
    sent = plans[: submitted.attempted]

    def drop(client: HttpClient, plan: Plan) -> Response:
        return _as(client, plan[0]).delete(BASKET_PATH)

    # Every basket opened is dropped, however long it takes (not bounded by --duration).
    dropped = run_load(
        sent,
        drop,
        make_client=ctx.server.client,
        concurrency=ctx.options.clients,
        time_limit=max(600.0, ctx.options.duration * 10),
        ok=lambda r: r.status == 204,
    )
    rate = submitted.per_second
    post, drop_lat = submitted.latency, dropped.latency
    result.figures.append(
        Figure(
            f"Basket submissions of {ctx.options.basket_days} days, "
            f"{ctx.options.clients} concurrent clients",
            f"{rate:.0f} /s",
            f"≥ {AIM_PER_SECOND} /s",
            rate >= AIM_PER_SECOND,
        )
    )
    result.figures.append(Figure("Basket submission, p95 under that load", fmt_ms(post.p95_ms)))
    result.figures.append(
        Figure("Basket drops (ANNULER) under the same load", f"{dropped.per_second:.0f} /s")
    )
    ran_out = submitted.attempted == len(plans)
    result.details.append(
        f"{ctx.options.clients} threads, one keep-alive connection each, took "
        f"{len(plans)} households (drawn at random among those with "
        f"{ctx.options.basket_days} bookable days from {LEAD_DAYS} days ahead) from one "
        f"queue for {submitted.elapsed:.1f} s"
        + (" (the households ran out before the time)" if ran_out else "")
        + f": each household sent one `POST {BASKET_PATH}` with {ctx.options.basket_days} "
        f"adds and kept its basket open. Then the same threads sent `DELETE {BASKET_PATH}` "
        f"for each of the {len(sent)} households, in {dropped.elapsed:.1f} s.\n\n"
        "| | Count | Median | p95 | Max | Per second | Failures |\n"
        "|---|---|---|---|---|---|---|\n"
        f"| POST → 201 (submitted) | {post.count} | {fmt_ms(post.median_ms)} | "
        f"{fmt_ms(post.p95_ms)} | {fmt_ms(post.max_ms)} | {rate:.1f} | "
        f"{submitted.failures_text()} |\n"
        f"| DELETE → 204 (dropped) | {drop_lat.count} | {fmt_ms(drop_lat.median_ms)} | "
        f"{fmt_ms(drop_lat.p95_ms)} | {fmt_ms(drop_lat.max_ms)} | "
        f"{dropped.per_second:.1f} | {dropped.failures_text()} |"
    )
    if ctx.options.profile_rounds:
        result.details.append(profile(ctx, plans[-1], ctx.options.profile_rounds))
    return result


def profile(ctx: Context, plan: tuple[Identity, list[dict]], rounds: int) -> str:
    """Count SQL statements and profile `rounds` submit + drop cycles, in this process."""
    identity, changes = plan
    client = Client(HTTP_AUTHORIZATION=f"Bearer {identity.token}", HTTP_HOST="127.0.0.1")
    payload = {"add": changes, "cancel": []}
    client.delete(BASKET_PATH)  # start from an empty basket (not counted)
    calls = [
        Call(
            f"POST {BASKET_PATH}",
            lambda: client.post(BASKET_PATH, payload, content_type="application/json"),
        ),
        Call(f"DELETE {BASKET_PATH}", lambda: client.delete(BASKET_PATH)),
    ]
    text = profiling.profile(calls, rounds, what="one household's submit + drop cycle")
    holds = lock_hold.measure(calls[0].send, calls[1].send, rounds)
    return f"{text}\n\n{holds.text(calls[0].label)}"


SCENARIO = Scenario("basket", "Basket submissions under load", run)
