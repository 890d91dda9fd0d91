"""Races for the last places: never more bookings than places, every loser told `full`.

The check and the hold run in one transaction holding the lock on the sessions' rows
(SELECT ... FOR UPDATE on PostgreSQL; the database write lock taken at BEGIN IMMEDIATE on
SQLite). Threads race on both databases; separate processes (each with its own database
connection, as gunicorn workers have) race on PostgreSQL, where the row locks matter.
"""

import multiprocessing
import threading

import pytest
from django.db import DatabaseError, connection, connections, transaction

from portail.activities.models import Activity, Session
from portail.core.locking import locked
from portail.reservations.basket import submit_changes
from portail.reservations.judging import Change, ChangesRefused
from portail.reservations.models import Basket, BasketStatus, Booking, BookingStatus, Channel
from portail.reservations.occupancy import taken_places
from tests.world.commune import build, family
from tests.world.days import MONDAY, NOW, TUESDAY

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

CAPACITY = 3
RACERS = 10


def _attempt(household, user, child, sessions) -> list[str]:
    """[] when accepted, else the refusal codes."""
    try:
        submit_changes(
            household,
            add=[Change(child.pk, s.pk) for s in sessions],
            cancel=[],
            actor=user,
            channel=Channel.WEB,
            now=NOW,
        )
    except ChangesRefused as refused:
        return [r.code for r in refused.refusals]
    return []


def _racers(world):
    """RACERS households, each asking Monday and Tuesday (in alternating orders)."""
    monday, tuesday = world.sessions[MONDAY], world.sessions[TUESDAY]
    racers = []
    for i in range(RACERS):
        household, user, (child,) = family(world.activity)
        racers.append((household, user, child, [monday, tuesday][:: 1 if i % 2 else -1]))
    return racers


def _check(world, outcomes: list[list[str]]) -> None:
    monday, tuesday = world.sessions[MONDAY], world.sessions[TUESDAY]
    winners = [o for o in outcomes if o == []]
    losers = [o for o in outcomes if o != []]
    assert len(winners) == CAPACITY
    assert losers == [["full", "full"]] * (RACERS - CAPACITY)
    for session in (monday, tuesday):
        assert Booking.objects.filter(session=session, status=BookingStatus.REQUESTED).count() == (
            CAPACITY
        )
    assert taken_places([monday.pk, tuesday.pk], now=NOW) == {
        monday.pk: CAPACITY,
        tuesday.pk: CAPACITY,
    }


def test_threads_racing_for_the_last_places_never_overbook():
    world = build(capacity=CAPACITY)
    racers = _racers(world)
    barrier = threading.Barrier(len(racers))
    outcomes: list[list[str] | None] = [None] * len(racers)

    def race(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            outcomes[index] = _attempt(*racers[index])
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=race, args=(i,)) for i in range(len(racers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert None not in outcomes
    _check(world, outcomes)


def test_threads_of_one_household_share_its_single_open_basket():
    world = build(children=4, capacity=50)
    monday = world.sessions[MONDAY]
    barrier = threading.Barrier(len(world.children))
    errors: list[BaseException] = []

    def race(child) -> None:
        try:
            barrier.wait(timeout=30)
            _attempt(world.household, world.user, child, [monday])
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=race, args=(c,)) for c in world.children]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    basket = Basket.objects.get(household=world.household)
    assert basket.status == BasketStatus.OPEN
    assert basket.lines.count() == 4


def _process_race(barrier, results, index, household, user, child, sessions) -> None:
    """In a forked process: a fresh database connection, as another app server would have."""
    try:
        barrier.wait(timeout=30)
        results.put((index, _attempt(household, user, child, sessions)))
    except BaseException as error:  # the parent asserts on it
        results.put((index, repr(error)))
    finally:
        connections.close_all()


def test_processes_racing_for_the_last_places_never_overbook():
    if connection.vendor != "postgresql":
        pytest.skip("separate processes race on row locks: PostgreSQL only")
    world = build(capacity=CAPACITY)
    racers = _racers(world)
    # The children must open their own connections to the test database: close ours so
    # that no socket is shared across the fork (settings already name the test database).
    connections.close_all()
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(len(racers))
    results = context.Queue()
    processes = [
        context.Process(target=_process_race, args=(barrier, results, i, *racer))
        for i, racer in enumerate(racers)
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
    _check(world, outcomes)


def test_the_capacity_lock_holds_the_sessions_rows_and_not_their_activity():
    """locked() with select_related("activity") (as _judge loads sessions) locks only the
    sessions: households booking other days of the same activity do not wait."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks: PostgreSQL only (SQLite locks the whole database at BEGIN)")
    world = build()
    monday = world.sessions[MONDAY]
    found: dict[str, str] = {}

    def try_lock(name: str, queryset) -> None:
        try:
            with transaction.atomic():
                list(queryset.select_for_update(nowait=True))
            found[name] = "free"
        except DatabaseError:
            found[name] = "locked"
        finally:
            connection.close()  # this thread's own connection

    with transaction.atomic():
        (session,) = locked(Session.objects.filter(pk=monday.pk).select_related("activity"))
        assert session.activity.pk == world.activity.pk  # read along, in the same query
        for name, queryset in (
            ("session", Session.objects.filter(pk=monday.pk)),
            ("activity", Activity.objects.filter(pk=world.activity.pk)),
        ):
            thread = threading.Thread(target=try_lock, args=(name, queryset))
            thread.start()
            thread.join(timeout=30)
    assert found == {"session": "locked", "activity": "free"}
