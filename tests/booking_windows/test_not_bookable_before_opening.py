"""Before a window opens its days cannot be booked: the judgement refuses them with the
opening's date and time, on every channel (service, planning page, API); the planning
shows the opening instead of a checkbox. Days outside the window are not concerned."""

import pytest
from django.test import Client

from portail.reservations.basket import submit_changes
from portail.reservations.judging import Change, ChangesRefused
from portail.reservations.models import Booking, Channel
from portail.reservations.planning import week_planning
from portail.reservations.states import CellState
from tests.api.reservations.calls import error_of, logged, post_json
from tests.clock import paris
from tests.world.commune import seed_family
from tests.world.days import MONDAY, THURSDAY
from tests.world.web import fr

from .town import BEFORE, MINUTE, OPENS, ask, build, window

pytestmark = pytest.mark.django_db


def test_the_submission_is_refused_with_the_opening_until_it_opens():
    world = build()
    window(world)
    with pytest.raises(ChangesRefused) as refused:
        ask(world, [MONDAY], OPENS - MINUTE)
    (refusal,) = refused.value.refusals
    assert refusal.code == "not_open_yet"
    assert refusal.reason == fr("Opens on %(date)s at %(time)s.", date="01/12", time="18:00")
    assert not Booking.objects.exists()
    assert ask(world, [MONDAY], OPENS).lines.count() == 1


def test_the_planning_shows_the_opening_and_no_action():
    world = build()
    window(world)
    planning = week_planning(world.household, MONDAY, now=BEFORE)
    cell = next(c for c in planning.cells if c.date == MONDAY)
    assert (cell.state, cell.action, cell.reason) == (
        CellState.LOCKED,
        None,
        fr("Opens on %(date)s at %(time)s.", date="01/12", time="18:00"),
    )
    cell = next(c for c in week_planning(world.household, MONDAY, now=OPENS).cells)
    assert cell.action == "reserve"


def test_days_outside_the_window_are_not_concerned():
    world = build()
    w = window(world)
    w.last_day = MONDAY
    w.save()
    ask(world, [THURSDAY], BEFORE)  # not governed: booked as before
    with pytest.raises(ChangesRefused):
        ask(world, [MONDAY], BEFORE)


def test_staff_acting_for_the_family_are_not_held_back():
    from tests.world.staff import gestionnaire

    world = build()
    window(world)
    submit_changes(
        world.household,
        add=[Change(world.child.pk, world.sessions[MONDAY].pk)],
        cancel=[],
        actor=gestionnaire(),
        channel=Channel.BACKOFFICE,
        now=BEFORE,
        bypass_deadlines=True,
    )


def _pages_window(fam, opens):
    from portail.activities.models import BookingWindow

    w = BookingWindow.objects.create(
        name="Été", first_day=fam.days[0], last_day=fam.days[-1], opens_at=opens
    )
    w.activities.add(fam.activity)


def test_the_planning_page_and_the_api_refuse_before_opening(client: Client):
    fam = seed_family()
    _pages_window(fam, paris(2026, 11, 5, 18, 0))  # the suite's clock: 3 November
    client.force_login(fam.user)
    html = client.get("/planning/", {"week": fam.week, "lang": "en"}).content.decode()
    assert fr("Opens on %(date)s at %(time)s.", date="05/11", time="18:00") in html
    session = fam.sessions[fam.days[0]]
    response = client.post(
        "/planning/", {"week": fam.week, "change": f"reserve:{fam.emy.pk}:{session.pk}"}
    )
    assert response.status_code == 200  # the page again, with the refusal
    assert not Booking.objects.exists()
    api = logged(Client(), fam)
    response = post_json(
        api, "/api/v1/basket", {"add": [{"child_id": fam.emy.pk, "session_id": session.pk}]}
    )
    assert response.status_code == 422
    assert error_of(response)["items"][0]["code"] == "not_open_yet"
    assert not Booking.objects.exists()
