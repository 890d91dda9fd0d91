"""submit_changes() as the tests' parent calls it, the refusal codes it raises, and a
snapshot of the rows it may change."""

import pytest

from portail.reservations.basket import submit_changes
from portail.reservations.judging import Change, ChangesRefused
from portail.reservations.models import Basket, BasketLine, Booking, Channel, HistoryEntry

from .world import NOW


def submit(world, add=(), cancel=(), now=NOW, **kwargs):
    kwargs.setdefault("actor", world.user)
    kwargs.setdefault("channel", Channel.WEB)
    return submit_changes(
        world.household,
        add=[Change(c.pk, s.pk) for c, s in add],
        cancel=[Change(c.pk, s.pk) for c, s in cancel],
        now=now,
        **kwargs,
    )


def refusals(world, add=(), cancel=(), now=NOW, **kwargs) -> list[tuple[int, int, str]]:
    with pytest.raises(ChangesRefused) as info:
        submit(world, add, cancel, now, **kwargs)
    return [(r.child_id, r.session_id, r.code) for r in info.value.refusals]


def snapshot() -> tuple:
    return (
        list(Basket.objects.values_list("pk", "status", "expires_at").order_by("pk")),
        list(Booking.objects.values_list("pk", "status").order_by("pk")),
        list(BasketLine.objects.values_list("pk", "kind").order_by("pk")),
        HistoryEntry.objects.count(),
    )
