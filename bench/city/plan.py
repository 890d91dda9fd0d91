"""The shape of the generated city, decided in memory before anything is written.

Deterministic for a given seed: the same scale and seed give the same households,
children, enrolments and booking habits, so two runs measure the same data.
"""

import datetime
import random
from dataclasses import dataclass, field

from bench.city.names import ADULT_FIRST_NAMES, FIRST_NAMES, LAST_NAMES

FULL_CITY_CHILDREN = 10_000
FULL_CITY_SCHOOLS = 20
FULL_CITY_CENTRES = 3

# Children per household: 1.82 on average, so 10,000 children live in about 5,500 homes.
CHILDREN_PER_HOUSEHOLD = ((1, 0.40), (2, 0.42), (3, 0.14), (4, 0.04))

# Activity kinds of the plan (keys of ActivityKey.kind).
CANTEEN = "canteen"
MORNING = "alae_morning"
EVENING = "alae_evening"
LEISURE = "leisure"

SCHOOL_DAYS = (0, 1, 3, 4)  # Monday, Tuesday, Thursday, Friday
WEDNESDAY = (2,)


@dataclass(frozen=True)
class Scale:
    children: int
    schools: int
    centres: int

    @classmethod
    def of(cls, factor: float) -> "Scale":
        """`factor` 1.0 is the full city; 0.05 a village of 500 children and one school."""
        if factor <= 0:
            raise ValueError("scale must be positive")
        return cls(
            children=max(10, round(FULL_CITY_CHILDREN * factor)),
            schools=max(1, round(FULL_CITY_SCHOOLS * factor)),
            centres=max(1, round(FULL_CITY_CENTRES * factor)),
        )


@dataclass(frozen=True)
class ActivityKey:
    """Which activity: the kind and the index of its school (or leisure centre)."""

    kind: str
    place: int


@dataclass(frozen=True)
class Habit:
    """How a child uses one activity: regular weekdays, plus occasional other days."""

    activity: ActivityKey
    weekdays: tuple[int, ...]
    occasional: float


@dataclass
class ChildPlan:
    first_name: str
    birth_date: datetime.date
    habits: list[Habit] = field(default_factory=list)


@dataclass
class HouseholdPlan:
    index: int
    last_name: str
    school: int
    quotient_familial: int | None
    guardians: list[tuple[str, str]]  # (first name, e-mail)
    children: list[ChildPlan]

    @property
    def name(self) -> str:
        return f"{self.last_name} {self.index}"


def guardian_email(household_index: int, rank: int) -> str:
    return f"parent{household_index}-{rank}@bench.example.org"


def _children_count(rng: random.Random) -> int:
    roll = rng.random()
    for count, share in CHILDREN_PER_HOUSEHOLD:
        if roll < share:
            return count
        roll -= share
    return CHILDREN_PER_HOUSEHOLD[-1][0]


def _school_habit(rng: random.Random, key: ActivityKey, usual: float) -> Habit | None:
    """Regular days on school days; a few children only come now and then."""
    roll = rng.random()
    if roll < usual * 0.75:
        return Habit(key, SCHOOL_DAYS, 0.0)
    if roll < usual * 0.88:
        return Habit(key, tuple(sorted(rng.sample(SCHOOL_DAYS, 3))), 0.05)
    if roll < usual:
        return Habit(key, tuple(sorted(rng.sample(SCHOOL_DAYS, 2))), 0.1)
    return None


def _child_plan(
    rng: random.Random, school: int, centres: int, year_start: datetime.date
) -> ChildPlan:
    age_days = rng.randint(3 * 365, 11 * 365)
    child = ChildPlan(
        first_name=rng.choice(FIRST_NAMES),
        birth_date=year_start - datetime.timedelta(days=age_days),
    )
    # Share of children enrolled in each activity, and their habits.
    for kind, share in ((CANTEEN, 0.92), (MORNING, 0.40), (EVENING, 0.50)):
        habit = _school_habit(rng, ActivityKey(kind, school), share)
        if habit:
            child.habits.append(habit)
    if rng.random() < 0.20:
        centre = ActivityKey(LEISURE, school % centres)
        child.habits.append(Habit(centre, WEDNESDAY if rng.random() < 0.6 else (), 0.3))
    return child


def plan_city(scale: Scale, seed: int, year_start: datetime.date) -> list[HouseholdPlan]:
    """Households with their guardians, children and habits, about `scale.children` kids."""
    rng = random.Random(seed)  # noqa: S311 - reproducible data, not secrets
    households: list[HouseholdPlan] = []
    children = 0
    while children < scale.children:
        index = len(households) + 1
        last_name = rng.choice(LAST_NAMES)
        school = rng.randrange(scale.schools)
        count = min(_children_count(rng), scale.children - children)
        guardians = [(rng.choice(ADULT_FIRST_NAMES), guardian_email(index, 1))]
        if rng.random() < 0.7:
            guardians.append((rng.choice(ADULT_FIRST_NAMES), guardian_email(index, 2)))
        qf = None if rng.random() < 0.1 else rng.randint(250, 2600)
        households.append(
            HouseholdPlan(
                index=index,
                last_name=last_name,
                school=school,
                quotient_familial=qf,
                guardians=guardians,
                children=[
                    _child_plan(rng, school, scale.centres, year_start) for _ in range(count)
                ],
            )
        )
        children += count
    return households
