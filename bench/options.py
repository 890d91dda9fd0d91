"""Command-line options of `python -m bench`."""

import argparse
import datetime
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/portail_bench"


@dataclass(frozen=True)
class Options:
    scale: float
    seed: int
    today: datetime.date | None
    database_url: str
    keep_db: bool
    reuse_db: bool
    workers: int
    threads: int
    requests: int
    concurrency: int
    households: int
    clients: int
    basket_days: int
    duration: float
    profile_rounds: int
    opening_households: int
    opening_clients: int
    scenarios: tuple[str, ...]
    output: Path

    @property
    def full_city(self) -> bool:
        return self.scale == 1.0


class _Formatter(argparse.ArgumentDefaultsHelpFormatter):
    """Shows defaults, except None and on/off flags (their help says it)."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        if action.default is None or isinstance(action.default, bool):
            return action.help
        return super()._get_help_string(action)


def parser(scenario_names: list[str]) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m bench",
        description=(
            "Generate a city (10,000 children at --scale 1) with a school year of bookings in a "
            "dedicated PostgreSQL database, serve it with gunicorn on the loopback, measure the "
            "scenarios through HTTP and write the figures to a Markdown report. Everything is "
            "bounded in count and time; the server is always stopped and the database dropped "
            "at the end (unless --keep-db)."
        ),
        formatter_class=_Formatter,
    )
    data = p.add_argument_group("data")
    data.add_argument(
        "--scale", type=float, default=1.0, help="size of the city: 1 = 10,000 children, 0.05 = 500"
    )
    data.add_argument("--seed", type=int, default=2026, help="random seed of the generator")
    data.add_argument(
        "--today",
        type=datetime.date.fromisoformat,
        default=None,
        help="the day the year of bookings runs up to (YYYY-MM-DD; default: today, Paris)",
    )
    data.add_argument("--database-url", default=DEFAULT_DATABASE_URL, help="database to (re)create")
    data.add_argument("--keep-db", action="store_true", help="do not drop the database at the end")
    data.add_argument(
        "--reuse-db",
        action="store_true",
        help="reuse the database of a previous --keep-db run instead of generating "
        "(implies --keep-db)",
    )
    server = p.add_argument_group("server (gunicorn, gthread workers)")
    server.add_argument("--workers", type=int, default=3, help="worker processes")
    server.add_argument("--threads", type=int, default=4, help="threads per worker")
    load = p.add_argument_group("load")
    load.add_argument("--requests", type=int, default=300, help="requests per planning measurement")
    load.add_argument(
        "--concurrency", type=int, default=8, help="clients of the concurrent planning runs"
    )
    load.add_argument(
        "--households", type=int, default=60, help="households signed in for the planning runs"
    )
    load.add_argument(
        "--clients", type=int, default=20, help="concurrent households submitting baskets"
    )
    load.add_argument("--basket-days", type=int, default=20, help="days added per submission")
    load.add_argument(
        "--duration", type=float, default=30.0, help="seconds of basket submissions (upper bound)"
    )
    load.add_argument(
        "--opening-households",
        type=int,
        default=5000,
        help="households rushing in on opening morning (sign in, planning, submit); "
        "at most the city's households with a bookable week",
    )
    load.add_argument(
        "--opening-clients",
        type=int,
        default=50,
        help="households on the portal at once on opening morning",
    )
    load.add_argument(
        "--profile-rounds",
        type=int,
        default=20,
        help="rounds of in-process requests counted (SQL) and profiled after each load; 0: skip",
    )
    p.add_argument(
        "--scenarios",
        default=",".join(scenario_names),
        help=f"comma-separated scenarios to run, in order (choices: {', '.join(scenario_names)})",
    )
    p.add_argument(
        "--output",
        type=Path,
        default=None,
        help="report file (default: docs/benchmarks.md for the full city, "
        "var/benchmarks-scale-<scale>.md otherwise)",
    )
    return p


def parse(argv: list[str] | None, scenario_names: list[str]) -> Options:
    p = parser(scenario_names)
    args = p.parse_args(argv)
    chosen = tuple(s.strip() for s in args.scenarios.split(",") if s.strip())
    unknown = [s for s in chosen if s not in scenario_names]
    if unknown:
        p.error(f"unknown scenario(s): {', '.join(unknown)}")
    if args.scale <= 0:
        p.error("--scale must be positive")
    for name in (
        "workers",
        "threads",
        "requests",
        "concurrency",
        "households",
        "clients",
        "opening_households",
        "opening_clients",
    ):
        if getattr(args, name) < 1:
            p.error(f"--{name.replace('_', '-')} must be at least 1")
    if not 1 <= args.basket_days <= 200:
        p.error("--basket-days must be between 1 and 200")
    if args.duration <= 0 or args.duration > 600:
        p.error("--duration must be between 0 and 600 seconds")
    output = args.output
    if output is None:
        output = (
            REPO / "docs" / "benchmarks.md"
            if args.scale == 1.0
            else REPO / "var" / f"benchmarks-scale-{args.scale:g}.md"
        )
    return Options(
        scale=args.scale,
        seed=args.seed,
        today=args.today,
        database_url=args.database_url,
        keep_db=args.keep_db or args.reuse_db,
        reuse_db=args.reuse_db,
        workers=args.workers,
        threads=args.threads,
        requests=args.requests,
        concurrency=args.concurrency,
        households=args.households,
        clients=args.clients,
        basket_days=args.basket_days,
        duration=args.duration,
        profile_rounds=max(0, args.profile_rounds),
        opening_households=args.opening_households,
        opening_clients=args.opening_clients,
        scenarios=chosen,
        output=output,
    )
