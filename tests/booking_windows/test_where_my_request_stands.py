"""A parent sees where their request stands: registered with the draw's time before it,
their rank among how many and each day given or not after it. Submitting the planning
during the draw window leads there."""

import pytest
from django.test import Client

from portail.activities.models import BookingWindow
from portail.reservations.draws import run_draw
from tests.world.commune import seed_family
from tests.world.web import text_of

from .town import another_family

pytestmark = pytest.mark.django_db


def _window(fam, time_machine):
    from tests.clock import paris

    w = BookingWindow.objects.create(
        name="Noël au centre",
        first_day=fam.days[0],
        last_day=fam.days[-1],
        opens_at=paris(2026, 11, 3, 8, 0),  # the suite's clock: 8:30, in the draw window
        draw_minutes=60,
    )
    w.activities.add(fam.activity)
    return w


def test_the_page_before_and_after_the_draw(client: Client, time_machine):
    fam = seed_family()
    w = _window(fam, time_machine)
    client.force_login(fam.user)
    session = fam.sessions[fam.days[0]]
    response = client.post(
        "/planning/",
        {"week": fam.week, "change": f"reserve:{fam.emy.pk}:{session.pk}"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302 and response["Location"] == "/planning/tirage/"
    client.cookies["portail_language"] = "en"
    page = text_of(client.get("/planning/tirage/", HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert "Noël au centre" in page
    assert "Request registered: draw on 03/11/2026 09:00" in page
    assert "Waiting for the draw" in page
    other = another_family(fam)
    other_session = fam.sessions[fam.days[0]]
    from .town import ask

    ask(other, [other_session.date], w.opens_at)
    assert run_draw(w.pk, now=w.draw_at)
    page = text_of(client.get("/planning/tirage/").content.decode())
    assert "out of 2" in page
    assert "Place given" in page


def test_no_request_says_so(client: Client):
    fam = seed_family()
    client.force_login(fam.user)
    client.cookies["portail_language"] = "en"
    page = text_of(client.get("/planning/tirage/").content.decode())
    assert "You have no request waiting for or given by a draw." in page
