"""The staff's waiting list of a session: ranks, families, statuses; an entry moved with
a reason (kept in the list's history and the journal); "Book for this family" offers the
free place to that family at once."""

import datetime

import pytest

from portail.backoffice.models import StaffAction
from portail.reservations import waiting
from portail.reservations.waiting_models import WaitingEvent, WaitingListEntry, WaitingStatus
from tests.waiting_list.lists import join, waiting_family
from tests.world.booking import submit
from tests.world.commune import build
from tests.world.days import MONDAY, NOW
from tests.world.staff import client_for, gestionnaire

pytestmark = pytest.mark.django_db


def _page(world):
    return f"/gestion/seances/{world.sessions[MONDAY].pk}/liste-attente/"


def _world():
    """Monday's one place held by a request whose basket lapses at NOW + 30 minutes; three
    families waiting."""
    world = build(capacity=1)
    submit(world, add=[(world.child, world.sessions[MONDAY])])
    families = [waiting_family(world, name) for name in ("Alice", "Basile", "Chloé")]
    entries = [join(world, fam) for fam in families]
    return world, entries


def test_the_list_shows_ranks_and_a_move_needs_a_reason(time_machine):
    time_machine.move_to(NOW)
    world, (a, b, c) = _world()
    staff = client_for(gestionnaire(), language="en")
    page = staff.get(_page(world))
    assert page.status_code == 200
    text = page.content.decode()
    assert text.index("Alice") < text.index("Basile") < text.index("Chloé")

    refused = staff.post(_page(world), {"entry": c.pk, "action": "move", "rank": "1"})
    assert refused.status_code == 400
    assert waiting.rank_of(WaitingListEntry.objects.get(pk=c.pk)) == 3

    moved = staff.post(
        _page(world), {"entry": c.pk, "action": "move", "rank": "1", "reason": "Priorité PAI"}
    )
    assert moved.status_code == 302
    ranks = [waiting.rank_of(WaitingListEntry.objects.get(pk=e.pk)) for e in (a, b, c)]
    assert ranks == [2, 3, 1]
    event = WaitingEvent.objects.get(kind="moved")
    assert (event.reason, event.from_rank, event.to_rank) == ("Priorité PAI", 3, 1)
    assert StaffAction.objects.filter(reason="Priorité PAI").exists()
    assert "Priorité PAI" in staff.get(_page(world)).content.decode()


def test_book_for_this_family_offers_it_the_free_place(time_machine):
    time_machine.move_to(NOW)
    world, (a, b, _c) = _world()
    staff = client_for(gestionnaire(), language="en")
    full = staff.post(_page(world), {"entry": b.pk, "action": "offer", "reason": "Urgence"})
    assert full.status_code == 400  # the place is still held
    # The request's basket lapsed: the place is free, the command has not run yet.
    time_machine.move_to(NOW + datetime.timedelta(hours=1))
    offered = staff.post(_page(world), {"entry": b.pk, "action": "offer", "reason": "Urgence"})
    assert offered.status_code == 302
    assert WaitingListEntry.objects.get(pk=b.pk).status == WaitingStatus.OFFERED
    assert WaitingListEntry.objects.get(pk=a.pk).status == WaitingStatus.WAITING
