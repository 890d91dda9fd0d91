"""The planning and a basket's submission take as many queries for one child and one day
as for a large family's week."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from portail.api.tokens import issue_token
from tests import factories
from tests.configuration import keep_configuration
from tests.factories import paid_booking
from tests.world.commune import seed_family

from .calls import item, logged, post_json

pytestmark = pytest.mark.django_db


def _planning_queries(client, fam) -> int:
    logged(client, fam)
    keep_configuration()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/api/v1/planning", {"week": fam.week})
    assert response.status_code == 200
    assert response.json()["cells"]
    return len(ctx.captured_queries)


def test_planning_query_count_does_not_grow(client):
    small = seed_family(names=("Emy",), household_name="PETITE")
    big = seed_family(names=("Emy", "Lise", "Max"), household_name="GRANDE")
    extra = factories.activity(factories.site(), name="ALAE soir")
    factories.tariff([extra])
    for day in big.days:
        factories.session(extra, day)
    for kid in big.children:
        factories.enrolment(kid, extra)
        paid_booking(kid, big.sessions[big.days[0]])
    assert _planning_queries(client, small) == _planning_queries(client, big)


def _submission_queries(fam, changes: list[dict]) -> int:
    """SQL statements of one POST /api/v1/basket with a bearer token (as scripts send it),
    the token in use (its last use is noted once a minute at most: api/tokens.py)."""
    api = Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(fam.user)}")
    assert api.get("/api/v1/basket").status_code == 404  # no basket yet; the token used
    keep_configuration()
    with CaptureQueriesContext(connection) as ctx:
        response = post_json(api, "/api/v1/basket", {"add": changes})
    assert response.status_code == 201, response.content
    assert len(response.json()["lines"]) == len(changes)
    return len(ctx.captured_queries)


def _one_day_and_twelve_days(measure) -> tuple[int, int]:
    """`measure(family, changes)` for one child's day (household PETITE), then for three
    children's four days (household GRANDE)."""
    small = seed_family(names=("Emy",), household_name="PETITE")
    big = seed_family(names=("Emy", "Lise", "Max"), household_name="GRANDE")
    one_day = measure(small, [item(small.emy, small.sessions[small.days[0]])])
    twelve_days = measure(
        big, [item(kid, big.sessions[day]) for day in big.days for kid in big.children]
    )
    return one_day, twelve_days


def test_basket_submission_query_count_does_not_grow_with_days_or_children():
    one_day, twelve_days = _one_day_and_twelve_days(_submission_queries)
    assert one_day == twelve_days
    # The token, the transaction, the household's lock and the sessions' locks in one
    # statement (household first: core.locking.locked_after), the sessions read with
    # their activity and the configuration stamp; its open basket with its QF periods and
    # its credit available (the answer's); one read of the children with their
    # enrolments, their bookings and attendance, the places taken and the waiting lists
    # (facts.day_rows); the basket (its reference and hold in its INSERT), bookings, lines
    # and history written in bulk; the commit. The answer's lines are known from the
    # judgement. The price book and the booking windows come from the process's memory
    # (activities.config_cache), where a draw that is due is looked for too
    # (draws.settle_due(known_only=True)).
    assert twelve_days <= 10


def test_adding_to_an_open_basket_takes_as_many_statements():
    """A second submission reads the open basket's lines (with their facts: the answer's
    totals) once; the basket's new hold is its one UPDATE."""
    fam = seed_family(names=("Emy", "Lise", "Max"), household_name="GRANDE", weeks=2)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(fam.user)}")
    days = sorted(fam.sessions)
    first = [item(kid, fam.sessions[days[0]]) for kid in fam.children]
    assert post_json(api, "/api/v1/basket", {"add": first}).status_code == 201
    more = [item(kid, fam.sessions[day]) for day in days[1:] for kid in fam.children]
    keep_configuration()
    with CaptureQueriesContext(connection) as ctx:
        response = post_json(api, "/api/v1/basket", {"add": more})
    assert response.status_code == 201, response.content
    assert len(response.json()["lines"]) == len(first) + len(more)
    # The token, the transaction, the household's and the sessions' locks, its open
    # basket (QF periods, credit), one read of the days, the basket's lines, bookings,
    # lines and history written, the basket's new hold, the commit.
    assert len(ctx.captured_queries) <= 11


def _drop_queries(fam, changes: list[dict]) -> int:
    """SQL statements of DELETE /api/v1/basket after a submission of these changes."""
    api = Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(fam.user)}")
    assert post_json(api, "/api/v1/basket", {"add": changes}).status_code == 201
    with CaptureQueriesContext(connection) as ctx:
        response = api.delete("/api/v1/basket")
    assert response.status_code == 204, response.content
    return len(ctx.captured_queries)


def test_dropping_a_basket_takes_as_many_queries_for_twelve_days_as_for_one():
    """The freed places are offered to waiting families with one read for every day (the
    places taken and the waiting lists), not two per day."""
    one_day, twelve_days = _one_day_and_twelve_days(_drop_queries)
    assert one_day == twelve_days
    # The token, the transaction, the household's lock, the basket, its days, its lines,
    # the requests released, their offers declined, history, the basket abandoned, the
    # days locked, the days with their activity for the offers, then one read of the
    # places taken and the waiting lists for every day (it was two statements per day).
    assert twelve_days <= 14
