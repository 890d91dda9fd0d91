"""The typical week's service called as the tests' parent calls it (preview, apply), and
what the tests compare (skipped codes, a snapshot of the rows)."""

import datetime

from portail.reservations.models import Basket, BasketLine, Booking, HistoryEntry, TypicalWeek
from portail.reservations.typical_plan import RESERVE, Pattern
from portail.reservations.typical_week import apply_typical_week, preview_typical_week
from tests.world.days import CANTEEN_DAYS, YEAR_END, YEAR_NOW, YEAR_START


def preview(world, weekdays=CANTEEN_DAYS, start=YEAR_START, end=YEAR_END, **kwargs):
    kwargs.setdefault("mode", RESERVE)
    kwargs.setdefault("actor", world.user)
    kwargs.setdefault("now", YEAR_NOW)
    patterns = kwargs.pop("patterns", None) or [
        Pattern(c.pk, world.activity.pk, tuple(weekdays)) for c in world.children
    ]
    return preview_typical_week(world.household, patterns=patterns, start=start, end=end, **kwargs)


def apply(world, weekdays=CANTEEN_DAYS, start=YEAR_START, end=YEAR_END, **kwargs):
    kwargs.setdefault("mode", RESERVE)
    kwargs.setdefault("actor", world.user)
    kwargs.setdefault("now", YEAR_NOW)
    patterns = kwargs.pop("patterns", None) or [
        Pattern(c.pk, world.activity.pk, tuple(weekdays)) for c in world.children
    ]
    return apply_typical_week(world.household, patterns=patterns, start=start, end=end, **kwargs)


def skipped_codes(plan) -> dict[datetime.date, str]:
    return {s.date: s.code for s in plan.skipped}


def snapshot() -> tuple:
    return (
        list(Basket.objects.values_list("pk", "status").order_by("pk")),
        list(Booking.objects.values_list("pk", "status").order_by("pk")),
        list(BasketLine.objects.values_list("pk").order_by("pk")),
        HistoryEntry.objects.count(),
        TypicalWeek.objects.count(),
    )
