"""Opening morning: thousands of households rush in at once, as parents do at 8:30 when
the bookings of a period open (Antibes, 2,500 connections in the first minutes).

Each household does what a parent's browser does, through the real pages:
1. sign in: GET the login page, POST the login form (CSRF, password checked: PBKDF2);
2. open the planning on the opening week (`GET /planning/?week=...`);
3. submit every block it may book that week (`POST /planning/` with the page's own
   checkbox values and CSRF token), answered by a redirect to the basket;
4. read the answer: the basket page (`GET /panier/`), which holds its places.

`--opening-clients` households are on the portal at once (one thread and connection
each), taking households from one queue until `--opening-households` have gone through.
The report gives each step's median and p95, the failures (any answer other than the
expected one, or an exception), and how long until every household had its answer.
Afterwards every basket opened is dropped (`DELETE /api/v1/basket`, with tokens issued in
this process), which leaves the bench database as it was.

The opening week is the first school week at least three weeks ahead of the city's
"today" (no deadline applies), the week every household submits: the most contended
case, where each day's places are asked for by everyone at once.
"""

import datetime
import re
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from bench.city.build import BENCH_PASSWORD
from bench.httpclient import HttpClient
from bench.scenarios.base import (
    LOGIN_PATH,
    Context,
    Figure,
    Result,
    Scenario,
    first_guardians,
    iso_week,
    with_tokens,
)
from bench.stats import Latency, fmt_ms
from portail.activities.models import Enrolment, Session

LEAD_DAYS = 21
PLANNING_PATH = "/planning/"
BASKET_PAGE = "/panier/"
BASKET_API = "/api/v1/basket"
STEPS = ("sign in", "planning", "submit", "basket")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
RESERVE = re.compile(r'name="change" value="(reserve:\d+:\d+)"')


@dataclass
class Steps:
    """Each step's durations (seconds, answered as expected) and failures."""

    seconds: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    failures: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    days_asked: int = 0
    households_done: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def ok(self, step: str, seconds: float) -> None:
        with self.lock:
            self.seconds[step].append(seconds)

    def fail(self, step: str, what: str) -> None:
        with self.lock:
            self.failures[step][what] += 1


def opening_week(ctx: Context) -> datetime.date:
    """The Monday of the first week at least LEAD_DAYS ahead that has open sessions."""
    start = max(ctx.city.today + datetime.timedelta(days=LEAD_DAYS), ctx.city.year_start)
    monday = start + datetime.timedelta(days=(7 - start.weekday()) % 7)
    first = (
        Session.objects.filter(date__gte=monday, is_open=True, activity__requires_booking=True)
        .order_by("date")
        .values_list("date", flat=True)
        .first()
    )
    day = first or monday
    return day - datetime.timedelta(days=day.weekday())


def households_enrolled(monday: datetime.date) -> list[int]:
    """Households with a child enrolled in an activity needing bookings that week."""
    friday = monday + datetime.timedelta(days=4)
    return sorted(
        set(
            Enrolment.objects.filter(
                valid_from__lte=friday, valid_to__gte=monday, activity__requires_booking=True
            ).values_list("child__household_id", flat=True)
        )
    )


def _form(token: str, **fields) -> bytes:
    return urlencode({"csrfmiddlewaretoken": token, **fields}, doseq=True).encode()


