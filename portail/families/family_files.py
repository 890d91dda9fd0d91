"""The yearly family file ("dossier unique d'inscription"), as accepted by the service.

procedures records it when staff accept a family file request; a later gate on bookings
of a new school year reads family_file_accepted() (reservations may read families, never
procedures). A school year is named by the year it starts in (2026 for 2026-2027).
"""

import datetime
from collections.abc import Iterable

from portail.families.models import FamilyFile, Household


def record_family_file(
    household: Household,
    school_year_start: int,
    data: dict,
    *,
    accepted_at: datetime.datetime,
    request_number: int | None = None,
) -> FamilyFile:
    """Keep the accepted file for that school year (the latest accepted one wins)."""
    family_file, _created = FamilyFile.objects.update_or_create(
        household=household,
        school_year_start=school_year_start,
        defaults={"accepted_at": accepted_at, "data": data, "request_number": request_number},
    )
    return family_file


def family_file_accepted(household: Household | int, school_year_start: int) -> bool:
    household_id = household if isinstance(household, int) else household.pk
    return FamilyFile.objects.filter(
        household_id=household_id, school_year_start=school_year_start
    ).exists()


def family_file_years(household: Household | int, years: Iterable[int]) -> frozenset[int]:
    """Which of these school years the household has an accepted family file for (one
    query; none when no year is asked)."""
    years = sorted(set(years))
    if not years:
        return frozenset()
    household_id = household if isinstance(household, int) else household.pk
    return frozenset(
        FamilyFile.objects.filter(household_id=household_id, school_year_start__in=years)
        .order_by()
        .values_list("school_year_start", flat=True)
    )
