"""The Markdown report: a hand-written introduction kept as is, then the generated figures.

Everything above the MARKER line of an existing report is kept (edit it freely);
everything below is rewritten by each run.
"""

import datetime
import os
import platform
from dataclasses import dataclass
from pathlib import Path

from bench.city import CityReport
from bench.options import Options
from bench.scenarios.base import Figure, Result, Scenario

MARKER = "<!-- Everything below this line is written by `python -m bench`; edit above it. -->"

DEFAULT_INTRO = """# Benchmarks

`make bench` (that is `.venv/bin/python -m bench`) measures the portal as a city would run
it: real data, the real application server, requests over HTTP.

## Method

- **Data.** A dedicated PostgreSQL database (`portail_bench`) is created and migrated, then
  filled by a generator (`bench/city/`): a city of 10,000 children in about 5,500 households
  (one or two guardians each, with a login), 20 schools each with a canteen, an ALAE
  morning and an ALAE evening, 3 leisure centres open on Wednesdays, price bands by
  quotient familial, every session of the school year from the product's own calendar
  (`generate_sessions`: public and zone C school holidays left out), enrolments for the
  year, and the year of bookings so far: most children booked 4 days a week from the
  start of the school year to the end of next week, one basket per household and month
  paid a few days before (credit first, the rest by a PayFiP payment), 3 % of the days
  cancelled in time (credited to the household's ledger and used the next month), the
  history of every action and attendance marks for the days already past. These
  historical rows are written directly (COPY) for speed; everything measured below goes
  through the real HTTP stack and services.
- **Server.** gunicorn serves `portail.wsgi` on a free loopback port (gthread workers,
  `PORTAIL_ENV=development DEBUG=0`), started and always stopped by the bench.
- **Load.** Python threads with one keep-alive connection each (`http.client`) on the same
  machine as the server and PostgreSQL, so the client's own CPU use is part of the
  figures. Guardians sign in through the real login form (session cookie) or get an API
  token from `POST /api/v1/auth/token`. Every run is bounded in requests and in time.
- **Latency** is measured by the client, from sending the request to reading the whole
  answer; median and p95 are nearest-rank percentiles over the successful requests.
- **Basket submissions:** as on the morning bookings open, thousands of households each
  submit their next 20 bookable days once (`POST /api/v1/basket`, own API token issued
  in-process) and keep their basket open, holding the places; 20 client threads take
  them from one queue for the time given, and only `201` answers count. Every basket
  opened is then dropped (`DELETE /api/v1/basket`) by the same threads, which measures
  the drop and leaves the database as it was. A few submit + drop cycles are then run
  in-process (Django's test client) to count SQL statements, measure the CPU each call
  uses in Django and in PostgreSQL's backend, profile where the time goes, and time how
  long a submission holds the sessions' row locks, from the statement that takes them to
  the end of its COMMIT (`bench/lock_hold.py`): what a household asking for the same days
  waits behind it.
- **Floor:** the same clients call `GET /api/v1/basket` with a token while no basket is
  open (two queries: the token with its guardian, then the open basket; a 404), and
  `GET /api/v1/nothing` without a token (no query): the cost of the HTTP server, Django
  and authentication alone, against which the other rates can be read.
- **Bare Django** (`bench/bare/`, scenario `bare`): a Django app with no middleware,
  session or authentication, served by the same gunicorn settings from its own database on
  the same PostgreSQL, measured by the same clients in the same run, alternated with the
  portal: a no-op against the token floor, a 60-cell page (one query, one template)
  against the planning page, "lock a row + insert 20 rows" against a 20-day submission.
  The ratios of the rates are the portal's aims (≥ 0.5, ≥ 0.25, ≥ 0.25). Two more pairs
  without an aim: "two rows read by key" against the token floor, which reads two rows
  (the token, the open basket): what those two round trips cost bare Django itself; and
  "the submission's statements" against the 20-day submission: bare Django sending what
  the submission sends the database (a read by key, BEGIN, a row and 20 rows locked in
  one statement, two reads, one row then 20 rows in each of three INSERTs, COMMIT) with no rule
  around it.
- **Opening morning** (scenario `opening`): `--opening-households` households (5,000 by
  default), `--opening-clients` at once, each through the real pages: the login form
  (password checked), the planning of the opening week, a submission of every block it
  offers, the basket page; p95 of each step, failures, and the time until every household
  had its answer. Every basket opened is dropped afterwards.
- **Memory:** peak resident set (`VmHWM` in `/proc/<pid>/status`) of each gunicorn worker.
- **Scenarios** are modules of `bench/scenarios/`, listed in `SCENARIOS` (`--scenarios`
  runs some of them). Each also says how much of the machine's CPU other processes took
  while it ran: figures taken on a busy machine are not comparable with quiet ones.

The machine is shared with PostgreSQL and the load client, and has few cores: the figures
are a floor for a dedicated server, not a ceiling. Run `python -m bench --help` for the
options (a small city: `--scale 0.05`).
"""


