"""Sessions generated from the calendar: weekdays, holidays, zones, regeneration, pruning."""

import datetime

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from portail.activities.calendar import (
    generate_sessions,
    session_is_used,
    used_session_ids,
)
from portail.activities.models import Activity, Session
from tests import factories

D = datetime.date
pytestmark = pytest.mark.django_db


def dates(activity: Activity) -> list[datetime.date]:
    return list(activity.sessions.order_by("date").values_list("date", flat=True))


def wednesday_leisure(**fields) -> Activity:
    fields.setdefault("kind", Activity.Kind.LEISURE)
    return factories.activity(weekdays="2", **fields)


def test_wednesdays_around_toussaint_skip_the_holidays_and_armistice():
    activity = wednesday_leisure(default_capacity=24)
    with translation.override("en"):
        report = generate_sessions(activity, D(2026, 10, 1), D(2026, 11, 30))
    assert dates(activity) == [
        D(2026, 10, 7),
        D(2026, 10, 14),
        D(2026, 11, 4),
        D(2026, 11, 18),
        D(2026, 11, 25),
    ]
    assert report.created == 5 and report.existing == 0
    assert report.skipped == {
        D(2026, 10, 21): "All Saints' holidays",
        D(2026, 10, 28): "All Saints' holidays",
        D(2026, 11, 11): "Armistice Day",
    }
    assert set(activity.sessions.values_list("capacity", flat=True)) == {24}
    assert all(s.is_open for s in activity.sessions.all())


def test_canteen_around_christmas_holidays():
    canteen = factories.activity(weekdays="0,1,3,4")
    with translation.override("fr"):
        report = generate_sessions(canteen, D(2026, 12, 14), D(2027, 1, 8))
    assert dates(canteen) == [
        D(2026, 12, 14),
        D(2026, 12, 15),
        D(2026, 12, 17),
        D(2026, 12, 18),
        D(2027, 1, 4),
        D(2027, 1, 5),
        D(2027, 1, 7),
        D(2027, 1, 8),
    ]
    assert report.skipped[D(2026, 12, 25)] == "Noël"
    assert report.skipped[D(2027, 1, 1)] == "Jour de l'an"
    assert len(report.skipped) == 8


def test_public_holidays_in_term_time_are_skipped():
    canteen = factories.activity(weekdays="0,1,3,4")
    generate_sessions(canteen, D(2027, 3, 29), D(2027, 5, 7))
    days = set(dates(canteen))
    assert D(2027, 3, 29) not in days  # Easter Monday
    assert D(2027, 3, 30) in days
    assert D(2027, 5, 6) not in days  # Ascension
    assert D(2027, 5, 7) not in days  # the Ascension bridge (school holiday)
    assert D(2027, 5, 3) in days


def test_zone_a_and_zone_c_differ_in_the_spring_holidays():
    zone_c = factories.activity(weekdays="0")
    org_a = factories.organisation(name="Commune en zone A", school_zone="A")
    zone_a = factories.activity(factories.site(org_a), weekdays="0")
    for activity in (zone_c, zone_a):
        generate_sessions(activity, D(2027, 3, 29), D(2027, 4, 30))
    # Zone C: 3-18 April; zone A: 10-25 April. Easter Monday 29 March closes both.
    assert dates(zone_c) == [D(2027, 4, 19), D(2027, 4, 26)]
    assert dates(zone_a) == [D(2027, 4, 5), D(2027, 4, 26)]


def test_open_in_school_holidays_runs_in_the_holidays_but_not_on_public_holidays():
    centre = factories.activity(
        weekdays="0,1,2,3,4", kind=Activity.Kind.LEISURE, open_in_school_holidays=True
    )
    report = generate_sessions(centre, D(2026, 10, 19), D(2026, 11, 13))
    days = dates(centre)
    assert D(2026, 10, 19) in days and D(2026, 10, 30) in days  # Toussaint holidays
    assert D(2026, 11, 11) not in days
    assert list(report.skipped) == [D(2026, 11, 11)]
    assert report.created == 19


