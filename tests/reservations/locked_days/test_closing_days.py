"""Gaps 3, 4 and 5: closing days.

- From the Django admin, "Close these days" goes through the back office's service: the
  paid bookings are credited, the requests withdrawn, the families e-mailed, and a day
  with attendance recorded (or already closed) is refused with a message.
- The closure's history names the staff member (families read "Service gestionnaire"),
  also when the crediting runs from the `sessions_closed` signal after commit.
- A cancellation the family had put in its open basket for a booking the closure
  cancels leaves the basket (which is abandoned if nothing else is in it).
"""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from portail.activities import calendar
from portail.backoffice.attendance.marks import record_marks
from portail.backoffice.attendance.sheet import Mark
from portail.backoffice.models import StaffAction, StaffActionKind
from portail.backoffice.sessions import close_session
from portail.billing import credits
from portail.billing.checkout import checkout
from portail.billing.closures import credit_closed_bookings
from portail.billing.models import CreditEntry, CreditKind
from portail.billing.quote import quote
from portail.billing.settlement import DETAIL_SESSION_CLOSED
from portail.families.models import Document
from portail.reservations.holds import open_basket
from portail.reservations.models import (
    ActorKind,
    BasketStatus,
    Booking,
    BookingStatus,
    Channel,
    HistoryAction,
    LineKind,
)
from tests import factories
from tests.factories import paid_booking
from tests.factories import paid_booking as paid_on
from tests.world.booking import held_request, last_history, long_hold_world, submit
from tests.world.days import MINUTE, MONDAY, NOW, TUESDAY
from tests.world.money import assert_money_kept
from tests.world.staff import gestionnaire
from tests.world.town import build_town

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:activities_session_changelist"


@pytest.fixture
def admin_user():
    return factories.staff(
        email="admin@example.org", first_name="Alex", last_name="ADMIN", is_superuser=True
    )


