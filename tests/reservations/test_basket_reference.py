"""A new basket's reference, "PF" + year + its key on six digits or more, is written by the
database as the row is inserted (reservations migration 0010) and known at once in Python
(Basket.make_reference): the same value on both engines, in one statement."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portail.reservations.basket import submit_changes
from portail.reservations.holds import new_basket
from portail.reservations.judging import Change
from portail.reservations.models import Basket, BasketStatus, Channel
from tests import factories
from tests.clock import NOW
from tests.world.commune import seed_family

pytestmark = pytest.mark.django_db

BASKET_WRITE = re.compile(r'(INSERT INTO|UPDATE) "reservations_basket"\s')


def _stored(basket: Basket) -> str:
    return Basket.objects.values_list("reference", flat=True).get(pk=basket.pk)


def test_a_submission_opens_its_basket_with_its_reference_and_hold_in_one_statement():
    fam = seed_family()
    with CaptureQueriesContext(connection) as ctx:
        basket = submit_changes(
            fam.household,
            add=[Change(fam.emy.pk, fam.sessions[fam.days[0]].pk)],
            cancel=[],
            actor=fam.user,
            channel=Channel.WEB,
            now=NOW,
        )
    written = [q["sql"] for q in ctx.captured_queries if BASKET_WRITE.match(q["sql"])]
    assert [sql.split()[0] for sql in written] == ["INSERT"]  # no UPDATE for its reference
    assert basket.reference == f"PF2026{basket.pk:06d}" == _stored(basket)
    stored = Basket.objects.get(pk=basket.pk)
    assert stored.expires_at == basket.expires_at > NOW  # the hold, in the same INSERT
    assert stored.status == BasketStatus.OPEN


def test_the_database_and_python_agree_past_six_digits_and_across_years():
    household = factories.household()
    first = new_basket(household, NOW)
    assert _stored(first) == first.reference == Basket.make_reference(2026, first.pk)
    first.status = BasketStatus.ABANDONED
    first.save()
    big = Basket.objects.create(pk=1234567, household=household, reference="PF2027")
    assert _stored(big) == "PF20271234567" == Basket.make_reference(2027, 1234567)


def test_a_reference_given_in_full_is_left_as_it_is():
    household = factories.household()
    given = ["PF2026000999", "PFPAID1X2", "PF20261", "XX2026"]
    for reference in given:
        Basket.objects.create(
            household=household, reference=reference, status=BasketStatus.VALIDATED
        )
    assert sorted(Basket.objects.values_list("reference", flat=True)) == sorted(given)
