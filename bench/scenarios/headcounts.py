"""Head counts (effectifs) for the kitchens: one day for the whole city, and the CSV
export of a month.

A kitchen account (role "cuisine", created here if the city has none) reads:
- `GET /api/v1/staff/headcounts?date=…` for the busiest day from today on (every site,
  activity and session of the city), with a bearer token, one request after the other;
- `GET /gestion/effectifs/effectifs.csv?date=…&period=month` (the month of that day, every
  site), signed in through the real login form.
The same day is also counted in this process (headcounts.head_counts, four queries
whatever the number of sessions and bookings): the time the server spends on it.
"""

import time

from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from bench.city import BENCH_PASSWORD
from bench.scenarios.base import Context, Figure, Result, Scenario, run_load
from bench.stats import Latency, fmt_ms
from portail.accounts.models import User
from portail.backoffice.headcounts import head_counts, period_range
from portail.backoffice.permissions import CUISINE, grant_role
from portail.reservations.models import Booking

AIM_MS = 50.0
KITCHEN_EMAIL = "bench-cuisine@example.org"
ROUNDS = 50  # day head counts, in process and over HTTP
EXPORT_ROUNDS = 10  # month exports over HTTP
API_PATH = "/api/v1/staff/headcounts?date={}"
CSV_PATH = "/gestion/effectifs/effectifs.csv?date={}&period=month"
LOGIN_PATH = "/compte/connexion/"
TOKEN_PATH = "/api/v1/auth/token"


def kitchen_account() -> User:
    """The bench's kitchen login (idempotent: the city may be kept between runs)."""
    user = User.objects.filter(email=KITCHEN_EMAIL).first()
    if user is None:
        user = User.objects.create_user(
            email=KITCHEN_EMAIL, password=BENCH_PASSWORD, first_name="Cuisine", last_name="Bench"
        )
    grant_role(user, CUISINE)
    return user


def busiest_day(ctx: Context):
    """The day from the city's today on with the most bookings (today if none)."""
    row = (
        Booking.objects.filter(session__date__gte=ctx.city.today)
        .values("session__date")
        .annotate(n=Count("pk"))
        .order_by("-n", "session__date")
        .first()
    )
    return (row["session__date"], row["n"]) if row else (ctx.city.today, 0)


def settle_bookings_table() -> str:
    """VACUUM (ANALYZE) the bookings, as autovacuum does some time after a big load.

    The generator writes a year of bookings at once (COPY); until the table is vacuumed,
    PostgreSQL cannot count from the (session, status) index alone and reads the table's
    pages. A city in service is past that point. Returns what was done, for the report."""
    if connection.vendor != "postgresql":
        return "no VACUUM (not PostgreSQL)"
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) reservations_booking")
    return "`VACUUM (ANALYZE) reservations_booking` first, as autovacuum does after a big load"


def run(ctx: Context) -> Result:
    result = Result()
    kitchen_account()
    settled = settle_bookings_table()
    day, bookings = busiest_day(ctx)

    # In this process: the counting alone.
    head_counts(day, day)
    seconds = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        counts = head_counts(day, day)
        seconds.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as queries:
        head_counts(day, day)
    local = Latency.of(seconds)
    start, end = period_range(day, "month")
    month_started = time.perf_counter()
    month = head_counts(start, end)
    month_seconds = time.perf_counter() - month_started

    # Over HTTP, as the kitchen's tools and pages call it.
    with ctx.server.client() as client:
        client.obtain_token(TOKEN_PATH, KITCHEN_EMAIL, BENCH_PASSWORD)
        token = client.token
    with ctx.server.client() as client:
        client.login_with_form(LOGIN_PATH, KITCHEN_EMAIL, BENCH_PASSWORD)
        cookies = dict(client.cookies)

    def api_client():
        client = ctx.server.client()
        client.token = token
        return client

    def csv_client():
        client = ctx.server.client()
        client.cookies = dict(cookies)
        return client

    def api_ok(resp) -> bool:  # noqa: ANN001 - Response
        return resp.status == 200 and resp.body[:1] == b"["

    def csv_ok(resp) -> bool:  # noqa: ANN001 - Response
        return resp.status == 200 and resp.body[:3] == b"\xef\xbb\xbf"

    api_tasks = [API_PATH.format(day.isoformat())] * ROUNDS
    run_load(
        api_tasks[:5],
        lambda c, p: c.get(p),
        make_client=api_client,
        concurrency=1,
        time_limit=30,
        ok=api_ok,
    )
    api = run_load(
        api_tasks,
        lambda c, p: c.get(p),
        make_client=api_client,
        concurrency=1,
        time_limit=60,
        ok=api_ok,
    )
    csv_tasks = [CSV_PATH.format(day.isoformat())] * EXPORT_ROUNDS
    run_load(
        csv_tasks[:1],
        lambda c, p: c.get(p),
        make_client=csv_client,
        concurrency=1,
        time_limit=30,
        ok=csv_ok,
    )
    export = run_load(
        csv_tasks,
        lambda c, p: c.get(p),
        make_client=csv_client,
        concurrency=1,
        time_limit=120,
        ok=csv_ok,
    )

    result.figures.append(
        Figure(
            f"Head counts of one day, whole city ({len(counts)} sessions, {bookings} bookings), "
            "API p95",
            fmt_ms(api.latency.p95_ms),
            f"< {AIM_MS:.0f} ms",
            api.latency.p95_ms < AIM_MS and api.ok == api.attempted,
        )
    )
    result.figures.append(
        Figure(
            "Head counts of one day, whole city, counted in process, p95",
            fmt_ms(local.p95_ms),
            f"< {AIM_MS:.0f} ms",
            local.p95_ms < AIM_MS,
        )
    )
    result.figures.append(
        Figure(
            f"CSV export of a month ({len(month)} sessions), p95",
            fmt_ms(export.latency.p95_ms),
        )
    )
    result.details.append(
        f"Day {day:%d/%m/%Y}: {len(counts)} sessions, {bookings} bookings on that day; "
        f"{len(queries.captured_queries)} SQL queries per count ({settled}). The month "
        f"{start:%d/%m}–{end:%d/%m/%Y}: {len(month)} sessions, counted in "
        f"{month_seconds * 1000:.0f} ms in process.\n\n"
        "| Run | Requests OK / sent | Median | p95 | Max | Failures |\n|---|---|---|---|---|---|\n"
        f"| In process, `head_counts(day, day)` | {local.count} | {fmt_ms(local.median_ms)} | "
        f"{fmt_ms(local.p95_ms)} | {fmt_ms(local.max_ms)} | none |\n"
        f"| `GET {API_PATH.format('…')}` | {api.ok} / {api.attempted} | "
        f"{fmt_ms(api.latency.median_ms)} | {fmt_ms(api.latency.p95_ms)} | "
        f"{fmt_ms(api.latency.max_ms)} | {api.failures_text()} |\n"
        f"| `GET {CSV_PATH.format('…')}` | {export.ok} / {export.attempted} | "
        f"{fmt_ms(export.latency.median_ms)} | {fmt_ms(export.latency.p95_ms)} | "
        f"{fmt_ms(export.latency.max_ms)} | {export.failures_text()} |"
    )
    return result


SCENARIO = Scenario("headcounts", "Head counts for the kitchens (day, month export)", run)