def test_regeneration_keeps_existing_sessions_and_staff_edits():
    activity = wednesday_leisure(default_capacity=24)
    generate_sessions(activity, D(2026, 9, 1), D(2026, 9, 30))
    edited = activity.sessions.get(date=D(2026, 9, 9))
    edited.capacity = 12
    edited.is_open = False
    edited.closed_reason = "Grève"
    edited.save()
    activity.default_capacity = 30
    activity.save()

    report = generate_sessions(activity, D(2026, 9, 1), D(2026, 10, 14))

    assert report.created == 2 and report.existing == 5
    edited.refresh_from_db()
    assert (edited.capacity, edited.is_open, edited.closed_reason) == (12, False, "Grève")
    assert activity.sessions.get(date=D(2026, 9, 2)).capacity == 24
    assert activity.sessions.get(date=D(2026, 10, 7)).capacity == 30


def test_sessions_outside_the_rules_stay_without_prune():
    activity = wednesday_leisure()
    factories.session(activity, D(2026, 11, 11))
    report = generate_sessions(activity, D(2026, 11, 1), D(2026, 11, 30))
    assert D(2026, 11, 11) in dates(activity)
    assert report.removed == 0 and report.kept_used == []


def test_prune_deletes_unused_off_rule_sessions_only_in_range():
    activity = wednesday_leisure()
    factories.session(activity, D(2026, 11, 11))  # Armistice
    factories.session(activity, D(2026, 11, 12))  # a Thursday
    outside = factories.session(activity, D(2026, 12, 2))
    report = generate_sessions(activity, D(2026, 11, 1), D(2026, 11, 30), prune=True)
    assert report.removed == 2
    assert dates(activity) == [D(2026, 11, 4), D(2026, 11, 18), D(2026, 11, 25), outside.date]


def test_prune_after_a_weekday_change_removes_the_old_weekday():
    activity = wednesday_leisure()
    generate_sessions(activity, D(2026, 9, 1), D(2026, 9, 30))
    activity.weekdays = "0"
    activity.save()
    report = generate_sessions(activity, D(2026, 9, 1), D(2026, 9, 30), prune=True)
    assert report.removed == 5 and report.created == 4
    assert {d.weekday() for d in dates(activity)} == {0}


def referencing_row(session: Session):
    """A real row pointing at the session: an attendance mark (reservations app)."""
    try:
        attendance = apps.get_model("reservations", "Attendance")
    except LookupError:
        pytest.skip("no model references sessions yet")
    return attendance.objects.create(child=factories.child(), session=session, present=True)


def test_prune_keeps_sessions_in_use_and_lists_them():
    activity = wednesday_leisure()
    used = factories.session(activity, D(2026, 11, 11))
    unused = factories.session(activity, D(2026, 11, 10))
    referencing_row(used)
    report = generate_sessions(activity, D(2026, 11, 1), D(2026, 11, 30), prune=True)
    assert report.kept_used == [D(2026, 11, 11)]
    assert report.removed == 1
    assert Session.objects.filter(pk=used.pk).exists()
    assert not Session.objects.filter(pk=unused.pk).exists()


def test_session_is_used_sees_any_referencing_row():
    session = factories.session(wednesday_leisure(), D(2026, 11, 4))
    other = factories.session(session.activity, D(2026, 11, 18))
    assert not session_is_used(session)
    referencing_row(session)
    assert session_is_used(session)
    assert not session_is_used(other)
    assert used_session_ids([session.pk, other.pk]) == {session.pk}


def test_a_whole_school_year_costs_the_same_queries_as_a_month():
    activity = factories.activity(weekdays="0,1,3,4")
    other = factories.activity(weekdays="0,1,3,4")
    with CaptureQueriesContext(connection) as month:
        generate_sessions(activity, D(2026, 9, 1), D(2026, 9, 30))
    with CaptureQueriesContext(connection) as year:
        report = generate_sessions(other, D(2026, 9, 1), D(2027, 7, 2))
    assert report.created > 130
    assert len(year) == len(month)
