"""The refusal codes submit_changes() raises (called as tests/world/booking.py's `submit`
does), and a snapshot of the rows it may change."""

import pytest

from portail.reservations.judging import ChangesRefused
from portail.reservations.models import Basket, BasketLine, Booking, HistoryEntry
from tests.world.booking import submit
from tests.world.days import NOW


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
