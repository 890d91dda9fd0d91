"""The French school calendar: school years, public holidays and school holidays by zone."""

import datetime

import pytest
from django.utils import translation

from portail.activities.calendar import (
    CalendarUnavailable,
    closed_days,
    public_holidays,
    school_holidays,
    school_year_bounds,
    school_year_starting_in,
)

D = datetime.date


def test_school_year_2026_runs_from_rentree_to_the_day_before_summer():
    assert school_year_bounds(D(2026, 11, 26), "C") == (D(2026, 9, 1), D(2027, 7, 2))


@pytest.mark.parametrize("day", [D(2026, 9, 1), D(2027, 7, 2), D(2027, 1, 1)])
def test_first_and_last_days_belong_to_their_school_year(day):
    assert school_year_bounds(day, "C") == (D(2026, 9, 1), D(2027, 7, 2))


def test_a_summer_day_belongs_to_the_coming_school_year():
    assert school_year_bounds(D(2026, 7, 10), "C") == (D(2026, 9, 1), D(2027, 7, 2))
    assert school_year_bounds(D(2027, 7, 3), "A")[0] == D(2027, 9, 1)


def test_school_year_starting_in_a_year():
    assert school_year_starting_in(2026, "B") == (D(2026, 9, 1), D(2027, 7, 2))
    assert school_year_starting_in(2024, "C") == (D(2024, 9, 2), D(2025, 7, 4))


def test_school_year_beyond_the_published_calendar_is_refused():
    with pytest.raises(CalendarUnavailable):
        school_year_starting_in(2035, "C")


def test_unknown_zone_is_refused():
    with pytest.raises(CalendarUnavailable):
        school_year_bounds(D(2026, 11, 26), "Z")
    with pytest.raises(CalendarUnavailable):
        school_holidays("Z", D(2026, 1, 1), D(2026, 1, 31))


def test_public_holidays_are_named_in_french():
    with translation.override("fr"):
        days = public_holidays(D(2026, 11, 1), D(2027, 5, 31))
    assert days[D(2026, 11, 11)] == "Armistice"
    assert days[D(2026, 12, 25)] == "Noël"
    assert days[D(2027, 1, 1)] == "Jour de l'an"
    assert days[D(2027, 3, 29)] == "Lundi de Pâques"
    assert days[D(2027, 5, 6)] == "Ascension"


def test_public_holidays_are_named_in_english_for_english_users():
    with translation.override("en"):
        assert public_holidays(D(2026, 12, 25), D(2026, 12, 25)) == {
            D(2026, 12, 25): "Christmas Day"
        }


def test_school_holidays_differ_by_zone():
    with translation.override("en"):
        zone_c = school_holidays("C", D(2027, 4, 1), D(2027, 4, 30))
        zone_a = school_holidays("A", D(2027, 4, 1), D(2027, 4, 30))
    assert min(zone_c) == D(2027, 4, 3) and max(zone_c) == D(2027, 4, 18)
    assert min(zone_a) == D(2027, 4, 10) and max(zone_a) == D(2027, 4, 25)
    assert set(zone_c.values()) == {"Spring holidays"}


def test_closed_days_give_the_public_holiday_name_inside_school_holidays():
    with translation.override("en"):
        days = closed_days("C", D(2026, 10, 30), D(2026, 11, 12))
    assert days == {
        D(2026, 10, 30): "All Saints' holidays",
        D(2026, 10, 31): "All Saints' holidays",
        D(2026, 11, 1): "All Saints' Day",
        D(2026, 11, 11): "Armistice Day",
    }


def test_ascension_bridge_is_a_school_holiday_after_the_public_holiday():
    with translation.override("en"):
        days = closed_days("C", D(2027, 5, 5), D(2027, 5, 7))
    assert days == {D(2027, 5, 6): "Ascension Day", D(2027, 5, 7): "Ascension bridge"}
