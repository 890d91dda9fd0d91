"""Basket submissions under load: many households asking for 20 days at once.

Each client is a different household with its own API token. It submits 20 days
(`POST /api/v1/basket`, 20 adds), then drops the basket (`DELETE /api/v1/basket`) so that
the same days are free again, and starts over until the time is up. Only 201 answers
count as submissions; the drop is part of each client's loop, so the rate is what the
server sustains for submit + drop.

Afterwards a few submissions of one household run in this process through Django's test
client (the same middleware, views and services, no HTTP server) to count the SQL
statements and to profile where the time goes.
"""

import datetime
import threading
import time
from collections import Counter, defaultdict

from django.test import Client

from bench import profiling
from bench.profiling import Call
from bench.scenarios.base import Context, Figure, Identity, Result, Scenario
from bench.scenarios.planning import sample_households
from bench.stats import Latency, fmt_ms
from portail.activities.models import Enrolment, Session
from portail.reservations.models import ACTIVE_BOOKING_STATUSES, Booking

AIM_PER_SECOND = 200
BASKET_PATH = "/api/v1/basket"
LEAD_DAYS = 21  # far enough ahead that no deadline applies


def candidate_changes(household_id: int, start: datetime.date, count: int) -> list[dict]:
    """`count` (child, session) pairs the household could ask for from `start` on."""
    enrolments = list(
        Enrolment.objects.filter(
            child__household_id=household_id,
            valid_to__gte=start,
            activity__requires_booking=True,
        ).values_list("child_id", "activity_id", "valid_from", "valid_to")
    )
    by_activity: dict[int, list[tuple[int, datetime.date, datetime.date]]] = defaultdict(list)
    for child_id, activity_id, valid_from, valid_to in enrolments:
        by_activity[activity_id].append((child_id, valid_from, valid_to))
    if not by_activity:
        return []
    sessions = list(
        Session.objects.filter(activity_id__in=by_activity, date__gte=start, is_open=True)
        .order_by("date", "activity__start_time", "pk")
        .values_list("pk", "activity_id", "date")[: count * 4]
    )
    taken = set(
        Booking.objects.filter(
            child__household_id=household_id,
            session_id__in=[s[0] for s in sessions],
            status__in=ACTIVE_BOOKING_STATUSES,
        ).values_list("child_id", "session_id")
    )
    changes = []
    for session_id, activity_id, day in sessions:
        for child_id, valid_from, valid_to in by_activity[activity_id]:
            if valid_from <= day <= valid_to and (child_id, session_id) not in taken:
                changes.append({"child_id": child_id, "session_id": session_id})
    return changes[:count]


def choose_households(ctx: Context) -> list[tuple[tuple[int, str], list[dict]]]:
    """`clients` households, each with `basket_days` days it may ask for."""
    start = max(ctx.city.today + datetime.timedelta(days=LEAD_DAYS), ctx.city.year_start)
    chosen = []
    for household in sample_households(ctx, ctx.options.clients * 5):
        changes = candidate_changes(household[0], start, ctx.options.basket_days)
        if len(changes) == ctx.options.basket_days:
            chosen.append((household, changes))
        if len(chosen) == ctx.options.clients:
            break
    return chosen


def run(ctx: Context) -> Result:
    chosen = choose_households(ctx)
    result = Result()
    if len(chosen) < ctx.options.clients:
        result.details.append(
            f"Only {len(chosen)} households have {ctx.options.basket_days} bookable days "
            f"from {LEAD_DAYS} days ahead to the end of the school year: run with another "
            "--today or fewer --basket-days."
        )
        if not chosen:
            return result
    identities = ctx.sign_in([household for household, _ in chosen], api=True)
    plans = list(zip(identities, [changes for _, changes in chosen], strict=True))

    post_ok: list[float] = []
    delete_ok: list[float] = []
    statuses: Counter = Counter()
    errors: Counter = Counter()
    samples: dict[str, str] = {}
    lock = threading.Lock()
    deadline = time.perf_counter() + ctx.options.duration

    def client_loop(identity: Identity, changes: list[dict]) -> None:
        payload = {"add": changes, "cancel": []}
        with ctx.client(identity) as client:
            client.delete(BASKET_PATH)  # start from an empty basket (not counted)
            while time.perf_counter() < deadline:
                try:
                    post = client.post_json(BASKET_PATH, payload)
                    drop = client.delete(BASKET_PATH)
                except Exception as exc:  # noqa: BLE001 - counted and reported
                    with lock:
                        errors[type(exc).__name__] += 1
                    client.close()
                    continue
                with lock:
                    statuses[f"POST {post.status}"] += 1
                    statuses[f"DELETE {drop.status}"] += 1
                    if post.status == 201:
                        post_ok.append(post.seconds)
                    elif len(samples) < 5:
                        samples.setdefault(f"POST {post.status}", post.text[:300])
                    if drop.status in (200, 204):
                        delete_ok.append(drop.seconds)
                    elif len(samples) < 5:
                        samples.setdefault(f"DELETE {drop.status}", drop.text[:300])

    started = time.perf_counter()
    threads = [threading.Thread(target=client_loop, args=plan) for plan in plans]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    ctx.server.sample_memory()

    rate = len(post_ok) / elapsed if elapsed else 0.0
    post_lat = Latency.of(post_ok)
    drop_lat = Latency.of(delete_ok)
    failures = {k: v for k, v in statuses.items() if not k.endswith(("201", "200", "204"))}
    failures.update(errors)
    result.figures.append(
        Figure(
            f"Basket submissions of {ctx.options.basket_days} days, "
            f"{len(plans)} concurrent households",
            f"{rate:.0f} /s",
            f"≥ {AIM_PER_SECOND} /s",
            rate >= AIM_PER_SECOND,
        )
    )
    result.figures.append(Figure("Basket submission, p95 under that load", fmt_ms(post_lat.p95_ms)))
    result.details.append(
        f"{len(plans)} threads, one keep-alive connection and one household each, for "
        f"{elapsed:.1f} s: `POST {BASKET_PATH}` with {ctx.options.basket_days} adds, then "
        f"`DELETE {BASKET_PATH}`, in a loop.\n\n"
        "| | Count | Median | p95 | Max |\n|---|---|---|---|---|\n"
        f"| POST → 201 (submitted) | {post_lat.count} | {fmt_ms(post_lat.median_ms)} | "
        f"{fmt_ms(post_lat.p95_ms)} | {fmt_ms(post_lat.max_ms)} |\n"
        f"| DELETE → 200/204 (dropped) | {drop_lat.count} | {fmt_ms(drop_lat.median_ms)} | "
        f"{fmt_ms(drop_lat.p95_ms)} | {fmt_ms(drop_lat.max_ms)} |\n\n"
        f"Submissions per second: **{rate:.1f}** (submit + drop cycles per second: "
        f"{len(delete_ok) / elapsed if elapsed else 0:.1f}). Failures: "
        + (", ".join(f"{k}: {v}" for k, v in sorted(failures.items())) or "none")
        + "."
    )
    for key, body in samples.items():
        result.details.append(f"First answer of `{key}`: `{body}`")
    if ctx.options.profile_rounds:
        result.details.append(profile(ctx, plans[0], ctx.options.profile_rounds))
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
    return profiling.profile(calls, rounds, what="one household's submit + drop cycle")


SCENARIO = Scenario("basket", "Basket submissions under load", run)
