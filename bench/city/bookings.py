"""A school year of bookings so far, written directly (it is a data generator).

What a real year leaves behind, household by household and month by month:
- one basket per household and month, holding one PRE-RESERVATION line per day booked
  (the bookings are `reserved`), paid a few days before the month: the household's
  credit first, the rest by a PayFiP payment (basket `paid`; `validated` when the credit
  covered it all);
- a few days cancelled in time: a second basket for the month (`validated`) with the
  ANNULATION lines, those bookings `cancelled`, and their price credited to the
  household's ledger (avoirs), used by the next month's basket;
- the history of each day ("Ajout : RESERVATION" by the guardian, then
  "Suppression : RESERVATION" for cancellations);
- attendance marks (pointage) for the days already past, a few children absent.

None of this goes through submit_changes(): it would take hours for a city. The measured
scenarios then go through the real services and HTTP stack.
"""

import datetime
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from bench.city.build import Families, Structure
from bench.city.insert import insert_rows
from bench.city.plan import HouseholdPlan
from portail.activities.models import Session
from portail.activities.pricing import NoTariff, PriceBook
from portail.billing.models import PAYFIP_MIN_CENTS, CreditEntry, CreditKind, Payment, PaymentState
from portail.reservations.models import (
    ActorKind,
    Attendance,
    Basket,
    BasketLine,
    BasketStatus,
    Booking,
    BookingStatus,
    Channel,
    HistoryAction,
    HistoryDetail,
    HistoryEntry,
    LineKind,
)

HOUSEHOLDS_PER_BATCH = 400
BasketKey = tuple[int, int, int, str]  # household id, year, month, reservation|cancellation
Day = tuple[
    int, int, int, datetime.date, int, bool
]  # household, child, session, day, price, cancelled
KEEP_HABIT = 0.96  # a regular day is booked 96 % of the time
CANCELLED = 0.03  # share of booked days cancelled in time
ABSENT = 0.03  # share of past booked days where the child did not come


@dataclass
class BookingTotals:
    baskets: int = 0
    bookings: int = 0
    cancelled: int = 0
    lines: int = 0
    history: int = 0
    attendance: int = 0
    payments: int = 0
    credit_entries: int = 0
    by_status: dict[str, int] = field(default_factory=dict)


def booked_until(today: datetime.date) -> datetime.date:
    """Parents book ahead: days are booked up to the end of next week."""
    return today - datetime.timedelta(days=today.weekday()) + datetime.timedelta(days=13)


