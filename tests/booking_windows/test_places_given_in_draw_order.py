"""The draw gives places in its order, as bookings held in each family's basket (a normal
hold, to pay), never more than the capacity; a full day goes on the
waiting list, in draw order."""

import pytest

from portail.activities.models import DrawEntry, DrawRequest
from portail.reservations.draws import run_draw
from portail.reservations.models import (
    Basket,
    BasketStatus,
    Booking,
    BookingStatus,
    Channel,
    HistoryEntry,
)
from portail.reservations.waiting import waiting_entries
from tests.world.days import MONDAY, TUESDAY
from tests.world.web import fr

from .town import AFTER_DRAW, DURING_DRAW, another_family, ask, build, window

pytestmark = pytest.mark.django_db


def test_the_first_ranks_get_the_places_and_nobody_more():
    world = build(capacity=2)
    w = window(world, draw_minutes=10)
    families = [world] + [another_family(world) for _ in range(4)]
    for fam in families:
        ask(fam, [MONDAY, TUESDAY], DURING_DRAW)
    assert run_draw(w.pk, now=AFTER_DRAW)
    ranked = [e.household_id for e in DrawEntry.objects.filter(window=w).order_by("rank")]
    for day in (MONDAY, TUESDAY):
        booked = Booking.objects.filter(session=world.sessions[day])
        assert booked.count() == 2
        assert {b.child.household_id for b in booked} == set(ranked[:2])
        assert {b.status for b in booked} == {BookingStatus.REQUESTED}
    for household_id in ranked[:2]:
        basket = Basket.objects.get(household_id=household_id, status=BasketStatus.OPEN)
        assert basket.expires_at > AFTER_DRAW
        assert basket.lines.count() == 2
    given = DrawRequest.objects.filter(outcome="given")
    assert {r.entry.household_id for r in given} == set(ranked[:2])
    # The full days go on the waiting list, in draw order.
    assert not DrawRequest.objects.filter(outcome="not_given").exists()
    for day in (MONDAY, TUESDAY):
        queue = waiting_entries(world.sessions[day].pk)
        assert [e.household_id for e in queue] == ranked[2:]
    third = DrawRequest.objects.get(entry__household_id=ranked[2], session__date=MONDAY)
    assert (third.outcome, third.reason) == (
        "waiting_list",
        fr("Rank %(rank)s on the waiting list.", rank=1),
    )
    assert HistoryEntry.objects.filter(channel=Channel.SYSTEM).count() == 4
