"""A draw is made once: run again (the command, a second call) it does nothing; two
threads (and on PostgreSQL two processes) running it at once make one draw; the first
submission after the draw window makes it when nobody has, even in a process whose memory
of the windows is out of date, and otherwise reads no window before its transaction."""

import multiprocessing
import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from portail.activities import config_cache
from portail.activities.models import BookingWindow, DrawEntry
from portail.reservations.draws import run_draw
from portail.reservations.models import Booking
from tests.world.days import MONDAY, THURSDAY, TUESDAY

from .town import AFTER_DRAW, DRAW_AT, DURING_DRAW, MINUTE, another_family, ask, build, window


def _world_with_requests(n=4):
    world = build(capacity=2)
    w = window(world, draw_minutes=10)
    families = [world] + [another_family(world) for _ in range(n - 1)]
    for fam in families:
        ask(fam, [MONDAY], DURING_DRAW)
    return world, w


@pytest.mark.django_db
def test_run_draw_twice_draws_once_and_not_before_its_time():
    world, w = _world_with_requests()
    assert not run_draw(w.pk, now=DRAW_AT - MINUTE)
    assert run_draw(w.pk, now=AFTER_DRAW)
    ranks = list(DrawEntry.objects.order_by("household_id").values_list("rank", flat=True))
    assert not run_draw(w.pk, now=AFTER_DRAW)
    assert list(DrawEntry.objects.order_by("household_id").values_list("rank", flat=True)) == ranks
    assert Booking.objects.count() == 2


@pytest.mark.django_db
def test_the_command_runs_the_due_draws(time_machine):
    world, w = _world_with_requests()
    time_machine.move_to(AFTER_DRAW)
    call_command("run_draws", verbosity=0)
    assert BookingWindow.objects.get().drawn_at is not None
    assert Booking.objects.count() == 2
    call_command("run_draws", verbosity=0)
    assert Booking.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_first_submission_after_the_window_makes_the_draw():
    world, w = _world_with_requests()
    late = another_family(world)
    ask(late, [TUESDAY], AFTER_DRAW)  # outside any transaction: draws first, then books
    assert BookingWindow.objects.get().drawn_at == AFTER_DRAW
    assert Booking.objects.filter(session=world.sessions[MONDAY]).count() == 2
    assert Booking.objects.filter(session=world.sessions[TUESDAY]).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_process_that_kept_no_such_window_still_draws_before_booking():
    """Another process created the window: this one's memory says there is none. The
    judgement (under the current configuration stamp) finds the draw due: nothing is
    written, the draw is made, and the changes are judged again."""
    world, w = _world_with_requests()
    config_cache.kept("windows", "a stamp from before the window", list)
    late = another_family(world)
    try:
        ask(late, [TUESDAY], AFTER_DRAW)
    finally:
        config_cache.forget()  # the out-of-date memory planted here goes with the test
    assert BookingWindow.objects.get().drawn_at == AFTER_DRAW
    assert Booking.objects.filter(session=world.sessions[MONDAY]).count() == 2
    assert Booking.objects.filter(session=world.sessions[TUESDAY]).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_submission_reads_no_window_before_its_transaction():
    """The draws due are looked for in the windows this process keeps: no query."""
    world, w = _world_with_requests(2)
    ask(another_family(world), [TUESDAY], DURING_DRAW)  # the windows now kept, same stamp
    with CaptureQueriesContext(connection) as ctx:
        ask(another_family(world), [THURSDAY], DURING_DRAW)
    windows_read = [q["sql"] for q in ctx.captured_queries if "bookingwindow" in q["sql"]]
    assert windows_read == []
    assert BookingWindow.objects.get().drawn_at is None


@pytest.mark.django_db(transaction=True)
def test_two_threads_make_one_draw():
    world, w = _world_with_requests(6)
    barrier = threading.Barrier(2)
    results: list = []

    def race() -> None:
        try:
            barrier.wait(timeout=30)
            results.append(run_draw(w.pk, now=AFTER_DRAW))
        except BaseException as error:  # reported below
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=race) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(results, key=str) == [False, True]
    assert Booking.objects.count() == 2
    assert sorted(DrawEntry.objects.values_list("rank", flat=True)) == list(range(1, 7))


def _process_draw(barrier, results, window_id) -> None:
    try:
        barrier.wait(timeout=30)
        results.put(run_draw(window_id, now=AFTER_DRAW))
    except BaseException as error:  # the parent asserts on it
        results.put(repr(error))
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_two_processes_make_one_draw():
    if connection.vendor != "postgresql":
        pytest.skip("separate processes race on row locks: PostgreSQL only")
    world, w = _world_with_requests(6)
    connections.close_all()
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(2)
    results = context.Queue()
    processes = [
        context.Process(target=_process_draw, args=(barrier, results, w.pk)) for _ in range(2)
    ]
    for process in processes:
        process.start()
    outcomes = sorted([results.get(timeout=120) for _ in processes], key=str)
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    assert outcomes == [False, True]
    assert Booking.objects.count() == 2
