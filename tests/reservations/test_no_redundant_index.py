"""Every index costs a write per row: the bookings', basket lines' and history's foreign
keys have no index of their own where a composite index begins with the same column
(each booking, line and history row would otherwise write one more index)."""

import pytest
from django.db import connection

from portail.reservations.models import BasketLine, Booking, HistoryEntry

pytestmark = pytest.mark.django_db

COVERED = [
    (Booking, "child_id", "booking_child_status"),
    (Booking, "session_id", "booking_session_status"),
    (BasketLine, "basket_id", "basket_line_one_per_child_session"),
    (HistoryEntry, "child_id", "history_child_session"),
]


@pytest.mark.parametrize(("model", "column", "composite"), COVERED)
def test_a_foreign_key_covered_by_a_composite_index_has_no_index_of_its_own(
    model, column, composite
):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
    alone = [
        name
        for name, c in constraints.items()
        if c["index"] and not c["primary_key"] and c["columns"] == [column]
    ]
    assert alone == []
    assert constraints[composite]["columns"][0] == column
