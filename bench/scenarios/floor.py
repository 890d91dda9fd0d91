"""The floor: what the HTTP server, Django and authentication cost on their own.

With the same clients as the basket scenario (`--clients` threads, one keep-alive
connection each), two requests that do next to nothing, sent for a few seconds each:

- `GET /api/v1/nothing` without a token: the API's JSON 404 (URL routing, middleware,
  the API's wrapper, no database);
- `GET /api/v1/basket` with a guardian's token while no basket is open: the token (with
  its user, guardian and household) and the open basket read, then a JSON 404.

No page can be served faster than these on this machine; the other rates read against
them (a 20-day submission that ran at the authenticated floor's rate would cost no
more than two queries).
"""

import itertools

from bench.httpclient import HttpClient, Response
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
from portail.reservations.models import Basket, BasketStatus

SECONDS = 10.0
UNKNOWN_PATH = "/api/v1/nothing"
BASKET_PATH = "/api/v1/basket"


def identities(count: int) -> list[Identity]:
    """`count` guardians of households without an open basket, with fresh tokens."""
    busy = set(
        Basket.objects.filter(status=BasketStatus.OPEN).values_list("household_id", flat=True)
    )
    guardians = first_guardians()
    return with_tokens([h for h in sorted(guardians) if h not in busy][:count], guardians)


def run(ctx: Context) -> Result:
    result = Result()
    seconds = min(SECONDS, ctx.options.duration)
    # Far more tasks than can be sent in the time: the time limit ends each run.
    tasks = 100_000
    people = identities(ctx.options.clients)

    def anonymous(client: HttpClient, _task: int) -> Response:
        return client.get(UNKNOWN_PATH)

    guardians = itertools.cycle(people)

    def authenticated(client: HttpClient, _task: int) -> Response:
        if client.token is None:
            client.token = next(guardians).token  # one guardian per connection
        return client.get(BASKET_PATH)

    rows = []
    for label, send in (
        (f"`GET {UNKNOWN_PATH}` without a token → 404", anonymous),
        (f"`GET {BASKET_PATH}` with a token, no basket → 404", authenticated),
    ):
        load = run_load(
            range(tasks),
            send,
            make_client=ctx.server.client,
            concurrency=ctx.options.clients,
            time_limit=seconds,
            ok=lambda r: r.status == 404,
        )
        lat = load.latency
        rows.append(
            f"| {label} | {load.ok} | {fmt_ms(lat.median_ms)} | {fmt_ms(lat.p95_ms)} | "
            f"{load.per_second:.0f} | {load.failures_text(expected=(404,))} |"
        )
        result.figures.append(Figure(f"Floor: {label}", f"{load.per_second:.0f} /s"))
    result.details.append(
        f"{ctx.options.clients} threads, one keep-alive connection each, for {seconds:.0f} s "
        "per line.\n\n"
        "| Request | Answers | Median | p95 | Per second | Failures |\n"
        "|---|---|---|---|---|---|\n" + "\n".join(rows)
    )
    return result


SCENARIO = Scenario("floor", "The floor: server, Django and authentication alone", run)
