"""A newcomer never takes a place a waiting family is owed: while an offer is pending, or
while a freed place waits to be offered, a booking by anyone else is refused as full."""

import datetime

import pytest

from portail.reservations.basket import submit_changes
from portail.reservations.judging import Change, ChangesRefused
from portail.reservations.models import Channel
from portail.reservations.planning import week_planning
from portail.reservations.waiting_models import WaitingListEntry, WaitingStatus
from tests.waiting_list.lists import join, waiting_family
from tests.world.booking import submit
from tests.world.commune import build, family
from tests.world.days import MONDAY, NOW

pytestmark = pytest.mark.django_db


def _newcomer_refused(world, when):
    household, user, (child,) = family(world.activity, names=["Nouveau"])
    with pytest.raises(ChangesRefused) as refused:
        submit_changes(
            household,
            add=[Change(child.pk, world.sessions[MONDAY].pk)],
            cancel=[],
            actor=user,
            channel=Channel.WEB,
            now=when,
        )
    assert [r.code for r in refused.value.refusals] == ["full"]
    return household, child


def test_no_newcomer_while_an_offer_is_pending():
    world = build(capacity=1)
    submit(world, add=[(world.child, world.sessions[MONDAY])])
    fam = waiting_family(world)
    join(world, fam)
    submit(world, cancel=[(world.child, world.sessions[MONDAY])])  # freed: offered
    assert WaitingListEntry.objects.get().status == WaitingStatus.OFFERED
    _newcomer_refused(world, NOW)


def test_no_newcomer_while_a_freed_place_waits_to_be_offered():
    world = build(capacity=1)
    submit(world, add=[(world.child, world.sessions[MONDAY])])
    fam = waiting_family(world)
    join(world, fam)
    # The basket's hold ran out: the place is free, the command has not run yet.
    later = NOW + datetime.timedelta(hours=2)
    assert WaitingListEntry.objects.get().status == WaitingStatus.WAITING
    household, child = _newcomer_refused(world, later)
    cell = next(
        c
        for c in week_planning(household, MONDAY, now=later).cells
        if c.session_id == world.sessions[MONDAY].pk
    )
    assert (cell.state, cell.places_left) == ("full", 0)
