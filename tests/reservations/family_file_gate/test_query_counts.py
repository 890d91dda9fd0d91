"""The gate costs one query per submission or planning (the household's family files for
the school years concerned), none when it concerns no day or for staff: the city's
setting comes with the sessions' query, and the count does not grow with days or
children."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portail.reservations.basket import submit_changes
from portail.reservations.judging import Change
from portail.reservations.models import Channel
from portail.reservations.planning import week_planning
from tests.configuration import keep_configuration
from tests.world.staff import gestionnaire

from .city import (
    JUNE,
    NEXT_SEPTEMBER,
    NOW,
    SEPTEMBER,
    SEPTEMBER_TUESDAY,
    changes,
    file_accepted,
    gated_city,
    require_family_file,
)

pytestmark = pytest.mark.django_db


def submission_queries(world, wanted: list[Change], actor=None) -> int:
    keep_configuration()
    with CaptureQueriesContext(connection) as ctx:
        basket = submit_changes(
            world.household,
            add=wanted,
            cancel=[],
            actor=actor or world.user,
            channel=Channel.WEB,
            now=NOW,
        )
    assert basket.lines.count() == len(wanted)
    return len(ctx.captured_queries)


def planning_queries(world, monday) -> int:
    keep_configuration()
    with CaptureQueriesContext(connection) as ctx:
        planning = week_planning(world.household, monday, now=NOW)
    assert planning.cells
    return len(ctx.captured_queries)


def test_a_gated_submission_takes_exactly_one_query_more():
    open_city = gated_city(required_from=None)
    without_gate = submission_queries(open_city, changes(open_city, SEPTEMBER))
    require_family_file(2027)
    gated = gated_city()
    file_accepted(gated, 2027)
    assert submission_queries(gated, changes(gated, SEPTEMBER)) == without_gate + 1


def test_no_query_more_when_the_gate_concerns_no_day():
    open_city = gated_city(required_from=None)
    without_gate = submission_queries(open_city, changes(open_city, JUNE))
    require_family_file(2027)
    gated = gated_city()
    assert submission_queries(gated, changes(gated, JUNE)) == without_gate


def test_no_query_more_for_staff():
    open_city = gated_city(required_from=None)
    staff = gestionnaire()
    without_gate = submission_queries(open_city, changes(open_city, SEPTEMBER), actor=staff)
    require_family_file(2027)
    gated = gated_city()
    assert submission_queries(gated, changes(gated, SEPTEMBER), actor=staff) == without_gate


def test_the_count_does_not_grow_with_days_years_or_children():
    small = gated_city()
    file_accepted(small, 2027)
    one_day = submission_queries(small, changes(small, SEPTEMBER))
    big = gated_city()
    file_accepted(big, 2027)
    file_accepted(big, 2028)
    days = (SEPTEMBER, SEPTEMBER_TUESDAY, NEXT_SEPTEMBER)
    wanted = [Change(kid.pk, big.sessions[day].pk) for kid in big.children for day in days]
    assert submission_queries(big, wanted) == one_day


def test_the_planning_takes_one_query_more_on_a_gated_week_only():
    open_city = gated_city(required_from=None)
    september = planning_queries(open_city, SEPTEMBER)
    june = planning_queries(open_city, JUNE)
    require_family_file(2027)
    assert planning_queries(open_city, SEPTEMBER) == september + 1
    assert planning_queries(open_city, JUNE) == june
