"""Every kind of write to the tables kept in memory changes the configuration stamp, on
both engines: saves, deletes, bulk inserts and updates, many-to-many links, raw SQL.
The database's triggers do it (activities migration 0004), so no code path can forget."""

import datetime

import pytest
from django.db import connection, transaction

from portail.activities.config_cache import current_stamp
from portail.activities.models import BookingWindow, Tariff, TariffBand
from tests import factories
from tests.clock import paris

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 12, 7)


def _changes(write) -> bool:
    before = current_stamp()
    assert before is not None
    write()
    return current_stamp() != before


def _tariff() -> Tariff:
    return factories.tariff([factories.activity(factories.site())])


def _window() -> BookingWindow:
    return BookingWindow.objects.create(
        name="Noël", first_day=DAY, last_day=DAY, opens_at=paris(2026, 12, 1, 18, 0)
    )


def test_tariffs_and_bands_by_the_orm():
    tariff = _tariff()
    band = tariff.bands.get()
    assert _changes(lambda: Tariff.objects.create(name="T", valid_from=DAY, valid_to=DAY))
    assert _changes(lambda: TariffBand.objects.filter(pk=band.pk).update(price_cents=400))
    assert _changes(lambda: setattr(band, "late_price_cents", 1200) or band.save())
    assert _changes(
        lambda: TariffBand.objects.bulk_create(
            [TariffBand(tariff=tariff, qf_min=5000, qf_max=None, price_cents=1, late_price_cents=1)]
        )
    )
    assert _changes(lambda: Tariff.objects.filter(pk=tariff.pk).update(valid_to=DAY))
    assert _changes(lambda: band.delete())
    assert _changes(lambda: tariff.delete())


def test_the_links_between_tariffs_windows_and_activities():
    tariff = _tariff()
    window = _window()
    other = factories.activity(factories.site())
    assert _changes(lambda: tariff.activities.add(other))
    assert _changes(lambda: tariff.activities.remove(other))
    assert _changes(lambda: window.activities.add(other))
    assert _changes(lambda: window.activities.clear())


def test_booking_windows_drawn_or_moved():
    window = _window()
    assert _changes(
        lambda: BookingWindow.objects.filter(pk=window.pk).update(
            drawn_at=paris(2026, 12, 1, 18, 10)
        )
    )
    assert _changes(lambda: setattr(window, "name", "Hiver") or window.save())
    assert _changes(lambda: window.delete())


def test_raw_sql_too():
    band = _tariff().bands.get()

    def raw() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE activities_tariffband SET price_cents = 1 WHERE id = %s", [band.pk]
            )

    assert _changes(raw)


def test_a_rolled_back_write_puts_the_stamp_back():
    """Why the stamp is random rather than a counter: after a rollback it is the stamp of
    the contents that are back, and no later write can be given it again."""
    band = _tariff().bands.get()
    before = current_stamp()
    with pytest.raises(RuntimeError), transaction.atomic():
        TariffBand.objects.filter(pk=band.pk).update(price_cents=1)
        assert current_stamp() != before
        raise RuntimeError
    assert current_stamp() == before
    TariffBand.objects.filter(pk=band.pk).update(price_cents=1)
    assert current_stamp() not in {before, None}


def test_other_tables_leave_it_alone():
    tariff = _tariff()
    activity = tariff.activities.get()
    assert not _changes(lambda: factories.session(activity, DAY))
