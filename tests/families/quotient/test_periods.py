"""families.quotient.set_quotient: a new QF period supersedes what it overlaps; the
database refuses periods in the wrong order or two starting on the same day."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from portail.families import quotient
from portail.families.models import Household
from tests import factories

pytestmark = pytest.mark.django_db
D = datetime.date


def spans(household: Household) -> list[tuple[int, datetime.date, datetime.date | None]]:
    return [
        (p.value, p.valid_from, p.valid_to)
        for p in household.quotient_periods.order_by("valid_from")
    ]


def test_a_new_period_cuts_the_current_one_the_day_before():
    household = factories.household(quotient_familial=800, qf_valid_from=D(2026, 9, 1))
    staff = factories.staff()
    period = quotient.set_quotient(
        household, 450, D(2027, 1, 1), actor=staff, reason="Déclaration QF"
    )
    assert spans(household) == [(800, D(2026, 9, 1), D(2026, 12, 31)), (450, D(2027, 1, 1), None)]
    assert (period.created_by, period.source) == (staff, "Déclaration QF")
    assert household.qf_on(D(2026, 12, 31)) == 800
    assert household.qf_on(D(2027, 1, 1)) == 450
    assert household.qf_on(D(2026, 8, 31)) is None


def test_an_earlier_period_does_not_resume_after_a_bounded_new_one():
    household = factories.household(quotient_familial=800, qf_valid_from=D(2026, 9, 1))
    quotient.set_quotient(household, 450, D(2027, 1, 1), D(2027, 3, 31))
    assert spans(household) == [
        (800, D(2026, 9, 1), D(2026, 12, 31)),
        (450, D(2027, 1, 1), D(2027, 3, 31)),
    ]
    assert household.qf_on(D(2027, 4, 1)) is None


def test_later_overlapping_periods_are_replaced_and_later_separate_ones_kept():
    household = factories.household()
    factories.quotient_period(household, 700, D(2027, 1, 1), D(2027, 8, 31))
    factories.quotient_period(household, 650, D(2027, 9, 1), D(2028, 8, 31))
    factories.quotient_period(household, 600, D(2028, 9, 1))
    quotient.set_quotient(household, 300, D(2027, 1, 1), D(2027, 12, 31))
    assert spans(household) == [(300, D(2027, 1, 1), D(2027, 12, 31)), (600, D(2028, 9, 1), None)]
    quotient.set_quotient(household, 200, D(2026, 6, 1))  # open: replaces all that follows
    assert spans(household) == [(200, D(2026, 6, 1), None)]


def test_an_unknown_quotient_cuts_without_creating_a_period():
    household = factories.household(quotient_familial=800, qf_valid_from=D(2026, 9, 1))
    assert quotient.set_quotient(household, None, D(2026, 11, 10)) is None
    assert spans(household) == [(800, D(2026, 9, 1), D(2026, 11, 9))]
    assert household.qf_on(D(2026, 11, 10)) is None


@pytest.mark.parametrize(
    ("value", "valid_from", "valid_to", "field"),
    [
        (-1, D(2027, 1, 1), None, "value"),
        (100_001, D(2027, 1, 1), None, "value"),
        (True, D(2027, 1, 1), None, "value"),
        (450, D(2027, 1, 1), D(2026, 12, 31), "valid_to"),
    ],
)
def test_bad_quotients_are_refused_and_change_nothing(value, valid_from, valid_to, field):
    household = factories.household(quotient_familial=800, qf_valid_from=D(2026, 9, 1))
    with pytest.raises(quotient.QuotientRefused) as refused:
        quotient.set_quotient(household, value, valid_from, valid_to)
    assert refused.value.field == field
    assert spans(household) == [(800, D(2026, 9, 1), None)]


def test_the_instance_read_before_the_change_sees_the_new_quotient():
    household = factories.household(quotient_familial=800)
    assert household.qf_on(D(2027, 2, 1)) == 800  # cached on the instance
    quotient.set_quotient(household, 450, D(2027, 1, 1))
    assert household.qf_on(D(2027, 2, 1)) == 450


def test_the_database_refuses_a_period_ending_before_it_starts():
    household = factories.household()
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.quotient_period(household, 450, D(2027, 1, 1), D(2026, 1, 1))


def test_the_database_refuses_two_periods_starting_the_same_day():
    household = factories.household()
    factories.quotient_period(household, 450, D(2027, 1, 1), D(2027, 1, 31))
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.quotient_period(household, 500, D(2027, 1, 1))


def test_many_households_priced_over_many_days_read_their_periods_once():
    households = [factories.household(quotient_familial=100 * i) for i in range(1, 6)]
    quotient.set_quotient(households[0], 999, D(2027, 1, 1))
    fresh = list(Household.objects.filter(pk__in=[h.pk for h in households]))
    with CaptureQueriesContext(connection) as queries:
        quotient.attach(fresh)
        values = {
            h.pk: [h.qf_on(D(2026, 12, 1) + datetime.timedelta(days=n)) for n in range(60)]
            for h in fresh
        }
    assert len(queries) == 1
    assert values[households[0].pk][0] == 100
    assert values[households[0].pk][-1] == 999
    assert set(values[households[4].pk]) == {500}


def test_quotients_for_gives_the_periods_touching_the_range():
    a, b = factories.household(), factories.household()
    factories.quotient_period(a, 300, D(2026, 1, 1), D(2026, 10, 31))
    current = factories.quotient_period(a, 400, D(2026, 11, 1))
    found = quotient.quotients_for([a.pk, b.pk], D(2026, 11, 3), D(2026, 11, 3))
    assert found[a.pk] == [current]
    assert found.get(b.pk, []) == []
