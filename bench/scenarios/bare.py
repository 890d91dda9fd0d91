"""The portal against bare Django, in the same run: same gunicorn settings, same client,
same PostgreSQL server, alternated.

bench/bare/ is a Django app with nothing but five views (no middleware, no session, no
authentication): a no-op, two rows read by key, a 60-cell page read in one query and
rendered by a template, a "submission" that locks a row and inserts 20 rows in one
transaction, and the portal's submission statements alone. Each is paired with what the
portal does for the same purpose:

| bare | portal | aim (portal's rate / bare's) |
|---|---|---|
| no-op | `GET /api/v1/basket` with a bearer token, no basket open (the token floor) | ≥ 0.5 |
| 60-cell page | `GET /planning/` of a week, signed in (session cookie) | ≥ 0.25 |
| lock + insert 20 rows | `POST /api/v1/basket` of 20 days (each by another household) | ≥ 0.25 |
| two rows read by key | the token floor again | none: what two database round trips cost |
| the submission's statements, bare | the 20-day submission again | none: its 10 statements' cost |

Each side of a pair runs `--clients` threads (one keep-alive connection each) for a few
seconds, bare then portal, twice; the rates are the means over both rounds. The bare app's
database is created next to the city's (`<name>_bare`) and dropped at the end; the
baskets the submissions opened are dropped too.
"""

import itertools
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

from bench import database
from bench.httpclient import HttpClient, Response
from bench.scenarios import basket, floor
from bench.scenarios.base import Context, Figure, LoadResult, Result, Scenario, run_load
from bench.scenarios.planning import pick_weeks, sample_households
from bench.server import REPO, running_server
from bench.stats import fmt_ms

SECONDS = 8.0
ROUNDS = 2
TASKS = 100_000  # more than can be sent in the time: the time limit ends each run
PAIRS: list[tuple[str, str, float | None]] = [
    ("token floor", "no-op", 0.5),
    ("planning page", "60-cell page", 0.25),
    ("20-day submission", "lock + insert 20 rows", 0.25),
    # No aim: what the floor's two round trips to the database cost bare Django.
    ("token floor", "two reads by key", None),
    # No aim: what the submission's own statements and rows cost bare Django.
    ("20-day submission", "submission's 10 statements, 61 rows", None),
]
SUBMISSIONS = (2, 4)  # PAIRS' indexes of the submission (it runs out of households)
LOCK_AND_INSERT, STATEMENTS = SUBMISSIONS  # the bare side of each


class OutOfHouseholds(Exception):
    """Every household with 20 bookable days has submitted (a small --scale)."""


def bare_url(database_url: str) -> str:
    parts = urlsplit(database_url)
    return urlunsplit(parts._replace(path=f"/{database.database_name(database_url)}_bare"))


def prepare_bare(url: str) -> None:
    """Create and migrate the bare app's database, with the 60 days its page shows."""
    database.recreate(url)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "bench.bare.settings",
        "PYTHONPATH": str(REPO),
    }
    subprocess.run(  # noqa: S603 - our own fixed command line
        [sys.executable, "-m", "django", "migrate", "-v", "0"], cwd=REPO, env=env, check=True
    )
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO bare_day (date, label, capacity, taken) "
            "SELECT DATE '2027-01-04' + (n % 5), 'Restauration scolaire ' || n, 60, n % 60 "
            "FROM generate_series(1, 60) AS n"
        )


def _load(
    make_client: Callable[[], HttpClient],
    send: Callable[[HttpClient, int], Response],
    clients: int,
    seconds: float,
    ok: Callable[[Response], bool],
) -> LoadResult:
    return run_load(
        range(TASKS), send, make_client=make_client, concurrency=clients, time_limit=seconds, ok=ok
    )


