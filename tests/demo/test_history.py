"""The demo's past history, written through the reservation services (as in the seed)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from portail.demo.history import build_demo_history
from portail.reservations.models import (
    ACTIVE_BOOKING_STATUSES,
    ActorKind,
    Booking,
    BookingStatus,
    Channel,
    HistoryAction,
    HistoryEntry,
)

pytestmark = pytest.mark.django_db


def load() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def story_rows() -> list[HistoryEntry]:
    """The seed's story: the days no booking was ever confirmed for (the paid weeks'
    days all have reserved or cancelled bookings), without the pointage of the ALAE
    (demo.invoices)."""
    paid_days = Booking.objects.filter(
        status__in=[BookingStatus.RESERVED, BookingStatus.CANCELLED]
    ).values("session_id")
    return list(
        HistoryEntry.objects.exclude(session_id__in=paid_days)
        .exclude(action__in=[HistoryAction.ATTENDANCE_PRESENT, HistoryAction.ATTENDANCE_ABSENT])
        .select_related("child", "session")
        .order_by("created_at", "pk")
    )


def test_load_demo_writes_the_seeds_story_for_emy_and_lise():
    load()
    rows = story_rows()
    assert {row.child.first_name for row in rows} == {"Emy", "Lise"}
    staff_adds = [
        r
        for r in rows
        if r.actor_kind == ActorKind.STAFF and r.action == HistoryAction.ADD_RESERVATION
    ]
    assert len(staff_adds) == 8
    assert all(r.channel == Channel.BACKOFFICE and r.price_cents == 370 for r in staff_adds)
    parent_rows = [r for r in rows if r.actor_kind == ActorKind.GUARDIAN]
    assert [(r.child.first_name, r.action, r.actor_label) for r in parent_rows] == [
        ("Emy", HistoryAction.REMOVE_RESERVATION, "parent@example.org")
    ]
    assert all(r.session.date < timezone.localdate() for r in rows)
    assert all(r.created_at < timezone.now() for r in rows)


def test_the_story_leaves_no_booking_holding_a_place():
    load()
    story_days = {row.session_id for row in story_rows()}
    assert story_days
    assert not Booking.objects.filter(
        session_id__in=story_days, status__in=ACTIVE_BOOKING_STATUSES
    ).exists()
    # The only other bookings are the paid weeks' (checkout: tests/billing/checkout/test_demo.py).
    assert not Booking.objects.filter(status=BookingStatus.REQUESTED).exists()


def test_loading_twice_writes_the_history_once():
    load()
    count = HistoryEntry.objects.count()
    load()
    assert HistoryEntry.objects.count() == count
    assert build_demo_history() == 0


def test_history_without_the_demo_does_nothing():
    assert build_demo_history() == 0
    assert not HistoryEntry.objects.exists()
