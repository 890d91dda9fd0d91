"""Once the sessions are locked, the judgement reads the children's days in one statement
(facts.day_rows): the household's own children with their enrolments, their bookings and
attendance marks as the ORM would load them (types, basket), a mark with or without a
booking, the places taken and the waiting lists; nothing of another household's child,
another day, or a booking no longer active."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portail.activities.models import Enrolment
from portail.reservations.facts import day_rows
from portail.reservations.models import Attendance, Booking, BookingStatus
from portail.reservations.occupancy import places_and_queues
from portail.reservations.waiting_models import WaitingListEntry, WaitingStatus
from tests import factories
from tests.clock import NOW
from tests.world.commune import seed_family

pytestmark = pytest.mark.django_db


def _world():
    fam = seed_family(names=("Emy", "Lise"), household_name="GRANDE")
    other = seed_family(names=("Max",), household_name="AUTRE", act=(fam.activity, fam.sessions))
    return fam, other


def _read(fam, children, days):
    with CaptureQueriesContext(connection) as ctx:
        found = day_rows(fam.household, [c.pk for c in children], [s.pk for s in days], now=NOW)
    assert len(ctx.captured_queries) == 1
    return found


def test_bookings_and_marks_come_as_the_orm_loads_them():
    fam, other = _world()
    emy, lise = fam.children
    monday, tuesday, thursday, friday = (fam.sessions[day] for day in fam.days[:4])
    paid = factories.paid_booking(emy, monday, price=412, late=True)
    loose = Booking.objects.create(
        child=lise, session=monday, status=BookingStatus.REQUESTED, price_cents=370
    )
    Booking.objects.create(
        child=lise, session=tuesday, status=BookingStatus.CANCELLED, price_cents=370
    )
    absent = Attendance.objects.create(child=emy, session=monday, present=False, justified=True)
    unbooked = Attendance.objects.create(
        child=lise, session=thursday, present=True, charge_cents=555
    )
    factories.paid_booking(other.emy, monday)  # another household's child, same day
    Attendance.objects.create(child=other.emy, session=monday, present=True)
    factories.paid_booking(emy, friday)  # a day not asked
    Attendance.objects.create(child=emy, session=friday, present=True)

    found = _read(fam, [emy, lise, other.emy], [monday, tuesday, thursday])

    assert set(found.bookings) == {(emy.pk, monday.pk), (lise.pk, monday.pk)}
    got = found.bookings[(emy.pk, monday.pk)]
    assert (got.pk, got.status, got.price_cents, got.late) == (paid.pk, "reserved", 412, True)
    assert isinstance(got.created_at, datetime.datetime) and got.created_at == paid.created_at
    assert got.being_paid is False
    with CaptureQueriesContext(connection) as ctx:
        assert got.basket.reference == paid.basket.reference  # loaded with the booking
        assert got.basket.status == paid.basket.status
    assert ctx.captured_queries == []
    assert found.bookings[(lise.pk, monday.pk)].pk == loose.pk
    assert found.bookings[(lise.pk, monday.pk)].basket is None

    assert set(found.attendance) == {(emy.pk, monday.pk), (lise.pk, thursday.pk)}
    mark = found.attendance[(emy.pk, monday.pk)]
    assert (mark.pk, mark.present, mark.justified, mark.charge_cents) == (
        absent.pk,
        False,
        True,
        None,
    )
    assert mark.recorded_at == absent.recorded_at
    mark = found.attendance[(lise.pk, thursday.pk)]
    assert (mark.pk, mark.present, mark.justified, mark.charge_cents) == (
        unbooked.pk,
        True,
        False,
        555,
    )


def test_own_children_with_enrolments_places_and_waiting_lists():
    fam, other = _world()
    emy, lise = fam.children
    monday, tuesday = fam.sessions[fam.days[0]], fam.sessions[fam.days[1]]
    extra = factories.activity(fam.activity.site, name="ALAE soir")
    factories.enrolment(emy, extra, valid_to=datetime.date(2027, 1, 31))
    factories.paid_booking(other.emy, monday)
    factories.paid_booking(emy, monday)
    for position, child in enumerate((other.emy, lise), start=1):
        WaitingListEntry.objects.create(
            child=child,
            session=tuesday,
            household=child.household,
            position=position,
            created_at=NOW,
        )
    WaitingListEntry.objects.create(
        child=emy,
        session=tuesday,
        household=fam.household,
        position=9,
        status=WaitingStatus.WITHDRAWN,
        created_at=NOW,
    )

    found = _read(fam, [emy, lise, other.emy], [monday, tuesday])

    assert sorted(found.children) == sorted([emy.pk, lise.pk])  # not another household's
    assert found.children[emy.pk].first_name == "Emy"
    assert found.children[emy.pk].birth_date == emy.birth_date
    periods = sorted((e.child_id, e.activity_id, e.valid_to) for e in found.enrolments)
    expected = Enrolment.objects.filter(child__in=[emy, lise])
    assert periods == sorted(expected.values_list("child_id", "activity_id", "valid_to"))
    assert (emy.pk, extra.pk, datetime.date(2027, 1, 31)) in periods
    assert len(periods) == 3
    assert found.taken == {monday.pk: 2}
    assert found.waiting == {tuesday.pk: [other.emy.pk, lise.pk]}
    assert (found.taken, found.waiting) == places_and_queues([monday.pk, tuesday.pk], now=NOW)


def test_nothing_asked_nothing_found():
    fam, _other = _world()
    found = day_rows(fam.household, [], [], now=NOW)
    assert (found.children, found.bookings, found.taken, found.waiting) == ({}, {}, {}, {})
