"""Frees and bookings racing: places withdrawn by their holders while newcomers book the
same day and the waiting families book other days. Never more places held than exist,
no newcomer served before the families waiting, each place offered to one family, in rank
order (a family busy at the time is offered it by the sweep, never skipped).

Threads race on SQLite (and PostgreSQL); separate processes, each with its own database
connection, race on PostgreSQL, where the row locks matter.
"""

import multiprocessing
import threading

import pytest
from django.db import connection, connections

from portail.activities.models import Session
from portail.reservations.basket import submit_changes
from portail.reservations.judging import Change, ChangesRefused
from portail.reservations.models import Booking, BookingStatus, Channel
from portail.reservations.occupancy import taken_places
from portail.reservations.waiting import sweep
from portail.reservations.waiting_models import WaitingListEntry, WaitingStatus
from tests.waiting_list.lists import join
from tests.world.commune import build, family
from tests.world.days import MONDAY, NOW, TUESDAY

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

CAPACITY = 3
WAITING = 4
NEWCOMERS = 4
LONG_HOLD = 10 * 24 * 60


def _submit(household, user, child, session, kind) -> str:
    """ "ok", or the refusal code."""
    change = [Change(child.pk, session.pk)]
    try:
        submit_changes(
            household,
            add=change if kind == "add" else [],
            cancel=change if kind == "cancel" else [],
            actor=user,
            channel=Channel.WEB,
            now=NOW,
        )
    except ChangesRefused as refused:
        return refused.refusals[0].code
    return "ok"


def _world():
    """Monday full of requests held by CAPACITY families; WAITING families on its list;
    NEWCOMERS families enrolled. The racers: each holder withdraws its request, each
    newcomer books Monday, each waiting family books Tuesday (its household busy)."""
    world = build(capacity=CAPACITY, hold_minutes=LONG_HOLD)
    monday, tuesday = world.sessions[MONDAY], world.sessions[TUESDAY]
    Session.objects.filter(pk=tuesday.pk).update(capacity=50)
    racers, waiting = [], []
    for n in range(CAPACITY):
        household, user, (child,) = family(world.activity, names=[f"Holder{n}"])
        assert _submit(household, user, child, monday, "add") == "ok"
        racers.append((household, user, child, monday, "cancel"))
    for n in range(WAITING):
        fam = family(world.activity, names=[f"Waiting{n}"])
        household, user, (child,) = fam
        join(world, (household, user, child))
        waiting.append(child)
        racers.append((household, user, child, tuesday, "add"))
    for n in range(NEWCOMERS):
        household, user, (child,) = family(world.activity, names=[f"New{n}"])
        racers.append((household, user, child, monday, "add"))
    return world, racers, waiting


def _check(world, racers, outcomes, waiting) -> None:
    monday = world.sessions[MONDAY]
    assert outcomes[:CAPACITY] == ["ok"] * CAPACITY  # withdrawals
    assert outcomes[CAPACITY : CAPACITY + WAITING] == ["ok"] * WAITING  # Tuesdays
    assert outcomes[CAPACITY + WAITING :] == ["full"] * NEWCOMERS  # never overtaking
    sweep(now=NOW)  # an offer left for a household busy at the time
    statuses = [
        WaitingListEntry.objects.get(child=child, session=monday).status for child in waiting
    ]
    assert statuses == [WaitingStatus.OFFERED] * CAPACITY + [WaitingStatus.WAITING]
    held = Booking.objects.filter(session=monday, status=BookingStatus.REQUESTED)
    assert sorted(b.child_id for b in held) == sorted(c.pk for c in waiting[:CAPACITY])
    assert taken_places([monday.pk], now=NOW) == {monday.pk: CAPACITY}


def test_threads_racing_frees_and_bookings():
    world, racers, waiting = _world()
    barrier = threading.Barrier(len(racers))
    outcomes: list[str | None] = [None] * len(racers)

    def race(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            outcomes[index] = _submit(*racers[index])
        except BaseException as error:  # asserted below
            outcomes[index] = repr(error)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=race, args=(i,)) for i in range(len(racers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    _check(world, racers, outcomes, waiting)


def _process_race(barrier, results, index, racer) -> None:
    try:
        barrier.wait(timeout=30)
        results.put((index, _submit(*racer)))
    except BaseException as error:  # the parent asserts on it
        results.put((index, repr(error)))
    finally:
        connections.close_all()


def test_processes_racing_frees_and_bookings():
    if connection.vendor != "postgresql":
        pytest.skip("separate processes race on row locks: PostgreSQL only")
    world, racers, waiting = _world()
    connections.close_all()  # no socket shared across the fork
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(len(racers))
    results = context.Queue()
    processes = [
        context.Process(target=_process_race, args=(barrier, results, i, racer))
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
    _check(world, racers, outcomes, waiting)
