"""Where the time goes: a few requests run in this process, SQL counted and profiled.

The requests go through Django's test client: the same middleware, views, services and
database as the server, without the HTTP server, so cProfile and the query log see all of
it. Figures include the profiler's overhead; they explain, the load runs measure.
"""

import cProfile
import os
import pstats
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext


@dataclass(frozen=True)
class Call:
    label: str  # e.g. "POST /api/v1/basket"
    send: Callable[[], HttpResponse]


def _bucket(key: tuple[str, int, str]) -> str:
    filename, _line, func = key
    where = f"{filename} {func}"
    if "psycopg" in where:
        return "psycopg: sending SQL and waiting for PostgreSQL"
    if "/django/db/" in filename:
        return "Django ORM: building queries and reading rows"
    if "/django/template" in filename:
        return "Django templates"
    if "/django/" in filename:
        return "Django: request handling, middleware, other"
    if "/portail/" in filename:
        return "portail: the project's own code"
    return "Python standard library and other"


def profile(calls: list[Call], rounds: int, *, what: str) -> str:
    """Run `calls` in order, `rounds` times; Markdown saying what they cost and where."""
    queries: dict[str, list[int]] = defaultdict(list)
    kinds: Counter = Counter()
    by_statement: Counter = Counter()  # seconds per statement shape
    statuses: Counter = Counter()
    sql_seconds = 0.0
    wall = 0.0
    profiler = cProfile.Profile()
    for call in calls:
        call.send()  # warm-up (imports, first-use caches), not counted
    # Plain rounds first: the time a round takes with nothing watching it, and the CPU
    # each call uses here (Django, the project) and in PostgreSQL's backend.
    backend_cpu = _backend_cpu()
    cpu_here: Counter = Counter()
    cpu_db: Counter = Counter()
    started = time.perf_counter()
    for _ in range(rounds):
        for call in calls:
            here, db = time.process_time(), backend_cpu() if backend_cpu else 0.0
            call.send()
            cpu_here[call.label] += time.process_time() - here
            cpu_db[call.label] += (backend_cpu() - db) if backend_cpu else 0.0
    plain_ms = (time.perf_counter() - started) / rounds * 1000
    for _ in range(rounds):
        for call in calls:
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                profiler.enable()
                response = call.send()
                profiler.disable()
                wall += time.perf_counter() - started
            statuses[f"{call.label} → {response.status_code}"] += 1
            queries[call.label].append(len(captured.captured_queries))
            for query in captured.captured_queries:
                sql_seconds += float(query["time"])
                by_statement[(call.label, _shape(query["sql"]))] += float(query["time"])
                # A UNION's first SELECT starts with "(".
                sql = query["sql"].lstrip("(")
                verb = sql.split(None, 1)[0].upper() if sql else "?"
                kinds[(call.label, verb)] += 1
    stats = pstats.Stats(profiler)
    raw = stats.stats  # type: ignore[attr-defined]
    buckets: Counter = Counter()
    for key, (_cc, _nc, tottime, _ct, _callers) in raw.items():
        buckets[_bucket(key)] += tottime
    total = sum(buckets.values()) or 1.0
    own = sorted(
        (
            (ct, nc, f"{key[0].split('/portail/', 1)[-1]}:{key[2]}")
            for key, (_cc, nc, _tt, ct, _callers) in raw.items()
            if "/portail/" in key[0] and "/bench/" not in key[0]
        ),
        reverse=True,
    )[:12]
    per_round_ms = wall / rounds * 1000
    lines = [
        f"**Where the time goes** ({what}, {rounds} times, in this process through Django's "
        "test client: same middleware, views, services and database, no HTTP server; "
        "answers: " + ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items())) + ").",
        "",
        *(
            f"- `{label}`: {_avg(counts)} SQL statements ("
            + ", ".join(
                f"{verb} {n / rounds:.1f}"
                for (lbl, verb), n in sorted(kinds.items())
                if lbl == label
            )
            + ")."
            for label, counts in queries.items()
        ),
        f"- Each round: {plain_ms:.1f} ms alone, one at a time. Django and PostgreSQL share "
        f"this machine's {os.cpu_count()} CPU(s) and a round is nearly all CPU work, so "
        f"rounds cannot go much faster than about {_per_second(plain_ms)} per second here, "
        "however many clients. Profiled and logged: "
        f"{per_round_ms:.1f} ms, of which {sql_seconds / rounds * 1000:.1f} ms "
        f"inside SQL calls ({sql_seconds / wall * 100 if wall else 0:.0f} %).",
        *(
            f"- `{label}` alone uses {(here + db) * 1000:.1f} ms of CPU: {here * 1000:.1f} ms "
            f"in Django and the project, {db * 1000:.1f} ms in PostgreSQL's backend "
            f"(± {10 / rounds:.1f} ms: the kernel counts in 10 ms ticks)."
            for label, here, db in (
                (c.label, cpu_here[c.label] / rounds, cpu_db[c.label] / rounds) for c in calls
            )
            if backend_cpu
        ),
        "",
        "| Slowest SQL statements (per round) | ms |",
        "|---|---|",
        *(
            f"| `{label}`: `{shape}` | {seconds / rounds * 1000:.1f} |"
            for (label, shape), seconds in by_statement.most_common(4)
        ),
        "",
        "| Time by area (profiled, own time) | Share |",
        "|---|---|",
        *(f"| {name} | {seconds / total * 100:.0f} % |" for name, seconds in buckets.most_common()),
        "",
        "| Project function (cumulative, per round) | ms | calls |",
        "|---|---|---|",
        *(f"| `{name}` | {ct / rounds * 1000:.1f} | {nc / rounds:.0f} |" for ct, nc, name in own),
    ]
    return "\n".join(lines)


def _backend_cpu() -> Callable[[], float] | None:
    """A reader of the CPU seconds used so far by this connection's PostgreSQL backend
    (/proc, so PostgreSQL on this machine only); None elsewhere."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    stat = Path(f"/proc/{pid}/stat")
    tick = os.sysconf("SC_CLK_TCK")

    def read() -> float:
        fields = stat.read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / tick  # utime + stime

    try:
        read()
    except OSError:
        return None
    return read


def _shape(sql: str, width: int = 160) -> str:
    """A statement's gist (column lists and literals folded), for grouping and showing."""
    text = " ".join(sql.split())
    text = re.sub(r"IN \([^)]*\)", "IN (…)", text)
    text = re.sub(r"'[^']*'", "'…'", text).replace('"', "").replace("|", "¦")
    if text.upper().startswith("SELECT") and " FROM " in text:
        text = "SELECT … FROM " + text.split(" FROM ", 1)[1]  # noqa: S608 - text shown, not run
    elif text.upper().startswith("INSERT") and " VALUES " in text:
        text = text.split(" (", 1)[0] + " …"
    return text if len(text) <= width else text[: width - 1] + "…"


def _per_second(round_ms: float) -> str:
    return f"{(os.cpu_count() or 1) * 1000 / round_ms:.0f}" if round_ms > 0 else "?"


def _avg(values: list[int]) -> str:
    if not values:
        return "n/a"
    low, high = min(values), max(values)
    return f"{sum(values) / len(values):.0f}" + (f" ({low}–{high})" if low != high else "")