def _paris_time(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _open_sessions(
    activity_ids: list[int], start: datetime.date, end: datetime.date
) -> dict[int, list[tuple[datetime.date, int]]]:
    found: dict[int, list[tuple[datetime.date, int]]] = defaultdict(list)
    rows = (
        Session.objects.filter(activity_id__in=activity_ids, date__range=(start, end), is_open=True)
        .order_by("date")
        .values_list("activity_id", "date", "pk")
    )
    for activity_id, day, pk in rows:
        found[activity_id].append((day, pk))
    return found


def _skip_foreign_key_triggers() -> None:
    """On PostgreSQL, skip the foreign-key triggers for this transaction if allowed.

    They check each of millions of rows one by one and would double the generation time;
    the rows are consistent by construction (tests/bench checks it on a small city).
    Only a superuser may do this; others simply keep the checks."""
    if connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        pass


def build_bookings(
    households: list[HouseholdPlan],
    families: Families,
    structure: Structure,
    *,
    year_start: datetime.date,
    year_end: datetime.date,
    today: datetime.date,
    seed: int,
) -> BookingTotals:
    """Bookings from the first day of the school year up to `booked_until(today)`."""
    rng = random.Random(seed + 1)  # noqa: S311 - reproducible data
    totals = BookingTotals()
    until = min(booked_until(today), year_end)
    if until < year_start:
        return totals
    activity_ids = [a.pk for a in structure.activities.values()]
    sessions = _open_sessions(activity_ids, year_start, until)
    prices = PriceBook.load(activity_ids, year_start, year_end)
    basket_number = 0
    for first in range(0, len(households), HOUSEHOLDS_PER_BATCH):
        batch = range(first, min(first + HOUSEHOLDS_PER_BATCH, len(households)))
        with transaction.atomic():
            _skip_foreign_key_triggers()
            basket_number = _build_batch(
                [households[i] for i in batch],
                list(batch),
                families,
                structure,
                sessions,
                prices,
                today,
                rng,
                totals,
                basket_number,
            )
    totals.by_status = {
        BookingStatus.RESERVED.value: totals.bookings - totals.cancelled,
        BookingStatus.CANCELLED.value: totals.cancelled,
    }
    return totals


@dataclass
class Money:
    status: dict[BasketKey, str] = field(default_factory=dict)
    at: dict[BasketKey, datetime.datetime] = field(default_factory=dict)
    payments: list[tuple[BasketKey, dict]] = field(default_factory=list)
    # (basket, index in days of the cancelled booking or None, credit entry)
    credits: list[tuple[BasketKey, int | None, dict]] = field(default_factory=list)


def _money(
    ordered_keys: list[BasketKey],
    totals_by_key: Counter,
    cancelled_in: dict[BasketKey, list[int]],
    days: list[Day],
    families: Families,
) -> Money:
    """Each household's ledger, in time order: a month's reservations are paid a few days
    before the month, using the credit first (the rest on PayFiP, at least 1 EUR); days
    cancelled in time during the month credit their price back."""
    money = Money()
    household, balance, seq = None, 0, 0
    for key in ordered_keys:
        household_id, year, month, kind = key
        if household_id != household:
            household, balance, seq = household_id, 0, 0
        user_id, email = families.first_guardian[household_id]
        who = {"household_id": household_id, "actor_id": user_id, "actor_label": email}
        if kind == LineKind.RESERVATION:
            at = _paris_time(datetime.date(year, month, 1) - datetime.timedelta(days=5), 20)
            total = totals_by_key[key]
            applied = min(balance, total)
            if 0 < total - applied < PAYFIP_MIN_CENTS:
                applied = max(0, total - PAYFIP_MIN_CENTS)
            if applied:
                seq, balance = seq + 1, balance - applied
                money.credits.append(
                    (
                        key,
                        None,
                        {
                            **who,
                            "seq": seq,
                            "amount_cents": -applied,
                            "balance_after_cents": balance,
                            "kind": CreditKind.CHECKOUT,
                            "created_at": at,
                        },
                    )
                )
            due = total - applied
            money.status[key] = BasketStatus.PAID if due else BasketStatus.VALIDATED
            if due:
                money.payments.append(
                    (
                        key,
                        {
                            "household_id": household_id,
                            "attempt": 1,
                            "state": PaymentState.PAID,
                            "amount_cents": due,
                            "reservations_cents": total,
                            "cancellations_cents": 0,
                            "credit_applied_cents": applied,
                            "credit_hold_cents": 0,
                            "numcli": "123456",
                            "exer": at.year,
                            "mel": email,
                            "actor_id": user_id,
                            "channel": Channel.WEB,
                            "resultrans": "P",
                            "numauto": "BENCH1",
                            "paid_at": at,
                            "payer_mel": email,
                            "checked_at": at,
                            "settled_at": at,
                            "created_at": at,
                        },
                    )
                )
        else:
            money.status[key] = BasketStatus.VALIDATED
            for index in cancelled_in[key]:
                price, day = days[index][4], days[index][3]
                at = _paris_time(day - datetime.timedelta(days=4), 19)
                seq, balance = seq + 1, balance + price
                money.credits.append(
                    (
                        key,
                        index,
                        {
                            **who,
                            "seq": seq,
                            "amount_cents": price,
                            "balance_after_cents": balance,
                            "kind": CreditKind.CANCELLATION,
                            "created_at": at,
                        },
                    )
                )
        money.at[key] = at
    return money


def _build_batch(
    households: list[HouseholdPlan],
    indexes: list[int],
    families: Families,
    structure: Structure,
    sessions: dict[int, list[tuple[datetime.date, int]]],
    prices: PriceBook,
    today: datetime.date,
    rng: random.Random,
    totals: BookingTotals,
    basket_number: int,
) -> int:
    # 1. Decide every booked day, in memory: (household, child, session, day, price, cancelled).
    days: list[Day] = []
    for hh, index in zip(households, indexes, strict=True):
        household_id = families.household_ids[index]
        qf = hh.quotient_familial
        for child, child_id in zip(hh.children, families.child_ids[index], strict=True):
            for habit in child.habits:
                activity_id = structure.activities[habit.activity].pk
                for day, session_id in sessions.get(activity_id, ()):
                    chance = KEEP_HABIT if day.weekday() in habit.weekdays else habit.occasional
                    if rng.random() >= chance:
                        continue
                    try:
                        price = prices.price(activity_id, day, qf)
                    except NoTariff:
                        continue
                    cancelled = rng.random() < CANCELLED
                    days.append((household_id, child_id, session_id, day, price, cancelled))

    # 2. Baskets: one per household and month, plus one for the month's cancellations,
    # and the money: each month's basket paid on PayFiP, less the credit the household
    # had from the days it cancelled before.
    totals_by_key: Counter = Counter()
    cancelled_in: dict[BasketKey, list[int]] = defaultdict(list)
    for i, (household_id, _c, _s, day, price, cancelled) in enumerate(days):
        totals_by_key[(household_id, day.year, day.month, LineKind.RESERVATION)] += price
        if cancelled:
            cancelled_in[(household_id, day.year, day.month, LineKind.CANCELLATION)].append(i)
    ordered_keys = sorted(
        {*totals_by_key, *cancelled_in},
        key=lambda k: (k[0], k[1], k[2], k[3] != LineKind.RESERVATION),
    )
    money = _money(ordered_keys, totals_by_key, cancelled_in, days, families)
    baskets: list[dict] = []
    references: dict[BasketKey, str] = {}
    for key in ordered_keys:
        basket_number += 1
        references[key] = f"BENCH{basket_number:09d}"
        baskets.append(
            {
                "household_id": key[0],
                "reference": references[key],
                "status": money.status[key],
                "submitted_at": money.at[key],
            }
        )
    basket_ids = dict(zip(ordered_keys, insert_rows(Basket, baskets), strict=True))
    totals.baskets += len(baskets)

    # 3. Bookings, their basket lines, history and attendance.
    booking_ids = insert_rows(
        Booking,
        [
            {
                "child_id": child_id,
                "session_id": session_id,
                "status": BookingStatus.CANCELLED if cancelled else BookingStatus.RESERVED,
                "price_cents": price,
                "late": False,
                "basket_id": basket_ids[(household_id, day.year, day.month, LineKind.RESERVATION)],
            }
            for household_id, child_id, session_id, day, price, cancelled in days
        ],
    )
    lines: list[dict] = []
    history: list[dict] = []
    attendance: list[dict] = []
    for booking_id, (household_id, child_id, session_id, day, price, cancelled) in zip(
        booking_ids, days, strict=True
    ):
        user_id, email = families.first_guardian[household_id]
        booked_at = _paris_time(day.replace(day=1) - datetime.timedelta(days=5), 20)
        lines.append(
            {
                "basket_id": basket_ids[(household_id, day.year, day.month, LineKind.RESERVATION)],
                "kind": LineKind.RESERVATION,
                "child_id": child_id,
                "session_id": session_id,
                "booking_id": booking_id,
                "quantity": 1,
                "unit_price_cents": price,
                "late": False,
            }
        )
        history.append(
            {
                "child_id": child_id,
                "session_id": session_id,
                "action": HistoryAction.ADD_RESERVATION,
                "actor_id": user_id,
                "actor_kind": ActorKind.GUARDIAN,
                "actor_label": email,
                "channel": Channel.WEB,
                "price_cents": price,
                "detail": HistoryDetail.REQUESTED,
                "created_at": booked_at,
            }
        )
        if cancelled:
            lines.append(
                {
                    "basket_id": basket_ids[
                        (household_id, day.year, day.month, LineKind.CANCELLATION)
                    ],
                    "kind": LineKind.CANCELLATION,
                    "child_id": child_id,
                    "session_id": session_id,
                    "booking_id": booking_id,
                    "quantity": -1,
                    "unit_price_cents": price,
                    "late": False,
                }
            )
            history.append(
                {
                    "child_id": child_id,
                    "session_id": session_id,
                    "action": HistoryAction.REMOVE_RESERVATION,
                    "actor_id": user_id,
                    "actor_kind": ActorKind.GUARDIAN,
                    "actor_label": email,
                    "channel": Channel.WEB,
                    "price_cents": price,
                    "detail": HistoryDetail.CANCELLATION_REQUESTED,
                    "created_at": _paris_time(day - datetime.timedelta(days=4), 19),
                }
            )
            totals.cancelled += 1
        elif day < today:
            attendance.append(
                {
                    "child_id": child_id,
                    "session_id": session_id,
                    "present": rng.random() >= ABSENT,
                    "recorded_by_id": None,
                }
            )
    insert_rows(BasketLine, lines)
    insert_rows(HistoryEntry, history)
    insert_rows(Attendance, attendance)
    payments = [
        {
            **payment,
            "basket_id": basket_ids[key],
            "refdet": f"{references[key]}P1",
            "idop": f"BENCHOP{references[key]}",
        }
        for key, payment in money.payments
    ]
    insert_rows(Payment, payments)
    credits = [
        {
            **entry,
            "basket_id": basket_ids[key],
            "booking_id": booking_ids[index] if index is not None else None,
        }
        for key, index, entry in money.credits
    ]
    insert_rows(CreditEntry, credits)
    totals.payments += len(payments)
    totals.credit_entries += len(credits)
    totals.bookings += len(booking_ids)
    totals.lines += len(lines)
    totals.history += len(history)
    totals.attendance += len(attendance)
    return basket_number