def run(ctx: Context) -> Result:
    result = Result()
    seconds = min(SECONDS, ctx.options.duration)
    clients = ctx.options.clients
    url = bare_url(ctx.options.database_url)
    prepare_bare(url)

    # The portal's side: tokens for the floor, signed-in households for the planning,
    # households with 20 bookable days for the submissions (more than can be sent).
    tokens = itertools.cycle(floor.identities(clients))
    people = ctx.sign_in(sample_households(ctx, ctx.options.households), api=False)
    weeks = pick_weeks(ctx, ctx.city, 1000)
    plans = basket.prepare(ctx, int(seconds * ROUNDS * 150 * len(SUBMISSIONS)))
    plan_queue = list(reversed(plans))
    sent: list[basket.Plan] = []

    def floor_call(client: HttpClient, _n: int) -> Response:
        if client.token is None:
            client.token = next(tokens).token
        return client.get(floor.BASKET_PATH)

    def planning_call(client: HttpClient, n: int) -> Response:
        identity = people[n % len(people)]
        client.cookies = dict(identity.cookies or {})
        return client.get(f"/planning/?week={weeks[n % len(weeks)]}")

    def submit_call(client: HttpClient, _n: int) -> Response:
        if not plan_queue:
            raise OutOfHouseholds
        identity, changes = plan_queue.pop()  # list.pop is atomic under the GIL
        sent.append((identity, changes))
        client.cookies, client.token = {}, identity.token
        return client.post_json(basket.BASKET_PATH, {"add": changes, "cancel": []})

    portal_calls = [
        (floor_call, lambda r: r.status == 404),
        (planning_call, lambda r: r.status == 200),
        (submit_call, lambda r: r.status == 201),
        (floor_call, lambda r: r.status == 404),
        (submit_call, lambda r: r.status == 201),
    ]
    bare_calls = [
        (lambda c, _n: c.get("/noop"), lambda r: r.status == 200),
        (lambda c, _n: c.get("/page"), lambda r: r.status == 200),
        (lambda c, n: c.post_json("/submit", {"who": n}), lambda r: r.status == 201),
        (lambda c, _n: c.get("/two-reads"), lambda r: r.status == 200),
        (
            lambda c, n: c.post_json("/submission-statements", {"who": n}),
            lambda r: r.status == 201,
        ),
    ]
    rates: dict[tuple[int, str], list[LoadResult]] = {}
    try:
        with (
            tempfile.TemporaryDirectory(prefix="portail-bench-bare-") as log_dir,
            running_server(
                url,
                workers=ctx.options.workers,
                threads=ctx.options.threads,
                log_dir=Path(log_dir),
                ready_path="/noop",
                wsgi="bench.bare.wsgi",
                settings_module="bench.bare.settings",
            ) as bare_server,
        ):
            for _round in range(ROUNDS):
                for index in range(len(PAIRS)):
                    send, ok = bare_calls[index]
                    rates.setdefault((index, "bare"), []).append(
                        _load(bare_server.client, send, clients, seconds, ok)
                    )
                    send, ok = portal_calls[index]
                    if index in SUBMISSIONS and not plan_queue:
                        continue
                    rates.setdefault((index, "portal"), []).append(
                        _load(ctx.server.client, send, clients, seconds, ok)
                    )
    finally:
        basket_drops = _drop(ctx, sent)
        database.drop(url)

    rows = []
    for index, (portal_name, bare_name, aim) in enumerate(PAIRS):
        bare_runs = rates.get((index, "bare"), [])
        portal_runs = rates.get((index, "portal"), [])
        bare_rate = _mean(r.per_second for r in bare_runs)
        portal_rate = _mean(r.per_second for r in portal_runs)
        ratio = portal_rate / bare_rate if bare_rate else 0.0
        result.figures.append(
            Figure(
                f"{portal_name} / bare {bare_name} (rates, same run)",
                f"{portal_rate:.0f} /s / {bare_rate:.0f} /s = {ratio:.2f}x",
                "" if aim is None else f"≥ {aim}x",
                None if aim is None else ratio >= aim,
            )
        )
        floor_call_expected = (404,) if portal_name == "token floor" else ()
        rows.append(
            f"| {portal_name} | {portal_rate:.1f} /s | "
            f"{_p95(portal_runs)} | {_failures(portal_runs, floor_call_expected)} | "
            f"{bare_name} | "
            f"{bare_rate:.1f} /s | {_p95(bare_runs)} | {_failures(bare_runs)} | "
            f"{ratio:.2f}x ({'no aim' if aim is None else f'aim ≥ {aim}x'}) |"
        )
    no_op = _mean(r.per_second for r in rates.get((0, "bare"), []))
    two_reads = _mean(r.per_second for r in rates.get((3, "bare"), []))
    if no_op:
        result.figures.append(
            Figure(
                "bare two reads by key / bare no-op (rates, same run)",
                f"{two_reads:.0f} /s / {no_op:.0f} /s = {two_reads / no_op:.2f}x",
            )
        )
    lock_and_insert = _mean(r.per_second for r in rates.get((LOCK_AND_INSERT, "bare"), []))
    statements = _mean(r.per_second for r in rates.get((STATEMENTS, "bare"), []))
    if lock_and_insert:
        result.figures.append(
            Figure(
                "bare submission's 10 statements / bare lock + insert 20 (rates, same run)",
                f"{statements:.0f} /s / {lock_and_insert:.0f} /s = "
                f"{statements / lock_and_insert:.2f}x",
            )
        )
    result.details.append(
        f"{clients} client threads, {seconds:.0f} s per side and round, {ROUNDS} rounds "
        "alternated (bare then portal); rates are the means of the rounds, p95 the worst "
        "round's.\n\n"
        "| Portal | Rate | p95 | Failures | Bare Django | Rate | p95 | Failures | Ratio |\n"
        "|---|---|---|---|---|---|---|---|---|\n" + "\n".join(rows)
    )
    result.details.append(
        f"The {len(sent)} baskets the submissions opened were dropped: "
        + (", ".join(f"HTTP {k}: {v}" for k, v in sorted(basket_drops.items())) or "none")
        + "."
    )
    return result


def _drop(ctx: Context, sent: list[basket.Plan]) -> dict[int, int]:
    statuses: dict[int, int] = {}
    with ctx.server.client() as client:
        for identity, _changes in sent:
            client.cookies, client.token = {}, identity.token
            status = client.delete(basket.BASKET_PATH).status
            statuses[status] = statuses.get(status, 0) + 1
    return statuses


def _mean(values) -> float:  # noqa: ANN001 - an iterable of floats
    values = list(values)
    return sum(values) / len(values) if values else 0.0


def _p95(runs: list[LoadResult]) -> str:
    return fmt_ms(max((r.latency.p95_ms for r in runs), default=float("nan")))


def _failures(runs: list[LoadResult], expected: tuple[int, ...] = ()) -> str:
    texts = {r.failures_text(expected) for r in runs} - {"none"}
    return "; ".join(sorted(texts)) or "none"


SCENARIO = Scenario("bare", "The portal against bare Django, same run", run)
