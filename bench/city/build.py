"""Writing the planned city to the database with bulk_create (it is a data generator).

Only the structure is written here: organisation, sites, activities, tariffs, sessions,
households, logins, children and enrolments. The year of bookings is in bookings.py.
"""

import datetime
import math
import random
from collections import Counter
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from bench.city.names import CENTRE_NAMES, SCHOOL_NAMES
from bench.city.plan import (
    CANTEEN,
    EVENING,
    LEISURE,
    MORNING,
    ActivityKey,
    HouseholdPlan,
    Scale,
)
from portail.accounts.models import User
from portail.activities.models import (
    Activity,
    DeadlineKind,
    Enrolment,
    LatePolicy,
    Session,
    Tariff,
    TariffBand,
)
from portail.core.models import Organisation, Site
from portail.families.models import Child, Guardian, Household, QuotientPeriod

BENCH_PASSWORD = "bench-city-password-2026"
BATCH = 5000

# (qf_min, qf_max, price, late price) in cents, per kind of activity.
BANDS: dict[str, list[tuple[int, int | None, int, int]]] = {
    "canteen": [
        (0, 599, 150, 225),
        (600, 999, 270, 405),
        (1000, 1499, 370, 555),
        (1500, None, 420, 630),
    ],
    "alae": [(0, 599, 60, 90), (600, 999, 90, 135), (1000, None, 130, 195)],
    "leisure": [(0, 599, 500, 750), (600, 999, 900, 1350), (1000, None, 1400, 2100)],
}


@dataclass
class Structure:
    organisation: Organisation
    activities: dict[ActivityKey, Activity]


@dataclass
class Families:
    """Database ids of what plan_city described, in plan order."""

    household_ids: list[int]
    child_ids: list[list[int]]  # per household, per child
    first_guardian: dict[int, tuple[int, str]]  # household id -> (user id, e-mail)


def _place_name(names: list[str], index: int, prefix: str) -> str:
    base = names[index % len(names)]
    suffix = f" {index // len(names) + 1}" if index >= len(names) else ""
    return f"{prefix}{base}{suffix}"


def build_structure(
    scale: Scale,
    households: list[HouseholdPlan],
    year_start: datetime.date,
    year_end: datetime.date,
) -> Structure:
    """Organisation, schools and centres, their activities (capacity from enrolments), tariffs."""
    org = Organisation.objects.create(
        name="Ville de Benchbourg",
        school_zone="C",
        payfip_numcli="123456",
        contact_email="service.enfance@bench.example.org",
    )
    schools = Site.objects.bulk_create(
        Site(organisation=org, name=_place_name(SCHOOL_NAMES, i, "École "))
        for i in range(scale.schools)
    )
    centres = Site.objects.bulk_create(
        Site(organisation=org, name=_place_name(CENTRE_NAMES, i, "")) for i in range(scale.centres)
    )
    enrolled = Counter(
        habit.activity for hh in households for child in hh.children for habit in child.habits
    )

    def capacity(key: ActivityKey) -> int:
        return max(10, math.ceil(enrolled[key] * 1.1) + 5)

    activities: dict[ActivityKey, Activity] = {}
    for i, school in enumerate(schools):
        short = school.name.removeprefix("École ")
        for kind, name, start, end in (
            (CANTEEN, f"Restauration Scolaire {short}", (11, 45), (13, 30)),
            (MORNING, f"ALAE matin {short}", (7, 30), (8, 50)),
            (EVENING, f"ALAE soir {short}", (16, 30), (18, 30)),
        ):
            key = ActivityKey(kind, i)
            activities[key] = Activity(
                site=school,
                name=name,
                kind=Activity.Kind.CANTEEN if kind == CANTEEN else Activity.Kind.ALAE,
                weekdays="0,1,3,4",
                start_time=datetime.time(*start),
                end_time=datetime.time(*end),
                default_capacity=capacity(key),
            )
    for i, centre in enumerate(centres):
        key = ActivityKey(LEISURE, i)
        activities[key] = Activity(
            site=centre,
            name="Accueil de loisirs du mercredi",
            kind=Activity.Kind.LEISURE,
            weekdays="2",
            start_time=datetime.time(8, 0),
            end_time=datetime.time(18, 0),
            default_capacity=capacity(key),
            # "Tuesday 23:59 for the next week", refused when late.
            booking_deadline_kind=DeadlineKind.WEEKDAY_BEFORE_WEEK,
            booking_deadline_value=1,
            booking_deadline_time=datetime.time(23, 59),
            late_policy=LatePolicy.REFUSE,
        )
    Activity.objects.bulk_create(activities.values())

    for kind, label in (
        ("canteen", "Restauration scolaire"),
        ("alae", "ALAE"),
        ("leisure", "Loisirs"),
    ):
        tariff = Tariff.objects.create(
            name=f"{label} {year_start.year}-{year_end.year}",
            valid_from=year_start,
            valid_to=year_end,
        )
        tariff.activities.set([a for a in activities.values() if a.kind == kind])
        TariffBand.objects.bulk_create(
            TariffBand(tariff=tariff, qf_min=lo, qf_max=hi, price_cents=p, late_price_cents=late)
            for lo, hi, p, late in BANDS[kind]
        )
    return Structure(org, activities)


