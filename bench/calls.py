"""`python bench/calls.py DATABASE_URL OUTPUT [ROUNDS]`: what the bench's requests cost, in
figures a busy machine does not change.

Run by `python -m bench.compare` in each commit's worktree (its `PYTHONPATH`, so that
commit's code and bench helpers answer), on a city a bench run kept. The same household
and days for every commit: a family of three's typical week (dry run, apply, drop), a
household's 20-day basket (submit, drop), its planning (API) and the floor. For each
request, through Django's test client in this process: SQL statements and Python
function calls (cProfile; the same code gives the same counts, however busy the machine),
the least CPU time this process used over ROUNDS runs (the run other processes disturbed
least) and the mean CPU time of PostgreSQL's backend (the kernel counts it in 10 ms
ticks). Writes JSON to OUTPUT.
"""

import cProfile
import datetime
import json
import pstats
import sys
import time
from pathlib import Path


def main(url: str, output: Path, rounds: int) -> None:
    from bench.__main__ import configure_django

    configure_django(url)
    from django.db import connection
    from django.db.models import Count, Q
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from bench.profiling import _backend_cpu
    from bench.scenarios import typical_week
    from bench.scenarios.base import first_guardians, with_tokens
    from bench.scenarios.basket import LEAD_DAYS, bookable_days
    from portail.activities.models import Activity
    from portail.families.models import Household

    today = timezone.localdate()
    canteen = Q(
        children__enrolments__activity__kind=Activity.Kind.CANTEEN,
        children__enrolments__valid_to__gt=today,
    )
    family = (
        Household.objects.annotate(n=Count("children", filter=canteen, distinct=True))
        .filter(n__gte=typical_week.CHILDREN)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    guardians = first_guardians()
    days = bookable_days(today + datetime.timedelta(days=LEAD_DAYS), 20)
    basket_household = min(h for h in days if h in guardians and h != family)
    tokens = [i.token for i in with_tokens([family, basket_household], guardians)]
    tw = Client(HTTP_AUTHORIZATION=f"Bearer {tokens[0]}", HTTP_HOST="127.0.0.1")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {tokens[1]}", HTTP_HOST="127.0.0.1")
    patterns = typical_week._patterns(family, today)  # noqa: SLF001 - the bench's own
    week = f"{today.isocalendar()[0]}-W{today.isocalendar()[1]:02d}"
    calls = {
        "Typical week, dry run": lambda: tw.post(
            typical_week.PATH, {"patterns": patterns, "dry_run": True}, "application/json"
        ),
        "Typical week, apply": lambda: tw.post(
            typical_week.PATH, {"patterns": patterns}, "application/json"
        ),
        "Typical week, drop (DELETE /api/v1/basket)": lambda: tw.delete("/api/v1/basket"),
        "Basket of 20 days, POST /api/v1/basket": lambda: api.post(
            "/api/v1/basket", {"add": days[basket_household], "cancel": []}, "application/json"
        ),
        "Basket of 20 days, DELETE /api/v1/basket": lambda: api.delete("/api/v1/basket"),
        f"GET /api/v1/planning?week={week}": lambda: api.get(f"/api/v1/planning?week={week}"),
        "GET /api/v1/nothing (floor)": lambda: api.get("/api/v1/nothing"),
    }
    tw.delete("/api/v1/basket")
    api.delete("/api/v1/basket")
    for _ in range(2):  # warm-up: imports and first-use caches
        for send in calls.values():
            send()
    backend = _backend_cpu()
    here: dict[str, list[float]] = {label: [] for label in calls}
    db: dict[str, list[float]] = {label: [] for label in calls}
    for _ in range(rounds):
        for label, send in calls.items():
            cpu, db_cpu = time.process_time(), backend() if backend else 0.0
            send()
            here[label].append(time.process_time() - cpu)
            db[label].append((backend() - db_cpu) if backend else 0.0)
    result = {}
    for label, send in calls.items():
        profiler = cProfile.Profile()
        with CaptureQueriesContext(connection) as captured:
            profiler.enable()
            status = send().status_code
            profiler.disable()
        result[label] = {
            "status": status,
            "sql": len(captured.captured_queries),
            "python_calls": pstats.Stats(profiler).total_calls,  # type: ignore[attr-defined]
            "cpu_ms": min(here[label]) * 1000,
            "db_cpu_ms": sum(db[label]) / rounds * 1000,
        }
    output.write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 10)
