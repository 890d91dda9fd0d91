"""Prices by tariff period and quotient-familial band, from preloaded data."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portail.activities.pricing import NoTariff, PriceBook, price_for
from tests import factories

D = datetime.date
DAY = D(2026, 11, 26)
pytestmark = pytest.mark.django_db

BANDS = [(0, 599, 100, 150), (600, 999, 250, 375), (1000, 1499, 370, 555), (1500, None, 480, 720)]


@pytest.fixture
def canteen():
    activity = factories.activity()
    factories.tariff([activity], BANDS, D(2026, 9, 1), D(2027, 8, 31))
    return activity


@pytest.mark.parametrize(
    ("qf", "price"),
    [
        (0, 100),
        (599, 100),
        (600, 250),
        (999, 250),
        (1000, 370),
        (1499, 370),
        (1500, 480),
        (9000, 480),
    ],
)
def test_band_chosen_by_quotient_familial_edges_included(canteen, qf, price):
    household = factories.household(quotient_familial=qf)
    assert price_for(canteen, household, DAY) == price


def test_no_quotient_familial_means_the_highest_band(canteen):
    assert price_for(canteen, factories.household(), DAY) == 480


def test_expired_quotient_familial_means_the_highest_band(canteen):
    household = factories.household(
        quotient_familial=450, qf_valid_from=D(2025, 1, 1), qf_valid_to=D(2026, 8, 31)
    )
    assert price_for(canteen, household, D(2026, 8, 31) + datetime.timedelta(days=1)) == 480
    assert price_for(canteen, household, D(2026, 9, 1)) == 480


def test_quotient_familial_not_yet_valid_means_the_highest_band(canteen):
    household = factories.household(quotient_familial=450, qf_valid_from=D(2027, 1, 1))
    assert price_for(canteen, household, DAY) == 480
    assert price_for(canteen, household, D(2027, 1, 4)) == 100


def test_late_booking_costs_the_late_price_of_the_band(canteen):
    household = factories.household(quotient_familial=700)
    assert price_for(canteen, household, DAY, late=True) == 375
    assert price_for(canteen, factories.household(), DAY, late=True) == 720


def test_tariff_periods_follow_each_other():
    activity = factories.activity()
    factories.tariff([activity], [(0, None, 350, 500)], D(2025, 9, 1), D(2026, 8, 31))
    factories.tariff([activity], [(0, None, 370, 550)], D(2026, 9, 1), D(2027, 8, 31))
    household = factories.household()
    assert price_for(activity, household, D(2026, 8, 31)) == 350
    assert price_for(activity, household, D(2026, 9, 1)) == 370


def test_overlapping_tariffs_the_latest_starting_one_applies():
    activity = factories.activity()
    factories.tariff([activity], [(0, None, 370, 550)], D(2026, 9, 1), D(2027, 8, 31))
    factories.tariff([activity], [(0, None, 390, 590)], D(2027, 1, 1), D(2027, 8, 31))
    household = factories.household()
    assert price_for(activity, household, D(2026, 12, 31)) == 370
    assert price_for(activity, household, D(2027, 1, 4)) == 390


def test_no_tariff_for_the_day_or_the_activity_raises_no_tariff(canteen):
    household = factories.household()
    with pytest.raises(NoTariff):
        price_for(canteen, household, D(2026, 8, 31))
    with pytest.raises(NoTariff):
        price_for(factories.activity(), household, DAY)


def test_a_qf_outside_every_band_raises_no_tariff():
    activity = factories.activity()
    factories.tariff([activity], [(0, 599, 100, 150), (1000, None, 400, 600)])
    with pytest.raises(NoTariff):
        price_for(activity, factories.household(quotient_familial=700), DAY)


def test_a_tariff_shared_by_several_activities_prices_each():
    canteen, alae = factories.activity(), factories.activity(kind="alae")
    factories.tariff([canteen, alae], [(0, None, 370, 555)])
    book = PriceBook.load([canteen.pk, alae.pk], DAY, DAY)
    assert book.price(canteen.pk, DAY, None) == book.price(alae.pk, DAY, 300) == 370


def test_a_tariff_without_bands_prices_nothing_and_its_bands_are_read_in_qf_order():
    bare = factories.activity()
    factories.tariff([bare]).bands.all().delete()
    banded = factories.activity(kind="alae")
    factories.tariff([banded], [(1000, None, 400, 600), (0, 599, 100, 150), (600, 999, 250, 300)])
    book = PriceBook.load([bare.pk, banded.pk], DAY, DAY)
    with pytest.raises(NoTariff):
        book.price(bare.pk, DAY, None)
    assert [book.price(banded.pk, DAY, qf) for qf in (0, 700, 1200, None)] == [100, 250, 400, 400]
    assert book.price(banded.pk, DAY, 700, late=True) == 300


def test_price_book_loads_in_one_query_whatever_the_number_of_activities():
    def load_and_price(count: int) -> int:
        activities = [factories.activity() for _ in range(count)]
        for activity in activities:
            factories.tariff([activity], BANDS, D(2025, 9, 1), D(2026, 8, 31))
            factories.tariff([activity], BANDS, D(2026, 9, 1), D(2027, 8, 31))
        with CaptureQueriesContext(connection) as queries:
            book = PriceBook.load([a.pk for a in activities], D(2026, 8, 24), D(2026, 9, 11))
            prices = [
                book.price(a.pk, day, qf, late=late)
                for a in activities
                for day in (D(2026, 8, 31), D(2026, 9, 7))
                for qf in (None, 599, 600)
                for late in (False, True)
            ]
        assert len(prices) == count * 12
        return len(queries)

    assert load_and_price(1) == 1
    assert load_and_price(40) == 1


def test_price_book_without_activities_needs_no_query():
    with CaptureQueriesContext(connection) as queries:
        book = PriceBook.load([], DAY, DAY)
    assert len(queries) == 0
    with pytest.raises(NoTariff):
        book.price(1, DAY, None)


def test_pricing_a_day_outside_the_loaded_range_is_a_programming_error(canteen):
    book = PriceBook.load([canteen.pk], DAY, DAY)
    with pytest.raises(ValueError):
        book.price(canteen.pk, DAY + datetime.timedelta(days=1), None)
