"""The typical week goes through the same judgement: the days of a gated school year are
skipped with the code family_file_required (and its reason), the others are booked; the
family file of that year opens them."""

import pytest

from portail.reservations.rules import FAMILY_FILE_REQUIRED
from portail.reservations.typical_plan import RESERVE, NothingToDo, Pattern
from portail.reservations.typical_week import apply_typical_week, preview_typical_week

from .city import (
    FAMILY_FILE_REASON,
    JULY,
    JUNE,
    NOW,
    SEPTEMBER,
    SEPTEMBER_TUESDAY,
    file_accepted,
    gated_city,
)

pytestmark = pytest.mark.django_db


def period(world, start=JUNE, end=SEPTEMBER_TUESDAY):
    return {
        "patterns": [Pattern(world.emy.pk, world.activity.pk, (0, 1))],
        "start": start,
        "end": end,
        "mode": RESERVE,
        "actor": world.user,
        "now": NOW,
    }


def test_the_preview_skips_the_gated_year_with_its_reason():
    world = gated_city()
    plan = preview_typical_week(world.household, **period(world))
    assert [d.date for d in plan.days] == [JUNE, JULY]
    gated = [s for s in plan.skipped if s.code == FAMILY_FILE_REQUIRED]
    assert [s.date for s in gated] == [SEPTEMBER, SEPTEMBER_TUESDAY]
    assert {s.reason for s in gated} == {FAMILY_FILE_REASON % {"school_year": "2027-2028"}}


def test_applying_books_the_open_year_and_skips_the_gated_one():
    world = gated_city()
    basket, plan = apply_typical_week(world.household, **period(world))
    assert sorted(basket.lines.values_list("session__date", flat=True)) == [JUNE, JULY]
    assert [s.date for s in plan.skipped if s.code == FAMILY_FILE_REQUIRED] == [
        SEPTEMBER,
        SEPTEMBER_TUESDAY,
    ]


def test_only_gated_days_change_nothing_until_the_file_is_accepted():
    world = gated_city()
    with pytest.raises(NothingToDo) as info:
        apply_typical_week(world.household, **period(world, start=SEPTEMBER))
    assert {s.code for s in info.value.plan.skipped} == {FAMILY_FILE_REQUIRED}
    file_accepted(world, 2027)
    basket, plan = apply_typical_week(world.household, **period(world, start=SEPTEMBER))
    assert [d.date for d in plan.days] == [SEPTEMBER, SEPTEMBER_TUESDAY]
    assert basket.lines.count() == 2
