"""A bearer token is one statement too: the token, its user, guardian and household
(api/tokens.py), plus an UPDATE of its last use at most once per LAST_USED_RESOLUTION."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from portail.api.tokens import LAST_USED_RESOLUTION, issue_token
from tests import factories
from tests.accounts.sessions.statements import SIGN_IN_TABLES
from tests.clock import NOW

pytestmark = pytest.mark.django_db

ENDPOINT = "/api/v1/credits"  # a guardian's: reads the household


def token_statements(api: Client) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert api.get(ENDPOINT).status_code == 200
    return [
        query["sql"]
        for query in queries.captured_queries
        if SIGN_IN_TABLES.search(query["sql"]) or query["sql"].startswith('UPDATE "api_apitoken"')
    ]


def test_a_token_costs_one_select_and_its_last_use_a_rare_update(time_machine):
    time_machine.move_to(NOW, tick=False)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(factories.guardian().user)}")

    first_use = token_statements(api)
    time_machine.move_to(NOW + LAST_USED_RESOLUTION - datetime.timedelta(seconds=1))
    within_the_minute = token_statements(api)
    time_machine.move_to(NOW + LAST_USED_RESOLUTION)
    a_minute_on = token_statements(api)

    assert len(within_the_minute) == 1, within_the_minute
    assert within_the_minute[0].startswith("SELECT")
    assert '"families_household"' in within_the_minute[0]
    for written in (first_use, a_minute_on):
        assert [statement.split(" ")[0] for statement in written] == ["SELECT", "UPDATE"]
