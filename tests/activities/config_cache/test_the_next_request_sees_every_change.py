"""The tariffs and booking windows kept in a process's memory never outlive a change: the
next planning (or judgement) prices and opens days as the database says, whoever wrote
the change and however (the memory is checked against the configuration stamp)."""

import threading

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from portail.activities import config_cache
from portail.activities.models import BookingWindow, ConfigStamp, Session, TariffBand
from portail.reservations.planning import week_planning
from portail.reservations.states import CellAction
from tests.clock import NOW, paris
from tests.configuration import keep_configuration
from tests.world.commune import build
from tests.world.days import FRIDAY, MONDAY

pytestmark = pytest.mark.django_db

KEPT = ('FROM "activities_tariff_activities"', 'FROM "activities_bookingwindow"')


def _monday(world):
    planning = week_planning(world.household, MONDAY, now=NOW)
    return next(c for c in planning.cells if c.session_id == world.sessions[MONDAY].pk)


def _read_kept_tables(world) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        week_planning(world.household, MONDAY, now=NOW)
    return [q["sql"] for q in ctx.captured_queries if any(t in q["sql"] for t in KEPT)]


def test_a_bulk_price_change_is_seen_by_the_next_planning():
    world = build()
    assert _monday(world).price_cents == 370
    TariffBand.objects.filter(tariff__activities=world.activity).update(price_cents=420)
    assert _monday(world).price_cents == 420


def test_a_rolled_back_change_is_forgotten():
    world = build()
    assert _monday(world).price_cents == 370
    with pytest.raises(RuntimeError), transaction.atomic():
        TariffBand.objects.filter(tariff__activities=world.activity).update(price_cents=420)
        assert _monday(world).price_cents == 420  # kept under the change's stamp
        raise RuntimeError
    assert _monday(world).price_cents == 370


def test_a_new_booking_window_closes_its_days_at_once():
    world = build()
    assert _monday(world).action == CellAction.RESERVE
    window = BookingWindow.objects.create(
        name="Noël", first_day=MONDAY, last_day=FRIDAY, opens_at=paris(2026, 12, 1, 18, 0)
    )
    window.activities.add(world.activity)
    monday = _monday(world)
    assert monday.action != CellAction.RESERVE
    window.delete()
    assert _monday(world).action == CellAction.RESERVE


def test_kept_tables_are_not_read_again_until_they_change():
    world = build()
    keep_configuration()
    assert _read_kept_tables(world) == []
    config_cache.forget()
    assert len(_read_kept_tables(world)) == 2  # a new process: read once, then kept
    assert _read_kept_tables(world) == []
    TariffBand.objects.filter(tariff__activities=world.activity).update(price_cents=420)
    assert len(_read_kept_tables(world)) == 2


def test_without_the_stamp_every_request_reads_the_tables():
    world = build()
    ConfigStamp.objects.all().delete()
    assert len(_read_kept_tables(world)) == 2
    assert len(_read_kept_tables(world)) == 2
    assert _monday(world).price_cents == 370


@pytest.mark.django_db(transaction=True)  # PostgreSQL flushes with TRUNCATE: not in a transaction
def test_a_flush_brings_the_stamp_back_with_a_new_value():
    """`flush` empties every table, the stamp's row too; its post_migrate signal puts the
    row back with a value no process can have kept anything under."""
    world = build()
    before = config_cache.current_stamp()
    call_command("flush", interactive=False, verbosity=0)
    after = config_cache.current_stamp()
    assert after is not None
    assert after != before
    assert not Session.objects.filter(pk=world.sessions[MONDAY].pk).exists()


@pytest.mark.django_db(transaction=True)  # the other connection must see the world committed
def test_a_change_committed_by_another_connection_is_seen_by_this_process():
    """Another process (here a thread with its own connection) changes a price and commits;
    this process, holding the tariffs in memory, prices with the new one at once."""
    world = build()
    assert _monday(world).price_cents == 370

    def staff_elsewhere() -> None:
        try:
            TariffBand.objects.filter(tariff__activities=world.activity).update(price_cents=420)
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=staff_elsewhere)
    thread.start()
    thread.join()
    assert _monday(world).price_cents == 420