@dataclass
class Outcome:
    scenario: Scenario
    result: Result | None
    error: str = ""
    cpu: tuple[float, float] | None = None  # (machine busy, used by other processes), 0-1


def machine() -> dict[str, str]:
    mem_kib = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kib = int(line.split()[1])
    except OSError:
        pass
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpus": str(os.cpu_count() or "?"),
        "cpu": cpu or "unknown",
        "memory": f"{mem_kib / 1024 / 1024:.1f} GiB" if mem_kib else "unknown",
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
    }


def _yes_no(met: bool | None) -> str:
    if met is None:
        return "—"
    return "yes" if met else "**no**"


def render(
    options: Options,
    city: CityReport,
    counts: list[tuple[str, int]],
    outcomes: list[Outcome],
    *,
    started: datetime.datetime,
    seconds: float,
    versions: dict[str, str],
    command: str,
    reused: bool,
    load_before: tuple[float, float, float] | None = None,
) -> str:
    m = machine()
    figures: list[Figure] = [
        Figure(
            "Data generation (whole city and year so far)",
            "reused from a previous run" if reused else f"{city.seconds:.0f} s",
        )
    ]
    for outcome in outcomes:
        if outcome.result is not None:
            figures.extend(outcome.result.figures)
        else:
            figures.append(Figure(outcome.scenario.title, "failed: see below", "", False))
    total_rows = sum(n for _, n in counts)
    others = [o.cpu[1] for o in outcomes if o.cpu]
    quiet = (
        f" During the scenarios, other processes used {min(others):.0%} to {max(others):.0%} "
        "of the machine's CPU (each scenario says how much)."
        if others
        else ""
    )
    out = [
        "## Latest run",
        "",
        f"- Date: {started:%Y-%m-%d %H:%M} (Europe/Paris); the bench ran {seconds:.0f} s.",
        f"- Machine: {m['cpus']} CPU(s) ({m['cpu']}), {m['memory']} memory, {m['system']}."
        + (
            f" Load average when the bench started: {load_before[0]:.1f} / "
            f"{load_before[1]:.1f} / {load_before[2]:.1f} (1 / 5 / 15 min; other work on "
            "the machine slows every figure down)."
            if load_before
            else ""
        )
        + quiet,
        f"- Software: Python {m['python']}, PostgreSQL {versions.get('postgresql', '?')}, "
        f"Django {versions.get('django', '?')}, gunicorn {versions.get('gunicorn', '?')} "
        f"({options.workers} workers × {options.threads} threads, gthread).",
        f"- City: scale {options.scale:g}, seed {options.seed}, school year "
        f"{city.year_start:%d/%m/%Y}–{city.year_end:%d/%m/%Y}, today {city.today:%d/%m/%Y}, "
        f"bookings up to {city.booked_until:%d/%m/%Y}.",
        f"- Command: `{command}`",
        "",
        "### Figures vs aims",
        "",
        "| Measure | Result | Aim | Met |",
        "|---|---|---|---|",
        *(f"| {f.label} | {f.value} | {f.aim or '—'} | {_yes_no(f.met)} |" for f in figures),
        "",
        "### Data",
        "",
    ]
    if reused:
        out.append("The database of a previous `--keep-db` run was reused (not generated again).")
    else:
        out += [
            f"Generated in {city.seconds:.1f} s:",
            "",
            "| Step | Seconds |",
            "|---|---|",
            *(f"| {name} | {s:.1f} |" for name, s in city.steps),
        ]
    out += [
        "",
        f"Rows per table ({total_rows:,} in all):".replace(",", " "),
        "",
        "| Model | Rows |",
        "|---|---|",
        *(f"| {label} | {n:,} |".replace(",", " ") for label, n in counts if n),
        "",
    ]
    for outcome in outcomes:
        out += [f"### {outcome.scenario.title}", ""]
        if outcome.cpu:
            out += [
                f"CPU during this scenario: the machine was {outcome.cpu[0]:.0%} busy, "
                f"{outcome.cpu[1]:.0%} by other processes than the bench, its server and its "
                "database sessions.",
                "",
            ]
        if outcome.result is None:
            out += ["The scenario failed:", "", "```", outcome.error.strip(), "```", ""]
            continue
        for block in outcome.result.details:
            out += [block, ""]
    return "\n".join(out).rstrip() + "\n"


def write(path: Path, body: str) -> None:
    """Keep the hand-written part above MARKER (or the default intro), replace the rest."""
    intro = DEFAULT_INTRO.rstrip() + "\n"
    if path.exists():
        existing = path.read_text()
        if MARKER in existing:
            intro = existing.split(MARKER, 1)[0].rstrip() + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{intro}\n{MARKER}\n\n{body}")