def admin_client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def close_from_admin(client: Client, sessions, reason: str):
    return client.post(
        reverse(CHANGELIST),
        {
            "action": "close_days",
            ACTION_CHECKBOX_NAME: [s.pk for s in sessions],
            "apply": "yes",
            "reason": reason,
        },
        follow=True,
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_the_admin_action_credits_withdraws_emails_and_records_the_staff(admin_user):
    town = build_town()
    booking = paid_booking(town.emy, town.future)
    request = held_request(town.tom, town.future)

    response = close_from_admin(admin_client(admin_user), [town.future], "Grève")

    assert response.status_code == 200
    town.future.refresh_from_db()
    assert (town.future.is_open, town.future.closed_reason) == (False, "Grève")
    booking.refresh_from_db()
    request.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert request.status == BookingStatus.RELEASED
    credit = CreditEntry.objects.get(household=town.martin)
    assert (credit.kind, credit.amount_cents, credit.reason) == (CreditKind.CLOSURE, 370, "Grève")
    # Both families e-mailed, the notice kept in "Mes documents".
    assert sorted(to for m in mail.outbox for to in m.to) == [
        "parent.durand@example.org",
        "parent.martin@example.org",
    ]
    assert Document.objects.filter(kind=Document.Kind.CLOSURE_NOTICE).count() == 2
    # The history names the staff member; families read "Service gestionnaire".
    row = last_history(town.emy, town.future)
    assert (row.action, row.detail) == (HistoryAction.REMOVE_RESERVATION, DETAIL_SESSION_CLOSED)
    assert (row.actor_kind, row.actor_id, row.channel) == (
        ActorKind.STAFF,
        admin_user.pk,
        Channel.BACKOFFICE,
    )
    with translation.override("en"):
        assert row.who == "Management service"
    assert StaffAction.objects.filter(
        kind=StaffActionKind.SESSION_CLOSED, actor=admin_user, household=town.martin
    ).exists()
    assert "Days closed: 1." in messages_of(response)


def test_the_admin_action_refuses_a_day_with_attendance_and_closes_the_others(admin_user):
    town = build_town()
    attended = paid_booking(town.emy, town.today)
    record_marks(town.today, [(town.emy.pk, Mark.PRESENT)], actor=town.gestionnaire)
    paid_booking(town.lise, town.future)

    response = close_from_admin(admin_client(admin_user), [town.today, town.future], "Sortie")

    town.today.refresh_from_db()
    town.future.refresh_from_db()
    attended.refresh_from_db()
    assert town.today.is_open and not town.future.is_open
    assert attended.status == BookingStatus.RESERVED
    assert credits.balance_cents(town.martin) == 370  # Lise's future day only
    shown = messages_of(response)
    assert any(
        "was not closed" in text and "Attendance has already been recorded" in text
        for text in shown
    ), shown
    assert "Days closed: 1." in shown


def test_the_admin_action_tells_a_day_already_closed(admin_user):
    town = build_town()
    close_session(town.future, "Grève", actor=town.gestionnaire)

    response = close_from_admin(admin_client(admin_user), [town.future], "Autre raison")

    town.future.refresh_from_db()
    assert town.future.closed_reason == "Grève"
    shown = messages_of(response)
    assert any("already closed" in text for text in shown), shown
    assert "Days closed: 0." in shown


def test_the_signal_carries_the_staff_member_to_the_crediting(django_capture_on_commit_callbacks):
    world = long_hold_world()
    staff = world.extra["staff"]
    monday = world.sessions[MONDAY]
    booking = paid_on(world.child, monday)

    with django_capture_on_commit_callbacks(execute=True):
        calendar.close_sessions([monday], "Grève", actor=staff)

    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    row = last_history(world.child, monday)
    assert (row.actor_kind, row.actor_id, row.actor_label) == (
        ActorKind.STAFF,
        staff.pk,
        staff.email,
    )
    assert CreditEntry.objects.get(booking=booking).actor_id == staff.pk


def test_a_closure_by_a_script_still_reads_automatic():
    world = long_hold_world()
    monday = world.sessions[MONDAY]
    paid_on(world.child, monday)

    calendar.close_sessions([monday], "Grève")
    assert credit_closed_bookings([monday.pk], now=NOW) == 1

    row = last_history(world.child, monday)
    assert (row.actor_kind, row.actor_id, row.channel) == (ActorKind.SYSTEM, None, Channel.SYSTEM)
    with translation.override("en"):
        assert row.who == "Automatic (portal)"


def test_the_closure_removes_the_cancellation_from_the_open_basket():
    world = long_hold_world()
    monday, tuesday = world.sessions[MONDAY], world.sessions[TUESDAY]
    booking = paid_on(world.child, monday)
    basket = submit(world, cancel=[(world.child, monday)], add=[(world.child, tuesday)])

    close_session(monday, "Grève", actor=gestionnaire(), now=NOW + MINUTE)

    booking.refresh_from_db()
    basket.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert basket.status == BasketStatus.OPEN
    assert list(basket.lines.values_list("kind", "session_id")) == [
        (LineKind.RESERVATION, tuesday.pk)
    ]
    # The closure's credit pays Tuesday: OK, nothing to pay, and no second credit.
    assert quote(basket).amount_due_cents == 0
    result = checkout(world.household, actor=world.user, channel=Channel.WEB, now=NOW + 2 * MINUTE)
    assert result.status == "validated"
    assert Booking.objects.get(child=world.child, session=tuesday).status == BookingStatus.RESERVED
    assert credits.balance_cents(world.household) == 0
    assert_money_kept(world.household, before_cents=370)


def test_a_basket_left_empty_by_the_closure_is_abandoned():
    world = long_hold_world()
    monday = world.sessions[MONDAY]
    paid_on(world.child, monday)
    basket = submit(world, cancel=[(world.child, monday)])

    close_session(monday, "Grève", actor=gestionnaire(), now=NOW + MINUTE)

    basket.refresh_from_db()
    assert basket.status == BasketStatus.ABANDONED
    assert not basket.lines.exists()
    assert open_basket(world.household, now=NOW + 2 * MINUTE) is None
    assert CreditEntry.objects.get(household=world.household).amount_cents == 370
    assert_money_kept(world.household, before_cents=370)
    # The history ends with the closure: the day is removed, by the service.
    row = last_history(world.child, monday)
    assert (row.action, row.detail) == (HistoryAction.REMOVE_RESERVATION, DETAIL_SESSION_CLOSED)
