"""Who may act: a guardian only for its own household; only staff bypass deadlines."""

import pytest
from django.core.exceptions import PermissionDenied

from portail.families.guardians import guardian_of
from portail.reservations.holds import drop_basket
from portail.reservations.models import Booking, Channel
from tests.world.booking import submit
from tests.world.commune import build, family
from tests.world.days import MONDAY

pytestmark = pytest.mark.django_db


def test_a_guardian_acts_only_for_their_own_household():
    world = build()
    _, stranger_user, _ = family(world.activity)
    with pytest.raises(PermissionDenied):
        submit(world, add=[(world.child, world.sessions[MONDAY])], actor=stranger_user)
    with pytest.raises(PermissionDenied):
        drop_basket(world.household, actor=stranger_user, channel=Channel.WEB)
    assert not Booking.objects.exists()


def test_a_guardian_found_once_still_acts_only_for_their_own_household(
    django_assert_num_queries,
):
    """The guardian row remembered on the user (families.guardians) decides as the
    database would, without asking it again."""
    world = build()
    _, stranger_user, _ = family(world.activity)
    assert guardian_of(stranger_user).household_id != world.household.pk
    with django_assert_num_queries(0), pytest.raises(PermissionDenied):
        drop_basket(world.household, actor=stranger_user, channel=Channel.WEB)
    assert guardian_of(world.user).household_id == world.household.pk
    submit(world, add=[(world.child, world.sessions[MONDAY])], actor=world.user)
    assert Booking.objects.filter(child=world.child).count() == 1


def test_only_staff_may_bypass_deadlines():
    world = build()
    with pytest.raises(PermissionDenied):
        submit(world, add=[(world.child, world.sessions[MONDAY])], bypass_deadlines=True)
