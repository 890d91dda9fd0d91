"""Opening morning stays light: with booking windows, the planning and a submission take
a fixed number of queries whatever the number of children, days or windows; a request
collected for the draw takes no more than a booking."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portail.activities.models import BookingWindow
from portail.reservations.basket import submit_changes
from portail.reservations.judging import Change
from portail.reservations.models import Channel
from portail.reservations.planning import week_planning
from tests.configuration import keep_configuration
from tests.world.days import FRIDAY, MONDAY, WEEK

from .town import DURING_DRAW, OPENS, ask, build, give_priority, window

pytestmark = pytest.mark.django_db


def _planning_queries(world, now) -> int:
    keep_configuration()
    with CaptureQueriesContext(connection) as ctx:
        assert week_planning(world.household, MONDAY, now=now).cells
    return len(ctx.captured_queries)


def _submission_queries(world, days, now) -> int:
    keep_configuration()
    with CaptureQueriesContext(connection) as ctx:
        ask(world, days, now)
    return len(ctx.captured_queries)


def _more_windows(world, n):
    for i in range(n):
        w = BookingWindow.objects.create(
            name=f"W{i}", first_day=MONDAY, last_day=FRIDAY, opens_at=OPENS, draw_minutes=10
        )
        w.activities.add(world.activity)


def test_the_planning_does_not_grow_with_children_or_windows():
    small = build(children=1)
    window(small, draw_minutes=10, priority=True)
    give_priority(small.household)
    big = build(children=4)
    window(big, draw_minutes=10, priority=True)
    _more_windows(big, 5)
    assert _planning_queries(small, DURING_DRAW) == _planning_queries(big, DURING_DRAW)


def test_a_collected_submission_does_not_grow_with_days_or_children():
    small = build(children=1)
    window(small, draw_minutes=10)
    big = build(children=3)
    window(big, draw_minutes=10)
    one = _submission_queries(small, [MONDAY], DURING_DRAW)
    keep_configuration()
    with CaptureQueriesContext(connection) as ctx:
        submit_changes(
            big.household,
            add=[Change(k.pk, big.sessions[d].pk) for d in WEEK for k in big.children],
            cancel=[],
            actor=big.user,
            channel=Channel.WEB,
            now=DURING_DRAW,
        )
    many = len(ctx.captured_queries)
    assert one == many
