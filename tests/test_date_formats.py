"""Dates are day first in both languages, with a 24-hour clock: 12/01/2026 is 12 January
for a French reader and an English one alike (Django's own English is m/d/Y, a.m./p.m.)."""

import datetime

from django.utils import formats, translation

MOMENT = datetime.datetime(2026, 1, 12, 16, 5)


def test_short_dates_and_times_are_the_same_in_both_languages():
    for language in ("fr", "en"):
        with translation.override(language):
            assert formats.date_format(MOMENT, "SHORT_DATE_FORMAT") == "12/01/2026"
            assert formats.date_format(MOMENT, "SHORT_DATETIME_FORMAT") == "12/01/2026 16:05"
            assert formats.time_format(MOMENT.time(), "TIME_FORMAT") == "16:05"


def test_long_dates_are_day_month_year():
    with translation.override("en"):
        assert formats.date_format(MOMENT, "DATE_FORMAT") == "12 January 2026"
    with translation.override("fr"):
        assert formats.date_format(MOMENT, "DATE_FORMAT") == "12 janvier 2026"


def test_an_english_form_reads_day_first():
    from django import forms

    with translation.override("en"):
        field = forms.DateField()
        assert field.clean("12/01/2026") == datetime.date(2026, 1, 12)
        assert field.clean("2026-01-12") == datetime.date(2026, 1, 12)
