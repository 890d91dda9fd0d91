"""Readers of the staff endpoints' fields that follow the back office's rules.

`read_staff_date`: api.fields.read_date (YYYY-MM-DD), then the back office's year bounds
(backoffice.dates: the same years as every staff page), so no staff endpoint computes
with a date that overflows.
"""

import datetime
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from portail.api.fields import invalid, read_date
from portail.backoffice.dates import in_range
from portail.reservations.forms import FIRST_YEAR, LAST_YEAR


def read_staff_date(data: Mapping[str, Any], name: str) -> datetime.date:
    """A date written YYYY-MM-DD within the allowed years; else 422 invalid_field."""
    day = read_date(data, name)
    if not in_range(day):
        raise invalid(
            data,
            name,
            _("The field “%(field)s” must be a date between %(first)s and %(last)s."),
            first=str(FIRST_YEAR),
            last=str(LAST_YEAR),
        )
    return day
