"""The reminders page: every kind with its state in words, saved as ticked; bad input is
refused in the guardian's language with nothing changed; staff logins have no such page."""

import pytest

from portail.reminders import preferences
from portail.reminders.models import ReminderOptOut
from tests.world.commune import build
from tests.world.staff import client_for, gestionnaire
from tests.world.web import text_of

pytestmark = pytest.mark.django_db


def page_text(response) -> str:
    return text_of(response.content.decode())


PAGE = "/mes-donnees/rappels/"


def test_the_page_lists_every_kind_on_by_default_and_saves_the_ticked_ones():
    world = build()
    client = client_for(world.user, "en")
    text = page_text(client.get(PAGE))
    for label in (
        "A week is not booked yet",
        "My basket is about to lapse",
        "A place offered to me is about to expire",
        "An invoice is",
    ):
        assert label in text
    assert text.count("– on") == 4
    assert "My e-mail reminders" in page_text(client.get("/mes-donnees/"))

    response = client.post(PAGE, {"kinds": ["invoice_due"]}, follow=True)
    assert "Your reminder choices have been saved." in page_text(response)
    assert page_text(response).count("– off") == 3
    assert preferences.wanted(world.user.guardian) == {"invoice_due"}


@pytest.mark.parametrize(
    "data",
    [{"kinds": ["invoice_due", "no_such_kind"]}, {"kinds": ["x" * 5000]}, {"kinds": [""]}],
)
def test_bad_input_is_refused_and_nothing_changes(data):
    world = build()
    preferences.set_wanted(world.user.guardian, {"week_not_booked"})
    before = set(ReminderOptOut.objects.values_list("guardian_id", "kind"))
    response = client_for(world.user, "en").post(PAGE, data)
    assert response.status_code == 400
    assert "Unknown reminder: nothing was changed." in page_text(response)
    assert set(ReminderOptOut.objects.values_list("guardian_id", "kind")) == before


def test_staff_logins_have_no_reminders_page():
    response = client_for(gestionnaire()).get(PAGE)
    assert response.status_code == 404
