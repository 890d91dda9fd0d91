"""A staff member's page reads the session and the user in one statement, and asking for
their guardian (they have none) asks the database nothing more."""

import pytest

from portail.families.guardians import guardian_of
from tests.accounts.sessions.statements import sign_in_statements
from tests.world.staff import client_for, gestionnaire

pytestmark = pytest.mark.django_db

# Asks for the household of whoever is signed in (guardian_household): none for staff.
PAGE = "/tarifs/"


def test_a_staff_member_costs_one_statement_and_no_guardian_query(django_assert_num_queries):
    user = gestionnaire()
    client = client_for(user)

    statements, request = sign_in_statements(PAGE, client)

    assert len(statements) == 1, statements
    assert '"accounts_session"' in statements[0]
    with django_assert_num_queries(0):
        assert request.user.pk == user.pk and request.user.is_staff
        assert guardian_of(request.user) is None
