"""Money conservation across close → spend → reopen → close → reopen (the property of
tests/billing/test_money_conservation.py, on fixed stories): after every step, for every
household, money paid + staff credit == reserved bookings + credit balance; the ledger
adds up, never below zero; no session overbooked."""

import pytest
from django.db import transaction

from tests.billing.test_money_conservation import Commune

pytestmark = pytest.mark.django_db

STORIES = {
    "unspent": [
        ("journey", 0, [(0, 0), (1, 0)], "P"),
        ("journey", 1, [(0, 0)], "P"),
        ("close_day", 0),
        ("reopen_day", 0),
        ("close_day", 0),
        ("reopen_day", 0),
    ],
    "partly spent": [
        ("journey", 0, [(0, 0), (1, 0)], "P"),
        ("close_day", 0),
        ("journey", 0, [(0, 1)], "P"),
        ("reopen_day", 0),
        ("reopen_day", 0),
    ],
    "spent, then a pending payment holding credit": [
        ("journey", 0, [(0, 0)], "P"),
        ("staff_credit", 0, 200),
        ("close_day", 0),
        ("book", 0, [(0, 1), (1, 1)]),
        ("checkout", 0),
        ("reopen_day", 0),
        ("answer", 0, "P"),
        ("close_day", 0),
        ("reopen_day", 0),
    ],
}


@pytest.mark.parametrize("story", list(STORIES))
def test_money_is_conserved_across_close_and_reopen(story):
    with transaction.atomic():
        commune = Commune(2, [2, 2, 2])
        for step in STORIES[story]:
            commune.step(step)
            commune.check()
        transaction.set_rollback(True)
