"""Each refusal code of submit_changes(): enrolment, closed day, already reserved or not,
unknown child or day, no booking required, duplicates, attendance, tariff, payment."""

import pytest

from portail.reservations.basket import submit_changes
from portail.reservations.judging import Change, ChangesRefused
from portail.reservations.models import Attendance, Basket, BasketStatus, Booking, Channel
from tests.factories import paid_booking
from tests.world.booking import submit
from tests.world.commune import build, family
from tests.world.days import MONDAY, NOW, THURSDAY, TUESDAY

from .calls import refusals

pytestmark = pytest.mark.django_db


def test_not_enrolled_child_and_outside_the_enrolment_period():
    world = build(children=2)
    emy, lise = world.children
    lise.enrolments.all().delete()
    emy.enrolments.update(valid_from=TUESDAY)
    found = refusals(world, add=[(lise, world.sessions[TUESDAY]), (emy, world.sessions[MONDAY])])
    assert found == [
        (lise.pk, world.sessions[TUESDAY].pk, "not_enrolled"),
        (emy.pk, world.sessions[MONDAY].pk, "not_enrolled"),
    ]


def test_closed_day():
    world = build()
    session = world.sessions[THURSDAY]
    session.is_open = False
    session.closed_reason = "Sortie scolaire"
    session.save()
    with pytest.raises(ChangesRefused) as info:
        submit(world, add=[(world.child, session)])
    (refusal,) = info.value.refusals
    assert refusal.code == "closed"
    assert "Sortie scolaire" in refusal.message


def test_already_reserved_or_requested():
    world = build()
    paid_booking(world.child, world.sessions[MONDAY])
    submit(world, add=[(world.child, world.sessions[TUESDAY])])
    assert refusals(
        world, add=[(world.child, world.sessions[MONDAY]), (world.child, world.sessions[TUESDAY])]
    ) == [
        (world.child.pk, world.sessions[MONDAY].pk, "already_reserved"),
        (world.child.pk, world.sessions[TUESDAY].pk, "already_reserved"),
    ]


def test_not_reserved():
    world = build()
    assert refusals(world, cancel=[(world.child, world.sessions[MONDAY])]) == [
        (world.child.pk, world.sessions[MONDAY].pk, "not_reserved")
    ]


def test_cancellation_already_in_the_basket():
    world = build()
    paid_booking(world.child, world.sessions[MONDAY])
    submit(world, cancel=[(world.child, world.sessions[MONDAY])])
    assert refusals(world, cancel=[(world.child, world.sessions[MONDAY])]) == [
        (world.child.pk, world.sessions[MONDAY].pk, "not_reserved")
    ]


def test_unknown_child_of_another_household_or_unknown_day():
    world = build()
    _, _, (stranger,) = family(world.activity)
    with pytest.raises(ChangesRefused) as info:
        submit_changes(
            world.household,
            add=[Change(stranger.pk, world.sessions[MONDAY].pk), Change(world.child.pk, 999999)],
            cancel=[],
            actor=world.user,
            channel=Channel.API,
            now=NOW,
        )
    assert [(r.child_id, r.session_id, r.code) for r in info.value.refusals] == [
        (stranger.pk, world.sessions[MONDAY].pk, "unknown"),
        (world.child.pk, 999999, "unknown"),
    ]
    assert not Booking.objects.exists()


def test_no_booking_required():
    world = build(requires_booking=False)
    assert refusals(world, add=[(world.child, world.sessions[MONDAY])]) == [
        (world.child.pk, world.sessions[MONDAY].pk, "no_booking_required")
    ]


def test_duplicate_blocks_in_one_submission():
    world = build()
    monday = world.sessions[MONDAY]
    assert refusals(world, add=[(world.child, monday), (world.child, monday)]) == [
        (world.child.pk, monday.pk, "duplicate")
    ]
    assert refusals(world, add=[(world.child, monday)], cancel=[(world.child, monday)]) == [
        (world.child.pk, monday.pk, "not_reserved"),
        (world.child.pk, monday.pk, "duplicate"),
    ]


def test_attendance_recorded_locks_the_day():
    world = build()
    paid_booking(world.child, world.sessions[MONDAY])
    Attendance.objects.create(child=world.child, session=world.sessions[MONDAY], present=True)
    Attendance.objects.create(child=world.child, session=world.sessions[TUESDAY], present=False)
    assert refusals(
        world,
        add=[(world.child, world.sessions[TUESDAY])],
        cancel=[(world.child, world.sessions[MONDAY])],
    ) == [
        (world.child.pk, world.sessions[MONDAY].pk, "locked"),
        (world.child.pk, world.sessions[TUESDAY].pk, "locked"),
    ]


def test_no_tariff_means_no_booking():
    world = build()
    world.activity.tariffs.clear()
    assert refusals(world, add=[(world.child, world.sessions[MONDAY])]) == [
        (world.child.pk, world.sessions[MONDAY].pk, "no_price")
    ]


def test_payment_in_progress_cannot_be_withdrawn():
    world = build()
    basket = submit(world, add=[(world.child, world.sessions[MONDAY])])
    Basket.objects.filter(pk=basket.pk).update(status=BasketStatus.AWAITING_PAYMENT)
    assert refusals(world, cancel=[(world.child, world.sessions[MONDAY])]) == [
        (world.child.pk, world.sessions[MONDAY].pk, "locked")
    ]
