"""The bench's generator, on a tiny city: the data it writes is consistent.

No timing here: figures come from `python -m bench`, never from the test suite.
"""

import datetime
from collections import Counter

import pytest
from django.db.models import Count

from bench.city import BENCH_PASSWORD, generate_city, row_counts
from bench.city.plan import Scale
from portail.accounts.models import User
from portail.activities.calendar import closed_days
from portail.activities.models import Activity, Enrolment, Session
from portail.activities.pricing import PriceBook
from portail.billing.credits import balance_cents
from portail.billing.models import CreditEntry, CreditKind, Payment, PaymentState
from portail.families.models import Child, Household
from portail.reservations.models import (
    Attendance,
    Basket,
    BasketLine,
    BasketStatus,
    Booking,
    BookingStatus,
    HistoryAction,
    HistoryEntry,
    LineKind,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 26)  # a Thursday, twelve weeks into the 2026-2027 year
SCALE = 0.004  # 40 children, one school, one leisure centre


@pytest.fixture
def city():
    return generate_city(SCALE, seed=7, today=TODAY)


def test_city_has_the_planned_size_and_every_household_can_sign_in(city):
    assert Child.objects.count() == Scale.of(SCALE).children == 40
    households = Household.objects.annotate(
        n_children=Count("children", distinct=True), n_guardians=Count("guardians", distinct=True)
    )
    assert all(h.n_children >= 1 and h.n_guardians >= 1 for h in households)
    user = User.objects.filter(guardian__isnull=False).first()
    assert user.check_password(BENCH_PASSWORD)
    # One school (canteen, ALAE morning, ALAE evening) and one leisure centre.
    assert sorted(Activity.objects.values_list("kind", flat=True)) == [
        "alae",
        "alae",
        "canteen",
        "leisure",
    ]


def test_sessions_follow_the_calendar_of_the_school_year(city):
    assert (city.year_start, city.year_end) == (
        datetime.date(2026, 9, 1),
        datetime.date(2027, 7, 2),
    )
    closed = closed_days("C", city.year_start, city.year_end)
    for activity in Activity.objects.all():
        days = list(activity.sessions.values_list("date", flat=True))
        assert days, activity
        assert all(d.weekday() in activity.weekday_list for d in days)
        assert not [d for d in days if d in closed]
        assert min(days) >= city.year_start and max(days) <= city.year_end


def test_bookings_are_for_enrolled_children_on_open_days_at_the_tariff_price(city):
    bookings = list(
        Booking.objects.select_related("session__activity", "child__household").order_by("pk")
    )
    assert len(bookings) == city.bookings.bookings > 0
    prices = PriceBook.load(
        Activity.objects.values_list("pk", flat=True), city.year_start, city.year_end
    )
    enrolled = {(e.child_id, e.activity_id): e for e in Enrolment.objects.all()}
    for b in bookings:
        enrolment = enrolled[(b.child_id, b.session.activity_id)]
        assert enrolment.covers(b.session.date)
        assert b.session.is_open
        assert city.year_start <= b.session.date <= city.booked_until
        assert b.status in (BookingStatus.RESERVED, BookingStatus.CANCELLED)
        day = b.session.date
        assert b.price_cents == prices.price(
            b.session.activity_id, day, b.child.household.qf_on(day)
        )
    # Never more children than places, and some days were cancelled in time.
    reserved = Counter(b.session_id for b in bookings if b.status == BookingStatus.RESERVED)
    capacity = dict(Session.objects.values_list("pk", "capacity"))
    assert all(n <= capacity[s] for s, n in reserved.items())
    assert city.bookings.cancelled == sum(b.status == BookingStatus.CANCELLED for b in bookings)


