"""A run reads in bulk: the same number of SQL statements for one household as for many
(a batch locks, reads and writes its households together; the PriceBook is loaded once)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portail.billing.invoicing import runs
from tests.world import invoices as w

pytestmark = pytest.mark.django_db


def households(world, n: int) -> None:
    for _ in range(n):
        _household, kid = w.another_household(world)
        for day in (w.MON, w.TUE, w.THU):
            w.presence(world, kid, day)
        w.booked(world, kid, w.FRI)
        w.surcharge(world, kid, world.canteen, w.FRI)


def statements(action) -> int:
    with CaptureQueriesContext(connection) as queries:
        action()
    return len(queries.captured_queries)


@pytest.mark.parametrize("action", ["preview", "issue"])
def test_one_household_or_many_take_the_same_statements(action):
    def call():
        if action == "preview":
            runs.preview(*w.OCTOBER, now=w.NOW)
        else:
            w.issue()

    world = w.build()
    households(world, 1)
    few = statements(call)
    households(world, 12)
    many = statements(call)
    assert many == few
    # 23: the households' QF periods, one query for all; presences, surcharges and
    # bookings read apart, each with one NOT EXISTS (charges.py: PostgreSQL misjudged an
    # OR of two and made the city's run four times slower, docs/benchmarks.md).
    assert few <= 22, few
