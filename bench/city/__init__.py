"""The generated city: `generate_city(...)` writes it, `row_counts()` describes it."""

import datetime
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import DatabaseError, connection

from bench.city.bookings import BookingTotals, booked_until, build_bookings
from bench.city.build import (
    BENCH_PASSWORD,
    build_enrolments,
    build_families,
    build_sessions,
    build_structure,
)
from bench.city.plan import Scale, plan_city
from portail.activities.calendar import school_year_bounds

__all__ = ["BENCH_PASSWORD", "CityReport", "generate_city", "row_counts", "school_year_for"]


@dataclass
class CityReport:
    scale: float
    seed: int
    today: datetime.date
    year_start: datetime.date
    year_end: datetime.date
    booked_until: datetime.date
    steps: list[tuple[str, float]] = field(default_factory=list)  # (step, seconds)
    bookings: BookingTotals = field(default_factory=BookingTotals)

    @property
    def seconds(self) -> float:
        return sum(s for _, s in self.steps)


def school_year_for(today: datetime.date, zone: str = "C") -> tuple[datetime.date, datetime.date]:
    """The school year under way (or, in the summer holidays, the one about to start)."""
    return school_year_bounds(today, zone)


def generate_city(
    scale: float,
    *,
    seed: int,
    today: datetime.date,
    progress: Callable[[str], None] = lambda _msg: None,
) -> CityReport:
    """Write the whole city into the (empty, migrated) default database."""
    year_start, year_end = school_year_for(today)
    report = CityReport(
        scale=scale,
        seed=seed,
        today=today,
        year_start=year_start,
        year_end=year_end,
        booked_until=min(booked_until(today), year_end),
    )
    size = Scale.of(scale)
    rng = random.Random(seed)  # noqa: S311 - reproducible data, not secrets

    def step(name: str, func: Callable[[], object]) -> object:
        progress(f"  {name}…")
        started = time.perf_counter()
        result = func()
        report.steps.append((name, time.perf_counter() - started))
        return result

    plans = step("plan households (in memory)", lambda: plan_city(size, seed, year_start))
    structure = step(
        "organisation, sites, activities, tariffs",
        lambda: build_structure(size, plans, year_start, year_end),
    )
    step(
        "sessions of the school year (generate_sessions)",
        lambda: build_sessions(structure, year_start, year_end, today, rng),
    )
    families = step("households, guardians, children", lambda: build_families(plans, year_start))
    step(
        "enrolments",
        lambda: build_enrolments(plans, families, structure, year_start, year_end),
    )
    report.bookings = step(
        "bookings, basket lines, history, attendance",
        lambda: build_bookings(
            plans,
            families,
            structure,
            year_start=year_start,
            year_end=year_end,
            today=today,
            seed=seed,
        ),
    )
    step("planner statistics (ANALYZE)", analyze)
    return report


def analyze() -> None:
    """Fresh planner statistics, as a database in service would have after autovacuum."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def row_counts() -> list[tuple[str, int]]:
    """(model label, rows) for every model of the project's own apps, biggest first."""
    counts = []
    for config in apps.get_app_configs():
        if not config.name.startswith("portail."):
            continue
        for model in config.get_models():
            try:
                counts.append((model._meta.label, model._base_manager.count()))
            except DatabaseError:  # a model whose migration is not written yet
                continue
    return sorted(counts, key=lambda item: (-item[1], item[0]))
