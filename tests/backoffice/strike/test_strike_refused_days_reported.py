"""A day the service refuses to close (attendance recorded) is reported in the result and
left open; the other days are closed."""

import pytest

from portail.activities.models import Session
from portail.reservations.models import Attendance
from tests.backoffice.strike.conftest import URL, form
from tests.world.staff import client_for

pytestmark = pytest.mark.django_db


def test_a_day_with_attendance_is_reported_not_closed(town, week):
    monday = week["malves"][0]
    Attendance.objects.create(child=town.emy, session=monday, present=True)
    response = client_for(town.gestionnaire, "en").post(
        URL, form(town, week, action="close", confirm="on")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "1 day closed." in page
    assert "Days not closed" in page and "Attendance has already been recorded" in page
    monday.refresh_from_db()
    assert monday.is_open
    assert not Session.objects.get(pk=week["malves"][1].pk).is_open
