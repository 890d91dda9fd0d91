"""Booking and cancellation deadlines as the field expresses them, in Europe/Paris time.

Pure computation on unsaved activities: weekends, French public holidays, midnight, and
both DST changes (25 October 2026, 28 March 2027).
"""

import datetime

import pytest

from portail.activities import deadlines
from portail.activities.models import Activity, DeadlineKind
from tests.clock import PARIS, paris

D = datetime.date
T = datetime.time
TEN = T(10, 0)
NOON = T(12, 0)
UTC = datetime.UTC


def activity(kind: str, value: int, at: T = TEN, start: T = NOON) -> Activity:
    return Activity(
        name="Restauration Scolaire",
        start_time=start,
        end_time=T(23, 59),
        booking_deadline_kind=kind,
        booking_deadline_value=value,
        booking_deadline_time=at,
        cancel_deadline_kind=kind,
        cancel_deadline_value=value,
        cancel_deadline_time=at,
    )


def booking(kind, value, day, at=TEN, start=NOON) -> datetime.datetime:
    return deadlines.booking_deadline(activity(kind, value, at, start), day)


def same_instant(a: datetime.datetime, b: datetime.datetime) -> bool:
    return a.astimezone(UTC) == b.astimezone(UTC)


def test_two_working_days_before_a_monday_is_the_previous_thursday_at_ten():
    result = booking(DeadlineKind.WORKING_DAYS_BEFORE, 2, D(2026, 12, 7))
    assert same_instant(result, paris(2026, 12, 3, 10, 0))
    assert result.astimezone(PARIS).strftime("%A %H:%M") == "Thursday 10:00"


def test_working_days_skip_11_november_a_wednesday():
    # Friday 13 November 2026: Thursday 12 is the 1st working day, Wednesday 11 is a
    # public holiday, Tuesday 10 is the 2nd.
    result = booking(DeadlineKind.WORKING_DAYS_BEFORE, 2, D(2026, 11, 13))
    assert same_instant(result, paris(2026, 11, 10, 10, 0))


def test_working_days_skip_1_may_and_the_weekend():
    # Monday 4 May 2026: Sunday, Saturday, Friday 1 May (holiday) skipped.
    result = booking(DeadlineKind.WORKING_DAYS_BEFORE, 2, D(2026, 5, 4))
    assert same_instant(result, paris(2026, 4, 29, 10, 0))


def test_working_days_skip_new_year_and_christmas():
    assert same_instant(
        booking(DeadlineKind.WORKING_DAYS_BEFORE, 2, D(2027, 1, 4)), paris(2026, 12, 30, 10, 0)
    )
    # Monday 28 December 2026: Friday 25 December is a holiday.
    assert same_instant(
        booking(DeadlineKind.WORKING_DAYS_BEFORE, 1, D(2026, 12, 28)), paris(2026, 12, 24, 10, 0)
    )


def test_zero_working_days_is_the_same_day_at_the_time():
    result = booking(DeadlineKind.WORKING_DAYS_BEFORE, 0, D(2026, 12, 7), at=T(9, 0))
    assert same_instant(result, paris(2026, 12, 7, 9, 0))


def test_working_day_helpers():
    assert deadlines.is_public_holiday(D(2026, 11, 11))
    assert deadlines.is_public_holiday(D(2026, 5, 1))
    assert not deadlines.is_working_day(D(2026, 12, 5))  # Saturday
    assert deadlines.is_working_day(D(2026, 12, 7))


def test_working_days_deadline_after_the_october_change_keeps_its_wall_clock_time():
    # Tuesday 27 October 2026, J-2 working days: Friday 23 October (summer time) 10:00.
    result = booking(DeadlineKind.WORKING_DAYS_BEFORE, 2, D(2026, 10, 27))
    assert same_instant(result, paris(2026, 10, 23, 10, 0))
    assert result.utcoffset() == datetime.timedelta(hours=2)


def test_hours_before_counts_real_hours_across_the_october_change():
    # Monday 26 October 2026 12:00 (winter, UTC+1) minus 72 real hours: the night of the
    # change lasts 25 h, so Friday 23 October at 13:00 summer time.
    result = booking(DeadlineKind.HOURS_BEFORE, 72, D(2026, 10, 26))
    assert same_instant(result, paris(2026, 10, 23, 13, 0))
    assert result.astimezone(PARIS).hour == 13


def test_hours_before_counts_real_hours_across_the_march_change():
    # Monday 29 March 2027 12:00 (summer, UTC+2) minus 72 h: Friday 26 March at 11:00.
    result = booking(DeadlineKind.HOURS_BEFORE, 72, D(2027, 3, 29))
    assert same_instant(result, paris(2027, 3, 26, 11, 0))


def test_hours_before_crosses_midnight():
    result = booking(DeadlineKind.HOURS_BEFORE, 12, D(2026, 12, 8), start=T(8, 0))
    assert same_instant(result, paris(2026, 12, 7, 20, 0))


