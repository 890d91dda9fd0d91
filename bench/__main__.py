"""`python -m bench`: generate the city, serve it, run the scenarios, write the report."""

import argparse
import datetime
import json
import os
import random
import shlex
import signal
import sys
import tempfile
import time
import traceback
from importlib.metadata import version
from pathlib import Path

from bench.options import DEFAULT_DATABASE_URL, REPO, Options


def say(message: str) -> None:
    print(message, flush=True)


def configure_django(database_url: str) -> None:
    """This process uses the bench database too (generator, in-process profiling)."""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "portail.settings",
            "PORTAIL_ENV": "development",
            "DEBUG": "0",
            "DATABASE_URL": database_url,
            "ALLOWED_HOSTS": "127.0.0.1,testserver",
            "LOG_LEVEL": "WARNING",
        }
    )
    import logging
    import warnings

    import django

    django.setup()
    # The in-process profiling runs would print these; the server's log keeps its own.
    logging.getLogger("django.request").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", message="No directory at")


def _database_url(argv: list[str]) -> str:
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    known, _rest = pre.parse_known_args(argv)
    return known.database_url


def _city_file(options: Options) -> Path:
    from bench.database import database_name

    return REPO / "var" / f"{database_name(options.database_url)}.city.json"


def _save_city(options: Options, city) -> None:  # noqa: ANN001 - CityReport
    from dataclasses import asdict

    path = _city_file(options)
    path.parent.mkdir(parents=True, exist_ok=True)  # var/ is not in a fresh clone
    path.write_text(json.dumps(asdict(city), default=str, indent=1))


def _load_city(options: Options):  # noqa: ANN202 - CityReport
    from bench.city import CityReport
    from bench.city.bookings import BookingTotals

    raw = json.loads(_city_file(options).read_text())
    for key in ("today", "year_start", "year_end", "booked_until"):
        raw[key] = datetime.date.fromisoformat(raw[key])
    raw["steps"] = [tuple(step) for step in raw["steps"]]
    raw["bookings"] = BookingTotals(**raw["bookings"])
    return CityReport(**raw)


def own_pids(server) -> list[int]:  # noqa: ANN001 - bench.server.Server
    """The server's processes and the PostgreSQL sessions of the bench database."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        sessions = [row[0] for row in cursor.fetchall()]
    return [server.process.pid, *server.worker_pids(), *sessions]


def run_one(ctx, scenario, watch):  # noqa: ANN001, ANN201 - Context, Scenario, CpuWatch
    """Run one scenario; its failure is reported, never raised, so the next one runs."""
    from bench import report

    watch.start()
    try:
        result = scenario.run(ctx)
    except Exception:  # noqa: BLE001 - reported in the report
        error = traceback.format_exc()
        say(error)
        log = ctx.server.log_tail()
        if log:
            error += "\nLast lines of the server's log:\n" + log
        return report.Outcome(scenario, None, error, watch.stop())
    cpu = watch.stop()
    errors = ctx.new_server_errors()
    if errors:
        result.details.append(
            "Server errors logged during this scenario (last lines):\n\n"
            + "\n\n".join(f"```\n{tb}\n```" for tb in errors)
        )
    for figure in result.figures:
        aim = f" (aim {figure.aim})" if figure.aim else ""
        say(f"  {figure.label}: {figure.value}{aim}")
    if cpu:
        say(f"  (CPU: machine {cpu[0]:.0%} busy, other processes {cpu[1]:.0%})")
    return report.Outcome(scenario, result, "", cpu)


def stop_on_sigterm() -> None:
    """SIGTERM ends the run as Ctrl-C does: the server is stopped, the database dropped."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    stop_on_sigterm()
    configure_django(_database_url(argv))

    from django.core.management import call_command
    from django.db import connections
    from django.utils import timezone

    from bench import database, report
    from bench.city import generate_city, row_counts
    from bench.cpu import CpuWatch
    from bench.options import parse
    from bench.scenarios import SCENARIOS, Context
    from bench.server import running_server

    options = parse(argv, [s.name for s in SCENARIOS])
    load_before = os.getloadavg()
    started_at = timezone.localtime()
    started = time.perf_counter()
    today = options.today or timezone.localdate()
    say(f"Portail Famille bench: scale {options.scale:g}, database {options.database_url}")
    database.ensure_server(options.database_url)
    outcomes: list[report.Outcome] = []
    try:
        if options.reuse_db:
            if not database.exists(options.database_url) or not _city_file(options).exists():
                say("No database from a previous --keep-db run to reuse.")
                return 2
            city = _load_city(options)
            say("Reusing the existing database (migrated to this code first).")
            call_command("migrate", verbosity=0, interactive=False)
        else:
            say("Creating the database and migrating…")
            database.recreate(options.database_url)
            call_command("migrate", verbosity=0, interactive=False)
            say("Generating the city…")
            city = generate_city(options.scale, seed=options.seed, today=today, progress=say)
            say(f"Generated in {city.seconds:.1f} s.")
            if options.keep_db:
                _save_city(options, city)
        counts = row_counts()
        for label, n in counts:
            if n:
                say(f"  {label}: {n}")
        scenarios = [s for name in options.scenarios for s in SCENARIOS if s.name == name]
        with tempfile.TemporaryDirectory(prefix="portail-bench-") as log_dir:
            say(f"Starting gunicorn ({options.workers} workers × {options.threads} threads)…")
            with running_server(
                options.database_url,
                workers=options.workers,
                threads=options.threads,
                log_dir=Path(log_dir),
            ) as server:
                ctx = Context(options, city, server, random.Random(options.seed))  # noqa: S311 - reproducible draws
                watch = CpuWatch(lambda: own_pids(server))
                for scenario in scenarios:
                    say(f"Scenario {scenario.name}: {scenario.title}…")
                    outcomes.append(run_one(ctx, scenario, watch))
                    server.sample_memory()
        versions = {
            "django": version("django"),
            "gunicorn": version("gunicorn"),
            "postgresql": database.server_version(options.database_url),
        }
        body = report.render(
            options,
            city,
            counts,
            outcomes,
            started=started_at,
            seconds=time.perf_counter() - started,
            versions=versions,
            command=shlex.join([".venv/bin/python", "-m", "bench", *argv]),
            reused=options.reuse_db,
            load_before=load_before,
        )
        report.write(options.output, body)
        say(f"Report written to {options.output}")
    finally:
        connections.close_all()
        if not options.keep_db:
            database.drop(options.database_url)
            say("Database dropped.")
    return 1 if any(o.result is None for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
