"""The private calendar feed carries the booking deadlines of the weeks the children are
enrolled in: an event at the deadline, in the guardian's language, with an alarm before
it; gone once the deadline has passed; none for a household not enrolled."""

import datetime

import pytest
from icalendar import Calendar

from portail.reservations.calendar_feed import build_calendar
from tests.clock import paris
from tests.reminders.helpers import WEEK_CLOSES
from tests.world.commune import build, family

pytestmark = pytest.mark.django_db


def deadline_events(guardian, now) -> list:
    calendar = Calendar.from_ical(build_calendar(guardian, now=now))
    return [e for e in calendar.walk("VEVENT") if str(e["uid"]).startswith("deadline-")]


def test_the_weeks_deadline_is_an_event_with_an_alarm():
    world = build()
    world.user.language = "en"
    world.user.save(update_fields=["language"])
    now = paris(2026, 11, 30, 9, 0)
    [event] = deadline_events(world.user.guardian, now)
    assert str(event["summary"]) == "Bookings for the week of 07/12: until Thursday 03/12 at 10:00"
    assert event.decoded("dtstart") == WEEK_CLOSES
    assert world.activity.name in str(event["description"])
    [alarm] = event.walk("VALARM")
    assert alarm.decoded("trigger") == -datetime.timedelta(hours=48)
    # The same event (same UID) at the next read.
    [again] = deadline_events(world.user.guardian, now + datetime.timedelta(hours=1))
    assert again["uid"] == event["uid"]


def test_in_french_and_gone_once_passed():
    world = build()
    [event] = deadline_events(world.user.guardian, paris(2026, 11, 30, 9, 0))
    assert "jeudi 03/12" in str(event["summary"])
    assert deadline_events(world.user.guardian, WEEK_CLOSES + datetime.timedelta(minutes=1)) == []


def test_none_for_a_household_not_enrolled():
    world = build()
    _household, user, _kids = family(world.activity, enrolled=False)
    assert deadline_events(user.guardian, paris(2026, 11, 30, 9, 0)) == []
