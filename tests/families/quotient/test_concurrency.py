"""Several QF changes of one household at once (staff and an accepted declaration): under
the household's lock the periods never overlap. Threads, each with its own connection:
PostgreSQL only (SQLite takes the whole database's write lock at BEGIN)."""

import datetime
import threading

import pytest
from django.db import connections

from portail.families import quotient
from tests import factories

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]
RACERS = 6


def test_changes_at_the_same_time_leave_no_overlap():
    if connections["default"].vendor != "postgresql":
        pytest.skip("row locks: PostgreSQL only")
    household = factories.household(quotient_familial=800, qf_valid_from=datetime.date(2026, 9, 1))
    barrier = threading.Barrier(RACERS)
    errors: list[BaseException] = []

    def race(n: int) -> None:
        try:
            barrier.wait(timeout=30)
            quotient.set_quotient(household, 100 * n, datetime.date(2027, 1, 1 + n))
        except BaseException as error:  # the test asserts on it
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=race, args=(n,)) for n in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    periods = list(household.quotient_periods.order_by("valid_from"))
    for earlier, later in zip(periods, periods[1:], strict=False):
        assert earlier.valid_to is not None and earlier.valid_to < later.valid_from, periods
    assert periods[0].valid_from == datetime.date(2026, 9, 1)
    assert periods[-1].valid_to is None