def test_every_booking_has_its_basket_lines_history_and_attendance(city):
    bookings = {b.pk: b for b in Booking.objects.select_related("basket", "child")}
    lines = list(BasketLine.objects.select_related("basket"))
    by_booking: dict[int, list[BasketLine]] = {}
    for line in lines:
        by_booking.setdefault(line.booking_id, []).append(line)
        assert line.basket.status in (BasketStatus.PAID, BasketStatus.VALIDATED)
        assert line.basket.household_id == bookings[line.booking_id].child.household_id
        assert (line.child_id, line.session_id) == (
            bookings[line.booking_id].child_id,
            bookings[line.booking_id].session_id,
        )
    for pk, booking in bookings.items():
        kinds = sorted(line.kind for line in by_booking[pk])
        if booking.status == BookingStatus.CANCELLED:
            assert kinds == [LineKind.CANCELLATION, LineKind.RESERVATION]
        else:
            assert kinds == [LineKind.RESERVATION]
            assert booking.basket_id == by_booking[pk][0].basket_id

    history = Counter(HistoryEntry.objects.values_list("action", flat=True))
    assert history[HistoryAction.ADD_RESERVATION] == len(bookings)
    assert history[HistoryAction.REMOVE_RESERVATION] == city.bookings.cancelled
    assert all(
        h.actor_label == h.actor.email for h in HistoryEntry.objects.select_related("actor")[:50]
    )

    marked = set(Attendance.objects.values_list("child_id", "session_id"))
    expected = {
        (b.child_id, b.session_id)
        for b in Booking.objects.filter(status=BookingStatus.RESERVED, session__date__lt=TODAY)
    }
    assert marked == expected


def test_baskets_were_paid_with_credit_first_then_payfip_and_cancellations_credited(city):
    lines = BasketLine.objects.all()
    reserved_total = Counter()
    for line in lines.filter(kind=LineKind.RESERVATION):
        reserved_total[line.basket_id] += line.unit_price_cents
    payments = {p.basket_id: p for p in Payment.objects.all()}
    checkouts = {
        e.basket_id: -e.amount_cents for e in CreditEntry.objects.filter(kind=CreditKind.CHECKOUT)
    }
    assert payments and checkouts  # some months were partly paid by credit
    for basket in Basket.objects.filter(pk__in=reserved_total):
        paid = payments[basket.pk].amount_cents if basket.pk in payments else 0
        assert paid + checkouts.get(basket.pk, 0) == reserved_total[basket.pk]
        if basket.status == BasketStatus.PAID:
            payment = payments[basket.pk]
            assert payment.state == PaymentState.PAID and payment.amount_cents >= 100
            assert payment.refdet == f"{basket.reference}P1"
        else:
            assert basket.status == BasketStatus.VALIDATED and basket.pk not in payments

    # One credit per day cancelled in time, at the price paid; every ledger adds up.
    credits = CreditEntry.objects.filter(kind=CreditKind.CANCELLATION).select_related("booking")
    assert credits.count() == city.bookings.cancelled
    assert all(c.amount_cents == c.booking.price_cents for c in credits)
    for household in Household.objects.all():
        ledger = list(CreditEntry.objects.filter(household=household).order_by("seq"))
        running = 0
        for seq, entry in enumerate(ledger, start=1):
            running += entry.amount_cents
            assert (entry.seq, entry.balance_after_cents) == (seq, running)
            assert running >= 0
        assert balance_cents(household) == running


def test_row_counts_describe_every_table_of_the_project(city):
    counts = dict(row_counts())
    assert counts["reservations.Booking"] == city.bookings.bookings
    assert counts["families.Child"] == 40
    assert "accounts.User" in counts and "activities.Session" in counts


def test_same_seed_same_city():
    first = generate_city(SCALE, seed=7, today=TODAY)
    again_children = list(Child.objects.order_by("pk").values_list("first_name", "birth_date"))
    assert first.bookings.bookings > 0
    # A second city from the same seed in the same database: same names, same bookings.
    from bench.city.plan import plan_city

    plan_a = plan_city(Scale.of(SCALE), 7, first.year_start)
    plan_b = plan_city(Scale.of(SCALE), 7, first.year_start)
    assert plan_a == plan_b
    assert [(c.first_name, c.birth_date) for h in plan_a for c in h.children] == again_children
