"""The judgement reads the children's bookings and attendance marks in one statement: each
as the ORM would load it (types, basket), a mark with or without a booking, and nothing of
another child, another day, or a booking no longer active."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portail.reservations.facts import bookings_and_attendance
from portail.reservations.models import Attendance, Booking, BookingStatus
from tests import factories
from tests.world.commune import seed_family

pytestmark = pytest.mark.django_db


def test_bookings_and_marks_come_as_the_orm_loads_them_in_one_statement():
    fam = seed_family(names=("Emy", "Lise"), household_name="GRANDE")
    emy, lise = fam.children
    monday, tuesday, thursday = (fam.sessions[day] for day in fam.days[:3])
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
    other = seed_family(names=("Max",), household_name="AUTRE", act=(fam.activity, fam.sessions))
    factories.paid_booking(other.emy, monday)  # another child, same day
    Attendance.objects.create(child=other.emy, session=monday, present=True)
    friday = fam.sessions[fam.days[3]]
    factories.paid_booking(emy, friday)  # another day
    Attendance.objects.create(child=emy, session=friday, present=True)

    with CaptureQueriesContext(connection) as ctx:
        bookings, marks = bookings_and_attendance(
            [emy.pk, lise.pk], [monday.pk, tuesday.pk, thursday.pk]
        )
    assert len(ctx.captured_queries) == 1

    assert set(bookings) == {(emy.pk, monday.pk), (lise.pk, monday.pk)}
    got = bookings[(emy.pk, monday.pk)]
    assert (got.pk, got.status, got.price_cents, got.late) == (paid.pk, "reserved", 412, True)
    assert isinstance(got.created_at, datetime.datetime) and got.created_at == paid.created_at
    assert got.being_paid is False
    with CaptureQueriesContext(connection) as ctx:
        assert got.basket.reference == paid.basket.reference  # loaded with the booking
        assert got.basket.status == paid.basket.status
    assert ctx.captured_queries == []
    assert bookings[(lise.pk, monday.pk)].pk == loose.pk
    assert bookings[(lise.pk, monday.pk)].basket is None

    assert set(marks) == {(emy.pk, monday.pk), (lise.pk, thursday.pk)}
    mark = marks[(emy.pk, monday.pk)]
    assert (mark.pk, mark.present, mark.justified, mark.charge_cents) == (
        absent.pk,
        False,
        True,
        None,
    )
    assert mark.recorded_at == absent.recorded_at
    mark = marks[(lise.pk, thursday.pk)]
    assert (mark.present, mark.justified, mark.charge_cents) == (True, False, 555)
    assert mark.pk == unbooked.pk


def test_nothing_asked_nothing_read():
    assert bookings_and_attendance([], []) == ({}, {})
