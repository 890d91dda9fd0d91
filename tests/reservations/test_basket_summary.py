"""The summary of a basket: the seed's totals."""

import datetime

import pytest

from portail.billing.quote import summarize
from portail.reservations.holds import drop_basket
from portail.reservations.models import Channel
from tests.factories import paid_booking
from tests.world.booking import submit
from tests.world.commune import build
from tests.world.days import FRIDAY, MONDAY, NOW, THURSDAY, TUESDAY

pytestmark = pytest.mark.django_db


def test_summary_of_the_seed_baskets():
    world = build(children=2)
    emy, lise = world.children
    reservations = submit(
        world,
        add=[(child, world.sessions[day]) for day in (MONDAY, TUESDAY) for child in (emy, lise)],
    )
    summary = summarize(reservations)
    assert summary.reservations_total_cents == 1480
    assert summary.cancellations_total_cents == 0
    assert summary.amount_due_cents == 1480
    assert (summary.credit_available_cents, summary.credit_applied_cents) == (0, 0)
    assert [(x.date, x.child.pk, x.quantity, x.total_cents) for x in summary.lines] == [
        (MONDAY, emy.pk, 1, 370),
        (MONDAY, lise.pk, 1, 370),
        (TUESDAY, emy.pk, 1, 370),
        (TUESDAY, lise.pk, 1, 370),
    ]
    assert summary.lines[0].activity == world.activity
    assert summary.lines[0].start == datetime.time(12, 0)

    drop_basket(world.household, actor=world.user, channel=Channel.WEB, now=NOW)
    paid_booking(emy, world.sessions[THURSDAY])
    paid_booking(emy, world.sessions[FRIDAY])
    cancellations = submit(
        world, cancel=[(emy, world.sessions[THURSDAY]), (emy, world.sessions[FRIDAY])]
    )
    summary = summarize(cancellations)
    assert summary.cancellations_total_cents == 740
    assert summary.reservations_total_cents == 0
    assert summary.amount_due_cents == 0
    assert [(x.kind, x.quantity, x.unit_price_cents, x.total_cents) for x in summary.lines] == [
        ("cancellation", -1, 370, -370)
    ] * 2
