"""A kind registered by another app (the waiting list's `offer_expiring`, later) is sent
once by the same command and can be turned off on the same page, with no other change."""

import pytest
from django.core import mail

from portail.reminders import preferences, registry
from tests.reminders.helpers import run
from tests.world.commune import build
from tests.world.staff import client_for
from tests.world.web import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer_kind(monkeypatch):
    """A stand-in kind: one notice for every household whose id is in `households`."""
    households: list[int] = []
    kind = registry.ReminderKind(
        code="offer_expiring",
        label="A place offered to me expires soon",
        help_text="Before a place offered from the waiting list expires.",
        find=lambda now: [
            registry.Notice(
                household_id=pk,
                key="offer-1",
                write=lambda: ("A place offered to you expires tonight", "Accept it now."),
            )
            for pk in households
        ],
        order=40,
    )
    monkeypatch.setitem(registry._KINDS, kind.code, kind)
    return households


def test_a_registered_kind_is_sent_once_and_offered_on_the_page(offer_kind):
    world = build()
    offer_kind.append(world.household.pk)
    run()
    run()
    assert [m.subject for m in mail.outbox] == ["A place offered to you expires tonight"]
    assert "/mes-donnees/rappels/#reminder-offer_expiring" in mail.outbox[0].body
    page = text_of(client_for(world.user, "en").get("/mes-donnees/rappels/").content.decode())
    assert "A place offered to me expires soon" in page
    preferences.set_wanted(world.user.guardian, {"week_not_booked"})
    assert "offer_expiring" in preferences.turned_off(world.user.guardian)
