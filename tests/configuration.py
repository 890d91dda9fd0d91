"""The configuration as a running process holds it (activities.config_cache).

A process that has served one request keeps the tariffs and booking windows in memory
until they change. Query-count tests call keep_configuration() just before what they
measure, so that they count a request in that steady state, whatever the tests before
them left in memory. tests/activities/config_cache/ proves what the memory saves and
that every kind of write to those tables is seen by the next request."""

import datetime

from portail.activities.config_cache import current_stamp
from portail.activities.models import Activity
from portail.activities.pricing import PriceBook
from portail.reservations import windows


def keep_configuration() -> None:
    stamp = current_stamp()
    assert stamp is not None, "the configuration stamp's row is missing"
    activity = Activity.objects.order_by("pk").values_list("pk", flat=True).first()
    day = datetime.date(2000, 1, 1)
    PriceBook.load([activity or 0], day, day, stamp=stamp)
    windows.upcoming(stamp)
