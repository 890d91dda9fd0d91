"""A signed-in family's page reads its session, user, guardian and household in one
statement (issue 18): before, three (the session, the user, the guardian with its
household)."""

import pytest

from portail.families.guardians import guardian_of
from tests import factories
from tests.accounts.sessions.statements import sign_in_statements
from tests.world.staff import client_for

pytestmark = pytest.mark.django_db

# Reads the guardian's household (guardian_household) for the family's own band.
PAGE = "/tarifs/"


def test_the_session_user_guardian_and_household_come_in_one_statement(
    django_assert_num_queries,
):
    guardian = factories.guardian()
    client = client_for(guardian.user)

    statements, request = sign_in_statements(PAGE, client)

    assert len(statements) == 1, statements
    assert statements[0].startswith("SELECT")
    assert '"accounts_session"' in statements[0] and '"families_household"' in statements[0]
    with django_assert_num_queries(0):
        assert request.user.pk == guardian.user.pk
        assert guardian_of(request.user).household.pk == guardian.household.pk
