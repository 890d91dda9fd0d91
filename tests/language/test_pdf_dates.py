"""PDFs write dates as the pages do (SHORT_DATE_FORMAT, day first in both languages), and
a moment on the portal's clock: 23:30 UTC on 12 January is the 13th in Paris."""

import datetime

import pytest
from django.utils import translation

from portail.core.pdf.base import date_text

LATE_EVENING_UTC = datetime.datetime(2026, 1, 12, 23, 30, tzinfo=datetime.UTC)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_day_is_day_first_in_both_languages(language):
    with translation.override(language):
        assert date_text(datetime.date(2026, 1, 12)) == "12/01/2026"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_moment_is_dated_in_paris(language):
    with translation.override(language):
        assert date_text(LATE_EVENING_UTC) == "13/01/2026"
