"""One refusal rejects the whole submission, with one refusal per block and a message
naming it; nothing changes."""

import pytest
from django.utils import translation

from portail.activities.models import LatePolicy
from portail.reservations.judging import ChangesRefused
from tests.clock import paris
from tests.world.booking import submit
from tests.world.commune import build
from tests.world.days import FRIDAY, MONDAY, THURSDAY

from .calls import refusals, snapshot

pytestmark = pytest.mark.django_db


def test_whole_submission_rejected_with_one_refusal_per_block_and_nothing_changed():
    world = build(children=2, capacity=1, late_policy=LatePolicy.REFUSE)
    emy, lise = world.children
    submit(world, add=[(emy, world.sessions[FRIDAY])], now=paris(2026, 12, 3, 9, 50))
    before = snapshot()
    found = refusals(
        world,
        add=[
            (emy, world.sessions[THURSDAY]),  # fine
            (lise, world.sessions[FRIDAY]),  # full (Emy holds the only place)
            (emy, world.sessions[MONDAY]),  # deadline passed
        ],
        cancel=[(emy, world.sessions[FRIDAY])],  # fine: withdraws the request
        now=paris(2026, 12, 3, 10, 0),
    )
    # The withdrawal of Emy's Friday frees the place that Lise then takes: only Monday fails.
    assert found == [(emy.pk, world.sessions[MONDAY].pk, "deadline_passed")]
    assert snapshot() == before
    found = refusals(
        world,
        add=[(emy, world.sessions[THURSDAY]), (lise, world.sessions[FRIDAY])],
        cancel=[(lise, world.sessions[MONDAY])],
        now=paris(2026, 12, 3, 10, 0),
    )
    assert found == [
        (lise.pk, world.sessions[MONDAY].pk, "not_reserved"),
        (lise.pk, world.sessions[FRIDAY].pk, "full"),
    ]
    assert snapshot() == before


def test_refusal_messages_name_the_block_and_the_reason():
    world = build(capacity=0)
    with translation.override("en"), pytest.raises(ChangesRefused) as info:
        submit(world, add=[(world.child, world.sessions[MONDAY])])
    message = info.value.refusals[0].message
    assert world.child.first_name in message
    assert world.activity.name in message
    assert "No place left." in message
