"""A city that requires the family file from the 2027-2028 school year, its canteen open
on days of both school years, and a family of two enrolled in it (services are given
`now`; the pages and the API run at the suite's clock, Tuesday 3 November 2026, on time
for every day here).

School years are named by the year they start in, 1 September to 31 August
(reservations.rules.school_year_of): June and July 2027 are 2026-2027, September 2027 is
2027-2028, September 2028 is 2028-2029."""

import datetime

from portail.core.models import Organisation
from portail.families.family_files import record_family_file
from portail.reservations.judging import Change
from tests import factories
from tests.clock import paris
from tests.world.commune import World, canteen, family

D = datetime.date

REQUIRED_FROM = 2027
# 2026-2027: before the gate.
JUNE = D(2027, 6, 14)  # Monday
JULY = D(2027, 7, 12)  # Monday, in the summer holidays: still 2026-2027
# 2027-2028: the first gated school year.
SEPTEMBER = D(2027, 9, 6)  # Monday
SEPTEMBER_TUESDAY = D(2027, 9, 7)
NEW_YEAR_MONDAY = SEPTEMBER
# 2028-2029: gated too, with its own file.
NEXT_SEPTEMBER = D(2028, 9, 4)  # Monday
DAYS = [JUNE, JULY, SEPTEMBER, SEPTEMBER_TUESDAY, NEXT_SEPTEMBER]
NOW = paris(2026, 12, 1, 9, 0)

FAMILY_FILE_REASON = (
    "Your family file for the %(school_year)s school year must be accepted first: send "
    "the “Family file update” procedure."
)
NOTICE = (
    "Bookings for the %(start)s-%(end)s school year open once your family file for that "
    "year is accepted."
)
LINK = "Start the “Family file update” procedure"


def require_family_file(required_from: int | None = REQUIRED_FROM) -> Organisation:
    """The city's setting, as staff set it in the admin."""
    org = Organisation.current() or factories.organisation()
    org.family_file_required_from = required_from
    org.full_clean()
    org.save()
    return org


def gated_city(required_from: int | None = REQUIRED_FROM) -> World:
    """The city (its setting `required_from`), its canteen on DAYS and the family Emy and
    Lise enrolled in it; `monday` is the first week of 2027-2028 (for the pages)."""
    require_family_file(required_from)
    activity, sessions = canteen(DAYS, name="Restauration Scolaire Malves")
    household, user, kids = family(activity, names=["Emy", "Lise"])
    return World(activity, household, user, kids, sessions, monday=NEW_YEAR_MONDAY)


def file_accepted(world: World, year: int = REQUIRED_FROM) -> None:
    """The family file of `year` accepted (as procedures' effects record it)."""
    record_family_file(world.household, year, {"school_year": year}, accepted_at=NOW)


def changes(world: World, *days: datetime.date) -> list[Change]:
    """Emy on each of `days`."""
    return [Change(world.emy.pk, world.sessions[day].pk) for day in days]