def one_household(client: HttpClient, email: str, week: str, steps: Steps) -> None:
    """Sign in, open the week, submit every bookable block, read the basket."""
    client.cookies = {}
    client.token = None
    started = time.perf_counter()
    page = client.get(LOGIN_PATH)
    token = CSRF.search(page.text) if page.status == 200 else None
    if token is None:
        return steps.fail("sign in", f"GET {page.status}")
    answer = client.request(
        "POST",
        LOGIN_PATH,
        body=_form(token.group(1), email=email, password=BENCH_PASSWORD),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    if answer.status != 302 or "sessionid" not in client.cookies:
        return steps.fail("sign in", f"POST {answer.status}")
    steps.ok("sign in", time.perf_counter() - started)

    planning = client.get(f"{PLANNING_PATH}?week={week}")
    token = CSRF.search(planning.text) if planning.status == 200 else None
    if token is None:
        return steps.fail("planning", str(planning.status))
    steps.ok("planning", planning.seconds)

    values = RESERVE.findall(planning.text)
    if values:
        submitted = client.request(
            "POST",
            PLANNING_PATH,
            body=_form(token.group(1), week=week, change=values),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        if submitted.status != 302:
            return steps.fail("submit", str(submitted.status))
        steps.ok("submit", submitted.seconds)
        basket = client.get(BASKET_PAGE)
        if basket.status != 200:
            return steps.fail("basket", str(basket.status))
        steps.ok("basket", basket.seconds)
    with steps.lock:
        steps.days_asked += len(values)
        steps.households_done += 1


def rush(ctx: Context, people: list[tuple[int, str]], week: str) -> tuple[Steps, float]:
    steps = Steps()
    queue = list(reversed(people))
    lock = threading.Lock()

    def worker() -> None:
        with ctx.server.client() as client:
            while True:
                with lock:
                    if not queue:
                        return
                    _household, email = queue.pop()
                try:
                    one_household(client, email, week, steps)
                except Exception as exc:  # noqa: BLE001 - counted and reported
                    steps.fail("connection", type(exc).__name__)
                    client.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(ctx.options.opening_clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return steps, time.perf_counter() - started


def drop_baskets(ctx: Context, household_ids: list[int]) -> Counter:
    """Drop every basket the rush opened (the database stays as it was)."""
    guardians = first_guardians()
    statuses: Counter = Counter()
    with ctx.server.client() as client:
        for identity in with_tokens(household_ids, guardians):
            client.cookies, client.token = {}, identity.token
            statuses[client.delete(BASKET_API).status] += 1
    return statuses


def run(ctx: Context) -> Result:
    result = Result()
    monday = opening_week(ctx)
    week = iso_week(monday)
    guardians = first_guardians()
    ids = [h for h in households_enrolled(monday) if h in guardians]
    chosen = sorted(ctx.rng.sample(ids, min(ctx.options.opening_households, len(ids))))
    people = [(h, guardians[h][1]) for h in chosen]
    ctx.rng.shuffle(people)
    steps, elapsed = rush(ctx, people, week)
    ctx.server.sample_memory()
    dropped = drop_baskets(ctx, chosen)

    failures = sum(sum(c.values()) for c in steps.failures.values())
    result.figures.append(
        Figure(
            f"Opening morning: {len(people)} households, {ctx.options.opening_clients} at once, "
            "until every one had its answer",
            f"{elapsed:.0f} s",
        )
    )
    result.figures.append(
        Figure("Opening morning: failures (any step)", str(failures), "0", failures == 0)
    )
    for step in STEPS:
        result.figures.append(
            Figure(f"Opening morning: {step}, p95", fmt_ms(Latency.of(steps.seconds[step]).p95_ms))
        )
    rows = []
    for step in STEPS:
        latency = Latency.of(steps.seconds[step])
        bad = ", ".join(f"{k}: {v}" for k, v in sorted(steps.failures[step].items())) or "none"
        rows.append(
            f"| {step} | {latency.count} | {fmt_ms(latency.median_ms)} | "
            f"{fmt_ms(latency.p95_ms)} | {fmt_ms(latency.max_ms)} | {bad} |"
        )
    other = steps.failures.get("connection")
    result.details.append(
        f"{len(people)} households (drawn at random among those with a child enrolled in an "
        f"activity needing bookings in week {week}) went through the pages with "
        f"{ctx.options.opening_clients} on the portal at once, in {elapsed:.1f} s "
        f"({len(people) / elapsed:.1f} households per second): sign in (GET + POST of the login "
        "form, the password checked with the project's hasher), the planning of that week, a "
        f"submission of every block it offered to book ({steps.days_asked} days asked in all, "
        f"{steps.households_done} households answered), and the basket page that answers it.\n\n"
        "| Step | Answered | Median | p95 | Max | Failures |\n"
        "|---|---|---|---|---|---|\n" + "\n".join(rows)
    )
    if other:
        result.details.append(
            "Connection errors: " + ", ".join(f"{k}: {v}" for k, v in other.items())
        )
    result.details.append(
        "Then every basket opened was dropped through the API: "
        + ", ".join(f"HTTP {k}: {v}" for k, v in sorted(dropped.items()))
        + "."
    )
    return result


SCENARIO = Scenario("opening", "Opening morning: the rush when bookings open", run)
