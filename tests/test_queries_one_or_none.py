"""core.queries.one_or_none(): the row a key picks, or None, without an ORDER BY."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portail.core.queries import one_or_none
from portail.reservations.models import Basket, BasketStatus
from tests import factories

pytestmark = pytest.mark.django_db


def _open_basket(household) -> Basket:
    return Basket.objects.create(household=household, reference="PF-T-1", status=BasketStatus.OPEN)


def test_the_row_or_none_in_one_statement_without_order_by():
    household, other = factories.household(), factories.household()
    basket = _open_basket(household)
    with CaptureQueriesContext(connection) as ctx:
        found = one_or_none(Basket.objects.filter(household=household, status=BasketStatus.OPEN))
        missing = one_or_none(Basket.objects.filter(household=other, status=BasketStatus.OPEN))
    assert found == basket
    assert missing is None
    assert len(ctx.captured_queries) == 2
    # Basket's default ordering (-created_at, -pk) is neither compiled nor sent.
    assert all("ORDER BY" not in q["sql"] for q in ctx.captured_queries)


def test_an_ordered_queryset_loses_its_order_not_its_filter():
    household = factories.household()
    basket = _open_basket(household)
    ordered = Basket.objects.filter(pk=basket.pk).order_by("-reference")
    assert one_or_none(ordered) == basket
    assert one_or_none(ordered.filter(status=BasketStatus.PAID)) is None
