"""Typical weeks racing for the last places: never more bookings than places, the other
days of each period still booked, every loser told `full` for the contested days.

Threads race on both databases; separate processes (each with its own connection, as
gunicorn workers have) race on PostgreSQL, where the sessions' row locks matter.
"""

import multiprocessing
import threading

import pytest
from django.db import connection, connections

from portail.reservations.models import Booking, BookingStatus
from portail.reservations.occupancy import taken_places
from portail.reservations.typical_plan import RESERVE, Pattern
from portail.reservations.typical_week import apply_typical_week
from tests.world.commune import canteen, family
from tests.world.days import CANTEEN_DAYS, YEAR_NOW, D

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

CAPACITY = 3
RACERS = 8
START, END = D(2026, 9, 7), D(2026, 9, 18)  # two school weeks: 8 canteen days


def _setup():
    activity, _sessions = canteen(period=(START, END))
    contested = list(activity.sessions.filter(date__in=[D(2026, 9, 8), D(2026, 9, 17)]))
    for session in contested:
        session.capacity = CAPACITY
        session.save()
    racers = [family(activity) for _ in range(RACERS)]
    return activity, contested, racers


def _attempt(activity, household, user, child) -> list[tuple[str, str]]:
    _basket, plan = apply_typical_week(
        household,
        patterns=[Pattern(child.pk, activity.pk, CANTEEN_DAYS)],
        start=START,
        end=END,
        mode=RESERVE,
        actor=user,
        now=YEAR_NOW,
    )
    return sorted((s.date.isoformat(), s.code) for s in plan.skipped) + [("days", len(plan.days))]


def _check(activity, contested, outcomes) -> None:
    winners = [o for o in outcomes if o == [("days", 8)]]
    losers = [o for o in outcomes if o != [("days", 8)]]
    # Each contested day went to CAPACITY families; the others booked the rest of the period.
    assert len(winners) <= CAPACITY
    for session in contested:
        assert (
            Booking.objects.filter(session=session, status=BookingStatus.REQUESTED).count()
            == CAPACITY
        )
    assert taken_places([s.pk for s in contested], now=YEAR_NOW) == dict.fromkeys(
        [s.pk for s in contested], CAPACITY
    )
    for outcome in losers:
        days = dict(outcome)["days"]
        skipped = [code for day, code in outcome if day != "days"]
        assert set(skipped) == {"full"}
        assert days == 8 - len(skipped)
    others = activity.sessions.exclude(pk__in=[s.pk for s in contested])
    for session in others:
        assert session.bookings.filter(status=BookingStatus.REQUESTED).count() == RACERS


def test_threads_applying_typical_weeks_never_overbook():
    activity, contested, racers = _setup()
    barrier = threading.Barrier(len(racers))
    outcomes: list = [None] * len(racers)

    def race(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            household, user, kids = racers[index]
            outcomes[index] = _attempt(activity, household, user, kids[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=race, args=(i,)) for i in range(len(racers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert None not in outcomes
    _check(activity, contested, outcomes)


def _process_race(barrier, results, index, activity, household, user, child) -> None:
    try:
        barrier.wait(timeout=30)
        results.put((index, _attempt(activity, household, user, child)))
    except BaseException as error:  # the parent asserts on it
        results.put((index, repr(error)))
    finally:
        connections.close_all()


def test_processes_applying_typical_weeks_never_overbook():
    if connection.vendor != "postgresql":
        pytest.skip("separate processes race on row locks: PostgreSQL only")
    activity, contested, racers = _setup()
    connections.close_all()
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(len(racers))
    results = context.Queue()
    processes = [
        context.Process(
            target=_process_race,
            args=(barrier, results, i, activity, household, user, kids[0]),
        )
        for i, (household, user, kids) in enumerate(racers)
    ]
    for process in processes:
        process.start()
    outcomes: list = [None] * len(racers)
    for _ in processes:
        index, outcome = results.get(timeout=120)
        outcomes[index] = outcome
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    _check(activity, contested, outcomes)