def test_days_before_keeps_wall_clock_time_on_the_day_of_each_change():
    # "The day before at 15:00": Sunday 25 October 2026 is in winter time (UTC+1)...
    october = booking(DeadlineKind.DAYS_BEFORE, 1, D(2026, 10, 26), at=T(15, 0))
    assert october.astimezone(PARIS).time() == T(15, 0)
    assert october.astimezone(UTC) == datetime.datetime(2026, 10, 25, 14, 0, tzinfo=UTC)
    # ... and Sunday 28 March 2027 in summer time (UTC+2).
    march = booking(DeadlineKind.DAYS_BEFORE, 1, D(2027, 3, 29), at=T(15, 0))
    assert march.astimezone(UTC) == datetime.datetime(2027, 3, 28, 13, 0, tzinfo=UTC)


def test_days_before_at_midnight_and_just_before():
    assert same_instant(
        booking(DeadlineKind.DAYS_BEFORE, 1, D(2026, 12, 8), at=T(0, 0)), paris(2026, 12, 7)
    )
    assert same_instant(
        booking(DeadlineKind.DAYS_BEFORE, 1, D(2026, 12, 8), at=T(23, 59)),
        paris(2026, 12, 7, 23, 59),
    )


def test_a_time_that_does_not_exist_in_march_is_read_before_the_change():
    # 02:30 on Sunday 28 March 2027 does not exist: it is taken as 01:30 UTC (03:30 CEST).
    result = booking(DeadlineKind.DAYS_BEFORE, 1, D(2027, 3, 29), at=T(2, 30))
    assert result.astimezone(UTC) == datetime.datetime(2027, 3, 28, 1, 30, tzinfo=UTC)


def test_an_ambiguous_time_in_october_is_its_first_occurrence():
    # 02:30 happens twice on Sunday 25 October 2026: the first one, in summer time.
    result = booking(DeadlineKind.DAYS_BEFORE, 1, D(2026, 10, 26), at=T(2, 30))
    assert result.astimezone(UTC) == datetime.datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_weekday_of_the_previous_week_thursday_noon_for_the_next_week():
    for day in [D(2026, 12, 7), D(2026, 12, 9), D(2026, 12, 11), D(2026, 12, 13)]:
        result = booking(DeadlineKind.WEEKDAY_BEFORE_WEEK, 3, day, at=T(12, 0))
        assert same_instant(result, paris(2026, 12, 3, 12, 0)), day


def test_weekday_of_the_previous_week_tuesday_midnight():
    result = booking(DeadlineKind.WEEKDAY_BEFORE_WEEK, 1, D(2026, 12, 10), at=T(23, 59))
    assert same_instant(result, paris(2026, 12, 1, 23, 59))


def test_weekday_of_the_previous_week_across_the_october_change():
    # Week of Monday 2 November 2026: Thursday 29 October at 12:00, winter time.
    result = booking(DeadlineKind.WEEKDAY_BEFORE_WEEK, 3, D(2026, 11, 4), at=T(12, 0))
    assert result.astimezone(UTC) == datetime.datetime(2026, 10, 29, 11, 0, tzinfo=UTC)


def test_no_deadline_means_until_the_session_starts():
    result = booking(DeadlineKind.NONE, 0, D(2026, 12, 7), start=T(11, 45))
    assert same_instant(result, paris(2026, 12, 7, 11, 45))


def test_cancellation_deadline_uses_its_own_fields():
    act = activity(DeadlineKind.WORKING_DAYS_BEFORE, 2)
    act.cancel_deadline_kind = DeadlineKind.DAYS_BEFORE
    act.cancel_deadline_value = 1
    act.cancel_deadline_time = T(15, 0)
    assert same_instant(deadlines.cancel_deadline(act, D(2026, 12, 8)), paris(2026, 12, 7, 15))
    assert same_instant(deadlines.booking_deadline(act, D(2026, 12, 8)), paris(2026, 12, 4, 10))


def test_unknown_kind_is_an_error():
    with pytest.raises(ValueError):
        deadlines.deadline("fortnight", 1, T(10, 0), paris(2026, 12, 7, 12))


def test_29_february_is_a_day_like_the_others():
    # Thursday 2 March 2028, two working days before: Tuesday 29 February at 10:00.
    assert booking(DeadlineKind.WORKING_DAYS_BEFORE, 2, D(2028, 3, 2)) == paris(2028, 2, 29, 10)
    # One day before Wednesday 1 March 2028 is 29 February; 48 hours before is too.
    assert booking(DeadlineKind.DAYS_BEFORE, 1, D(2028, 3, 1)) == paris(2028, 2, 29, 10)
    assert same_instant(
        booking(DeadlineKind.HOURS_BEFORE, 48, D(2028, 3, 2)), paris(2028, 2, 29, 12)
    )
    # Thursday 2 March 2028's week: Tuesday of the week before is 22 February.
    assert booking(DeadlineKind.WEEKDAY_BEFORE_WEEK, 1, D(2028, 3, 2)) == paris(2028, 2, 22, 10)
