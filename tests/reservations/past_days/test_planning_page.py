"""The planning page writes a past cancelled day as a "Cancelled" block, with the closure's
reason when the service closed the day."""

import pytest

from portail.activities import calendar
from portail.reservations.models import Booking, BookingStatus
from tests.clock import paris
from tests.factories import paid_booking
from tests.world.commune import seed_family
from tests.world.web import text_of

pytestmark = pytest.mark.django_db


def test_the_page_shows_cancelled_blocks(client, time_machine):
    fam = seed_family()
    monday, tuesday = fam.sessions[fam.days[0]], fam.sessions[fam.days[1]]
    for session in (monday, tuesday):
        booking = paid_booking(fam.emy, session)
        Booking.objects.filter(pk=booking.pk).update(status=BookingStatus.CANCELLED)
    calendar.close_sessions([tuesday], "Grève")
    day = fam.days[1]
    time_machine.move_to(paris(day.year, day.month, day.day, 18, 0))
    client.cookies["portail_language"] = "en"
    client.force_login(fam.user)

    response = client.get("/planning/", {"week": fam.week})

    assert response.status_code == 200
    html = response.content.decode()
    text = " ".join(text_of(html).split())
    assert html.count("state--cancelled") >= 2 + 1  # two blocks and the legend's swatch
    assert "Cancelled" in text
    assert "Day closed: Grève" in text
