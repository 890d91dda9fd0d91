"""Priority households for the booking windows: the criteria staff tick per household
(docs/booking-windows.md). A household with at least one criterion books from a window's
priority opening and comes first in its draw."""

from collections.abc import Iterable

from django.db import transaction

from portail.accounts.models import User
from portail.activities.models import HouseholdPriority, PriorityCriterion
from portail.families.models import Household


def criteria_of(household: Household) -> list[HouseholdPriority]:
    return list(household.priorities.select_related("set_by").order_by("criterion"))


def set_priorities(household: Household, criteria: Iterable[str], *, actor: User) -> bool:
    """Make the household's criteria exactly `criteria`: new ones are written with who
    ticked them and when, unticked ones removed, kept ones left as they were. Returns
    whether anything changed. ValueError on an unknown criterion."""
    wanted = set(criteria)
    unknown = wanted - set(PriorityCriterion.values)
    if unknown:
        raise ValueError(f"unknown priority criteria: {sorted(unknown)}")
    with transaction.atomic():
        current = set(household.priorities.values_list("criterion", flat=True))
        removed = current - wanted
        if removed:
            household.priorities.filter(criterion__in=removed).delete()
        added = wanted - current
        HouseholdPriority.objects.bulk_create(
            HouseholdPriority(household=household, criterion=c, set_by=actor) for c in sorted(added)
        )
    return bool(removed or added)
