"""`portail generate_sessions`: ranges, activities, pruning, summaries and bad arguments."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from portail.activities.calendar import school_year_bounds
from tests import factories

D = datetime.date
pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("generate_sessions", *args, stdout=out)
    return out.getvalue()


def test_range_and_one_activity_print_a_summary():
    wednesday = factories.activity(name="Centre de loisirs", weekdays="2")
    other = factories.activity(weekdays="0")
    out = run("--activity", str(wednesday.pk), "--from", "2026-10-01", "--to", "2026-11-30")
    assert "Sessions from 2026-10-01 to 2026-11-30" in out
    assert f"{wednesday.pk} Centre de loisirs: 5 created, 0 already there, 3 days closed" in out
    assert "Total: 5 created, 0 already there" in out
    assert not other.sessions.exists()


def test_repeated_activity_option_and_second_run_finds_everything_there():
    first, second = factories.activity(weekdays="2"), factories.activity(weekdays="2")
    args = ["--activity", str(first.pk), "--activity", str(second.pk)]
    run(*args, "--from", "2026-09-01", "--to", "2026-09-30")
    out = run(*args, "--from", "2026-09-01", "--to", "2026-09-30")
    assert "Total: 0 created, 10 already there" in out


def test_school_year_option_covers_the_whole_year():
    activity = factories.activity(weekdays="2")
    out = run("--school-year", "2026")
    assert "Sessions from 2026-09-01 to 2027-07-02" in out
    days = activity.sessions.order_by("date").values_list("date", flat=True)
    assert days.first() == D(2026, 9, 2) and days.last() == D(2027, 6, 30)


def test_default_is_the_current_school_year_of_the_organisation_zone():
    factories.activity(weekdays="2")
    start, end = school_year_bounds(timezone.localdate(), "C")
    assert f"Sessions from {start:%Y-%m-%d} to {end:%Y-%m-%d}" in run()


def test_prune_reports_removed_sessions():
    activity = factories.activity(weekdays="2")
    factories.session(activity, D(2026, 11, 11))
    out = run("--from", "2026-11-01", "--to", "2026-11-30", "--prune")
    assert ", 1 removed" in out
    assert not activity.sessions.filter(date=D(2026, 11, 11)).exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2026-09-01"], "--from and --to go together"),
        (["--from", "2026-13-01", "--to", "2026-12-01"], "Invalid date '2026-13-01'"),
        (["--from", "2026-12-01", "--to", "2026-09-01"], "--from must not be after --to"),
        (["--school-year", "2026", "--from", "2026-09-01", "--to", "2026-09-30"], "not both"),
        (["--school-year", "2035"], "No school-holiday data"),
        (["--from", "2035-01-01", "--to", "2035-01-31"], "No school-holiday data for 2035"),
        (["--activity", "999999"], "Unknown activity id(s): 999999"),
        (["--from", "2026-01-01", "--to", "2030-01-01"], "may not exceed 800 days"),
    ],
)
def test_bad_arguments_are_refused_and_create_nothing(args, message):
    activity = factories.activity()
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run(*args)
    assert not activity.sessions.exists()


def test_a_non_numeric_activity_id_is_refused():
    with pytest.raises(CommandError):
        run("--activity", "abc")
