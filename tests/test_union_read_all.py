"""core.union.read_all(): several querysets in one statement, each giving back exactly what
iterating it gives (instances with their select_related objects and annotations, values
lists, conversions), an empty part nothing, every part empty no statement at all."""

import pytest
from django.db import connection
from django.db.models import Count, F
from django.test.utils import CaptureQueriesContext

from portail.core.union import read_all
from portail.reservations.models import Attendance, Booking
from tests import factories
from tests.world.commune import seed_family

pytestmark = pytest.mark.django_db


def _fields(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_each_part_as_the_orm_gives_it_in_one_statement():
    fam = seed_family(names=("Emy", "Lise"))
    monday, tuesday = fam.sessions[fam.days[0]], fam.sessions[fam.days[1]]
    for kid in fam.children:
        factories.paid_booking(kid, monday, price=412, late=True)
    Attendance.objects.create(child=fam.emy, session=tuesday, present=False, justified=True)
    parts = {
        "bookings": Booking.objects.select_related("basket", "session__activity").annotate(
            day=F("session__date")
        ),
        "counts": Booking.objects.values("session_id")
        .annotate(n=Count("pk"))
        .values_list("session_id", "n"),
        "marks": Attendance.objects.all(),
        "none": Booking.objects.filter(pk__in=[]),
    }
    expected = {name: list(qs.order_by()) for name, qs in parts.items()}
    with CaptureQueriesContext(connection) as ctx:
        found = read_all(parts)
    assert len(ctx.captured_queries) == 1
    assert "UNION ALL" in ctx.captured_queries[0]["sql"]

    assert found["none"] == [] and found["counts"] == [(monday.pk, 2)] == expected["counts"]
    by_pk = {b.pk: b for b in expected["bookings"]}
    assert sorted(by_pk) == sorted(b.pk for b in found["bookings"])
    with CaptureQueriesContext(connection) as ctx:
        for booking in found["bookings"]:
            same = by_pk[booking.pk]
            assert _fields(booking) == _fields(same)
            assert booking.late is True and booking.day == monday.date  # converted
            assert _fields(booking.basket) == _fields(same.basket)
            assert booking.session.activity.name == same.session.activity.name
    assert ctx.captured_queries == []  # the related objects came with the rows
    [mark] = found["marks"]
    assert _fields(mark) == _fields(expected["marks"][0])
    assert mark.present is False and mark.justified is True


def test_nothing_to_read_no_statement():
    with CaptureQueriesContext(connection) as ctx:
        found = read_all({"a": Booking.objects.filter(pk__in=[]), "b": Attendance.objects.none()})
    assert found == {"a": [], "b": []}
    assert ctx.captured_queries == []
