"""core.locking.locked_after(): two locks in one statement, the first one first.

On PostgreSQL, a transaction waiting for the first lock (a household's row) holds none of
the second (the sessions' rows), and once it has both, nobody else gets the sessions'.
SQLite locks the whole database at BEGIN: there the helper only reads the rows."""

import datetime
import threading
import time

import pytest
from django.db import DatabaseError, connection, transaction

from portail.activities.models import Session
from portail.core.locking import locked, locked_after
from portail.families.models import Household
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

WAIT = 15  # seconds: generous, for a busy machine; a passing run never waits this long


def _days() -> tuple[Household, list[int]]:
    activity = factories.activity(factories.site())
    sessions = [
        factories.session(activity, day)
        for day in (datetime.date(2027, 1, 4), datetime.date(2027, 1, 5), datetime.date(2027, 1, 7))
    ]
    return factories.household(), [s.pk for s in sessions]


def test_the_rows_come_back_locked_in_key_order_and_none_without_the_first_row():
    household, ids = _days()
    with transaction.atomic():
        rows = locked_after(household, Session.objects.filter(pk__in=ids))
        assert [s.pk for s in rows] == sorted(ids)
        gone = Household(pk=household.pk + 1000)
        assert locked_after(gone, Session.objects.filter(pk__in=ids)) == []


def test_outside_a_transaction_it_refuses():
    household, ids = _days()
    with pytest.raises(RuntimeError):
        locked_after(household, Session.objects.filter(pk__in=ids))


def _sessions_free(ids: list[int]) -> bool:
    """Can this connection lock the sessions at once (NOWAIT)?"""
    try:
        with transaction.atomic():
            list(Session.objects.filter(pk__in=ids).select_for_update(nowait=True))
    except DatabaseError:
        return False
    return True


def _waiting_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def _until(condition, what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.02)


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_waiting_for_the_household_holds_no_session_then_both_are_held():
    household, ids = _days()
    holder_has_it, release_holder = threading.Event(), threading.Event()
    second_has_them, release_second = threading.Event(), threading.Event()
    got: list[int] = []

    def holder() -> None:  # another submission of the same household, say
        try:
            with transaction.atomic():
                locked(Household.objects.filter(pk=household.pk))
                holder_has_it.set()
                release_holder.wait(WAIT)
        finally:
            connection.close()

    def second() -> None:
        try:
            with transaction.atomic():
                rows = locked_after(household, Session.objects.filter(pk__in=ids))
                got.extend(s.pk for s in rows)
                second_has_them.set()
                release_second.wait(WAIT)
        finally:
            connection.close()

    threads = [threading.Thread(target=holder), threading.Thread(target=second)]
    threads[0].start()
    assert holder_has_it.wait(WAIT)
    threads[1].start()
    try:
        _until(_waiting_for_a_lock, "the second transaction never waited for the household")
        # Waiting for the household, it holds none of the sessions.
        assert _sessions_free(ids)
        release_holder.set()
        assert second_has_them.wait(WAIT)
        assert got == sorted(ids)
        # Now it holds them: nobody else gets them.
        assert not _sessions_free(ids)
    finally:
        release_holder.set()
        release_second.set()
        for thread in threads:
            thread.join(WAIT)
    assert _sessions_free(ids)
