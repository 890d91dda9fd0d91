"""Two places freed at once go to the first two families waiting, one each."""

import pytest

from portail.backoffice.sessions import change_capacity
from portail.reservations import waiting
from portail.reservations.models import Booking, BookingStatus
from portail.reservations.occupancy import taken_places
from portail.reservations.waiting_models import WaitingListEntry, WaitingStatus
from tests.waiting_list.lists import full_monday, join, waiting_family
from tests.world.days import MONDAY, NOW
from tests.world.staff import gestionnaire

pytestmark = pytest.mark.django_db


def test_two_places_go_to_the_first_two_families():
    world = full_monday()
    families = [waiting_family(world, f"F{n}") for n in range(3)]
    entries = [join(world, fam) for fam in families]
    monday = world.sessions[MONDAY]
    change_capacity(monday, 3, actor=gestionnaire(), now=NOW)
    statuses = [WaitingListEntry.objects.get(pk=e.pk).status for e in entries]
    assert statuses == [WaitingStatus.OFFERED, WaitingStatus.OFFERED, WaitingStatus.WAITING]
    offered = Booking.objects.filter(session=monday, status=BookingStatus.REQUESTED)
    assert sorted(b.child_id for b in offered) == sorted(f[2].pk for f in families[:2])
    assert taken_places([monday.pk], now=NOW) == {monday.pk: 3}
    assert waiting.rank_of(WaitingListEntry.objects.get(pk=entries[2].pk)) == 1
