"""The one reader of the dates staff type or put in a URL (pages, exports, staff API).

A date is written YYYY-MM-DD (what <input type="date"> sends, and the API's format) or
DD/MM/YYYY (what people type), and must fall within the years the parents' pages accept
(reservations.forms.FIRST_YEAR..LAST_YEAR, 2000-2099): wide enough for any school year,
narrow enough that the date arithmetic of a page (the next day, the week or month around
a day, the end of a period in Paris time) never overflows. Anything else is refused with
one clear message; no page answers a 500 for a date.

- `parse_staff_date(text)`: the date, or None;
- `StaffDateField`: the form field every back-office form uses;
- `in_range(day)`: for dates that come already parsed (the staff API's read_staff_date,
  api/views/staff_fields.py, after api.fields.read_date).
"""

import datetime
import re

from django import forms
from django.utils.translation import gettext as _

from portail.reservations.forms import FIRST_YEAR, LAST_YEAR

ISO_RE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")
FRENCH_RE = re.compile(r"^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})$")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def in_range(day: datetime.date) -> bool:
    return FIRST_YEAR <= day.year <= LAST_YEAR


def out_of_range_message() -> str:
    return _("Choose a date between %(first)d and %(last)d.") % {
        "first": FIRST_YEAR,
        "last": LAST_YEAR,
    }


def check_staff_date(day: datetime.date) -> str:
    """ "" when `day` is within the allowed years, else the message saying so."""
    return "" if in_range(day) else out_of_range_message()


def _parse(text: str) -> datetime.date | None:
    value = text.strip()
    match = ISO_RE.match(value)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = FRENCH_RE.match(value)
        if not match:
            return None
        day, month, year = (int(g) for g in match.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def parse_staff_date(text: object) -> datetime.date | None:
    """The date written in `text` within the allowed years, or None."""
    if isinstance(text, datetime.datetime):
        text = text.date()
    if isinstance(text, datetime.date):
        return text if in_range(text) else None
    if not isinstance(text, str) or len(text) > 10:
        return None
    day = _parse(text)
    return day if day is not None and in_range(day) else None


class StaffDateField(forms.DateField):
    """A date read by parse_staff_date: a clear error outside FIRST_YEAR..LAST_YEAR."""

    widget = DATE_WIDGET

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, datetime.date):
            day = value
        else:
            day = _parse(str(value)) if len(str(value)) <= 10 else None
            if day is None:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if not in_range(day):
            raise forms.ValidationError(out_of_range_message(), code="out_of_range")
        return day
