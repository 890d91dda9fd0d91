"""The field readers as plain functions (the HTTP side is in test_errors.py)."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portail.api.fields import optional, read_int, read_iso_week, read_list, read_object
from portail.api.http import ApiError


def test_read_int_rejects_bool_string_fraction():
    for value in (True, "1", 1.5, [1]):
        with pytest.raises(ApiError) as caught:
            read_int({"n": value}, "n")
        assert (caught.value.status, caught.value.code) == (422, "invalid_field")
        assert caught.value.extra == {"field": "n"}


def test_optional_returns_default_when_missing_or_null():
    assert optional(read_int, {}, "n") is None
    assert optional(read_int, {"n": None}, "n", default=3) == 3
    assert optional(read_int, {"n": 4}, "n", default=3, max_value=5) == 4


def test_nested_fields_are_named_by_their_path():
    (line,) = read_list({"lines": [{"child": {"id": "x"}}]}, "lines", of=read_object)
    with pytest.raises(ApiError) as caught:
        read_int(read_object(line, "child"), "id")
    assert caught.value.extra == {"field": "lines[0].child.id"}


@given(st.dates(min_value=datetime.date(1, 1, 8), max_value=datetime.date(9999, 12, 24)))
def test_read_iso_week_returns_the_monday_of_the_week_of_any_day(day):
    year, week, _ = day.isocalendar()

    monday = read_iso_week({"w": f"{year:04d}-W{week:02d}"}, "w")

    assert monday.weekday() == 0
    assert monday <= day < monday + datetime.timedelta(days=7)