def build_sessions(
    structure: Structure,
    year_start: datetime.date,
    year_end: datetime.date,
    today: datetime.date,
    rng: random.Random,
) -> None:
    """Every session of the school year (the product's own calendar), and one strike day."""
    from portail.activities.calendar import generate_sessions

    for activity in structure.activities.values():
        generate_sessions(activity, year_start, year_end)
    # A strike closed the canteens of a few schools on one past day: no bookings there.
    past = list(
        Session.objects.filter(activity__kind=Activity.Kind.CANTEEN, date__lt=today)
        .values_list("date", flat=True)
        .distinct()
    )
    if past:
        strike_day = rng.choice(sorted(past))
        canteens = [a for k, a in structure.activities.items() if k.kind == CANTEEN]
        closed = rng.sample(canteens, max(1, len(canteens) // 5))
        Session.objects.filter(activity__in=closed, date=strike_day).update(
            is_open=False, closed_reason="Grève du personnel de restauration"
        )


@transaction.atomic
def build_families(households: list[HouseholdPlan], year_start: datetime.date) -> Families:
    """Households, guardian logins (one shared password hash: cheap to generate) and children."""
    password_hash = make_password(BENCH_PASSWORD)
    household_rows = Household.objects.bulk_create(
        (
            Household(
                name=hh.name,
                address=f"{hh.index} rue de l'École",
                postal_code="11000",
                city="Benchbourg",
                email=hh.guardians[0][1],
            )
            for hh in households
        ),
        batch_size=BATCH,
    )
    # Each known QF: one period over the school year (bulk: the bench builds thousands).
    QuotientPeriod.objects.bulk_create(
        (
            QuotientPeriod(
                household=row,
                value=hh.quotient_familial,
                valid_from=year_start,
                valid_to=year_start.replace(year=year_start.year + 1) - datetime.timedelta(days=1),
                source="bench",
            )
            for hh, row in zip(households, household_rows, strict=True)
            if hh.quotient_familial is not None
        ),
        batch_size=BATCH,
    )
    users = User.objects.bulk_create(
        (
            User(
                email=email,
                first_name=first,
                last_name=hh.last_name,
                password=password_hash,
            )
            for hh in households
            for first, email in hh.guardians
        ),
        batch_size=BATCH,
    )
    user_iter = iter(users)
    guardians = Guardian.objects.bulk_create(
        (
            Guardian(user=next(user_iter), household=row)
            for hh, row in zip(households, household_rows, strict=True)
            for _ in hh.guardians
        ),
        batch_size=BATCH,
    )
    child_rows = Child.objects.bulk_create(
        (
            Child(
                household=row,
                first_name=child.first_name,
                last_name=hh.last_name,
                birth_date=child.birth_date,
            )
            for hh, row in zip(households, household_rows, strict=True)
            for child in hh.children
        ),
        batch_size=BATCH,
    )
    child_iter = iter(child_rows)
    child_ids = [[next(child_iter).pk for _ in hh.children] for hh in households]
    first_guardian: dict[int, tuple[int, str]] = {}
    for user, guardian in zip(users, guardians, strict=True):
        first_guardian.setdefault(guardian.household_id, (user.pk, user.email))
    return Families([row.pk for row in household_rows], child_ids, first_guardian)


@transaction.atomic
def build_enrolments(
    households: list[HouseholdPlan],
    families: Families,
    structure: Structure,
    year_start: datetime.date,
    year_end: datetime.date,
) -> None:
    """Each child enrolled for the whole school year in the activities of its habits."""
    Enrolment.objects.bulk_create(
        (
            Enrolment(
                child_id=child_id,
                activity_id=structure.activities[habit.activity].pk,
                valid_from=year_start,
                valid_to=year_end,
            )
            for hh, ids in zip(households, families.child_ids, strict=True)
            for child, child_id in zip(hh.children, ids, strict=True)
            for habit in child.habits
        ),
        batch_size=BATCH,
    )
