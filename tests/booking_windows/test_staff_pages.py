"""Staff see each window with its seed and, once drawn, the published order (household,
rank, priority); they tick a household's priority criteria, kept with who and when."""

import pytest

from portail.activities.models import HouseholdPriority
from portail.reservations.draws import run_draw
from tests.world.days import MONDAY
from tests.world.staff import client_for, gestionnaire
from tests.world.web import text_of

from .town import AFTER_DRAW, DURING_DRAW, another_family, ask, build, give_priority, window

pytestmark = pytest.mark.django_db


def test_the_windows_page_publishes_the_seed_and_the_order():
    world = build()
    w = window(world, draw_minutes=10, seed="feedc0ffee")
    other = another_family(world)
    give_priority(other.household)
    ask(world, [MONDAY], DURING_DRAW)
    ask(other, [MONDAY], DURING_DRAW)
    client = client_for(gestionnaire(), "en")
    page = text_of(client.get("/gestion/fenetres/").content.decode())
    assert "feedc0ffee" in page and "Not yet" in page
    run_draw(w.pk, now=AFTER_DRAW)
    page = text_of(client.get("/gestion/fenetres/").content.decode())
    assert "Published order of the draw" in page
    first = page.index(f"(n° {other.household.pk})")
    second = page.index(f"(n° {world.household.pk})")
    assert first < second  # the priority household first
    assert f"1 {other.household.name} (n° {other.household.pk}) Yes" in page


def test_staff_tick_and_untick_priority_criteria():
    world = build()
    staff = gestionnaire()
    client = client_for(staff, "en")
    url = f"/gestion/familles/{world.household.pk}/priorites/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"criteria": ["resident", "working_parents"]})
    assert response.status_code == 302
    rows = HouseholdPriority.objects.filter(household=world.household)
    assert {r.criterion for r in rows} == {"resident", "working_parents"}
    assert {r.set_by for r in rows} == {staff}
    page = text_of(client.get(url).content.decode())
    assert f"Resident of the town: ticked by {staff.email}" in page
    client.post(url, {"criteria": ["working_parents"]})
    assert list(rows.values_list("criterion", flat=True)) == ["working_parents"]
    # A criterion that does not exist: the form says so, nothing changes.
    response = client.post(url, {"criteria": ["mayor_friend"]})
    assert response.status_code == 400
    assert list(rows.values_list("criterion", flat=True)) == ["working_parents"]
