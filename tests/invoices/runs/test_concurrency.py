"""Runs at the same moment: each item billed once, numbers without gaps or duplicates.

Threads race on both databases (on SQLite the write lock taken at BEGIN IMMEDIATE
serialises them); separate processes (each with its own connection, as gunicorn workers
or a command next to the pages) race on PostgreSQL, where the households' row locks
matter.
"""

import datetime
import multiprocessing
import threading

import pytest
from django.db import connection, connections

from portail.billing.invoicing import runs
from portail.billing.models import BillingRun, Invoice, InvoiceLine
from portail.reservations.models import Channel
from tests.world import invoices as w

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

RACERS = 6
HOUSEHOLDS = 5
DAYS = [w.MON, w.TUE, w.THU, w.FRI]
# Overlapping periods: the whole month, and weeks inside it.
PERIODS = [
    w.OCTOBER,
    (datetime.date(2026, 10, 5), datetime.date(2026, 10, 6)),
    (datetime.date(2026, 10, 1), datetime.date(2026, 10, 31)),
    (datetime.date(2026, 10, 8), datetime.date(2026, 10, 9)),
    (datetime.date(2026, 9, 1), datetime.date(2026, 10, 31)),
    (datetime.date(2026, 10, 6), datetime.date(2026, 10, 8)),
]


def a_month_of_presences() -> int:
    """HOUSEHOLDS households, each with a presence on every day (100 cents each); the
    expected total."""
    world = w.build(children=1)
    kids = [world.child] + [w.another_household(world)[1] for _ in range(HOUSEHOLDS - 1)]
    for kid in kids:
        for day in DAYS:
            w.presence(world, kid, day)
            w.booked(world, kid, day, price=800)
    return len(kids) * len(DAYS) * (100 + 800)


def check(expected_total: int) -> None:
    assert InvoiceLine.objects.count() == HOUSEHOLDS * len(DAYS) * 2
    keys = list(InvoiceLine.objects.values_list("charge_key", flat=True))
    assert len(keys) == len(set(keys))
    runs_total = sum(BillingRun.objects.values_list("total_cents", flat=True))
    invoices_total = sum(Invoice.objects.values_list("total_cents", flat=True))
    assert runs_total == invoices_total == expected_total
    seqs = sorted(Invoice.objects.values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))  # gapless, no duplicate
    for run in BillingRun.objects.all():
        assert run.invoice_count == run.invoices.count()


def test_threads_issuing_overlapping_runs_bill_each_item_once(monkeypatch):
    monkeypatch.setattr(runs, "BATCH", 2)  # several transactions per run, interleaved
    expected = a_month_of_presences()
    barrier = threading.Barrier(RACERS)
    errors: list[BaseException] = []

    def race(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            start, end = PERIODS[index % len(PERIODS)]
            runs.issue(start, end, actor=None, channel=Channel.SYSTEM, now=w.NOW)
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=race, args=(i,)) for i in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert BillingRun.objects.count() == RACERS
    check(expected)


def _process_race(barrier, results, index) -> None:
    """In a forked process: its own database connection, as another app server has."""
    try:
        barrier.wait(timeout=30)
        start, end = PERIODS[index % len(PERIODS)]
        run = runs.issue(start, end, actor=None, channel=Channel.SYSTEM, now=w.NOW)
        results.put(("done", run.invoice_count))
    except BaseException as error:  # the parent asserts on it
        results.put(("error", repr(error)))
    finally:
        connections.close_all()


def test_processes_issuing_overlapping_runs_bill_each_item_once(monkeypatch):
    if connections["default"].vendor != "postgresql":
        pytest.skip("separate processes race on row locks: PostgreSQL only")
    monkeypatch.setattr(runs, "BATCH", 2)  # inherited by the forked processes
    expected = a_month_of_presences()
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    connections.close_all()
    barrier = context.Barrier(RACERS)
    processes = [
        context.Process(target=_process_race, args=(barrier, results, i)) for i in range(RACERS)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
        assert process.exitcode == 0
    messages = [results.get(timeout=5) for _ in range(RACERS)]
    assert [m[0] for m in messages] == ["done"] * RACERS, messages
    check(expected)
