"""Booking for a family as staff: the same planning as the parents', the deadlines passed
with a reason, and the basket settled at the counter or validated; each checked on the
family's planning, credit and history."""

import pytest
from django.test import Client
from django.urls import reverse

from portail.activities.models import DeadlineKind, LatePolicy
from portail.backoffice.models import StaffAction, StaffActionKind
from portail.billing import credits
from portail.billing.counter import DETAIL_COUNTER_PAID
from portail.billing.models import CounterPayment, CreditKind
from portail.reservations.models import (
    ActorKind,
    Basket,
    BasketStatus,
    Booking,
    BookingStatus,
    Channel,
    HistoryAction,
    HistoryEntry,
)
from portail.reservations.planning import week_planning
from portail.reservations.states import CellState
from tests.factories import paid_booking
from tests.world.commune import seed_family
from tests.world.web import change

pytestmark = pytest.mark.django_db

FAR = 60  # a deadline 60 days before: every day of the test week is past it


def planning_url(fam, bypass: bool = False) -> str:
    url = reverse("backoffice:planning", kwargs={"pk": fam.household.pk}) + f"?week={fam.week}"
    return url + ("&bypass=1" if bypass else "")


def basket_url(fam, name: str = "basket") -> str:
    return reverse(f"backoffice:{name}", kwargs={"pk": fam.household.pk})


def late_family():
    """The seed's family, on a canteen whose deadlines (60 days) are all passed."""
    return seed_family(
        booking_deadline_kind=DeadlineKind.DAYS_BEFORE,
        booking_deadline_value=FAR,
        cancel_deadline_kind=DeadlineKind.DAYS_BEFORE,
        cancel_deadline_value=FAR,
        late_policy=LatePolicy.REFUSE,
    )


def cell_of(fam, child, session):
    planning = week_planning(fam.household, fam.monday)
    return next(c for c in planning.cells if c.child_id == child.pk and c.session_id == session.pk)


def test_staff_books_for_the_family_and_the_family_sees_service_gestionnaire(
    fam, staff_client, gestionnaire
):
    monday = fam.sessions[fam.days[0]]
    page = staff_client.get(planning_url(fam))
    assert page.status_code == 200
    assert change("reserve", fam.emy, monday) in page.content.decode()
    response = staff_client.post(
        planning_url(fam), {"week": fam.week, "change": [change("reserve", fam.emy, monday)]}
    )
    assert response.status_code == 302
    assert response["Location"] == basket_url(fam)
    assert cell_of(fam, fam.emy, monday).state == CellState.REQUESTED
    entry = HistoryEntry.objects.get(child=fam.emy, session=monday)
    assert (entry.action, entry.channel, entry.actor, entry.actor_kind) == (
        HistoryAction.ADD_RESERVATION,
        Channel.BACKOFFICE,
        gestionnaire,
        ActorKind.STAFF,
    )
    action = StaffAction.objects.get(kind=StaffActionKind.BOOKINGS_CHANGED)
    assert action.household == fam.household and action.actor == gestionnaire
    assert action.actor_label == "Camille ROUX <gestion@example.org>"
    # The family's own history page names the service, never the staff member.
    fam_client = Client()
    fam_client.force_login(fam.user)
    enrolment = fam.emy.enrolments.get()
    html = fam_client.get(
        reverse("families:enrolment_history", kwargs={"pk": enrolment.pk})
    ).content.decode()
    assert entry.who in html
    assert "gestion@example.org" not in html and "ROUX" not in html


def test_the_staff_basket_page_shows_the_lines_and_the_amount_due(fam, staff_client):
    monday = fam.sessions[fam.days[0]]
    staff_client.post(
        planning_url(fam), {"week": fam.week, "change": [change("reserve", fam.emy, monday)]}
    )
    html = staff_client.get(basket_url(fam)).content.decode()
    assert "3,70\u00a0€" in html
    assert 'name="means"' in html and 'name="expected_due_cents"' in html


def test_past_the_deadline_staff_are_refused_like_parents_unless_they_bypass(
    staff_client, gestionnaire
):
    fam = late_family()
    tuesday = fam.sessions[fam.days[1]]
    assert cell_of(fam, fam.emy, tuesday).editable is False
    assert (
        change("reserve", fam.emy, tuesday)
        not in staff_client.get(planning_url(fam)).content.decode()
    )
    response = staff_client.post(
        planning_url(fam), {"week": fam.week, "change": [change("reserve", fam.emy, tuesday)]}
    )
    assert response.status_code == 409
    assert not Booking.objects.exists()

    # With the deadlines passed, the block can be ticked; a reason is required.
    page = staff_client.get(planning_url(fam, bypass=True)).content.decode()
    assert change("reserve", fam.emy, tuesday) in page
    assert 'name="reason"' in page
    response = staff_client.post(
        planning_url(fam, bypass=True),
        {
            "week": fam.week,
            "bypass": "1",
            "reason": "  ",
            "change": [change("reserve", fam.emy, tuesday)],
        },
    )
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Booking.objects.exists()
    assert not StaffAction.objects.exists()

    response = staff_client.post(
        planning_url(fam, bypass=True),
        {
            "week": fam.week,
            "bypass": "1",
            "reason": "Retour d'hospitalisation, accord de la directrice",
            "change": [change("reserve", fam.emy, tuesday)],
        },
    )
    assert response.status_code == 302
    booking = Booking.objects.get(child=fam.emy, session=tuesday)
    assert (booking.status, booking.price_cents, booking.late) == (
        BookingStatus.REQUESTED,
        370,
        False,
    )
    action = StaffAction.objects.get(kind=StaffActionKind.BOOKINGS_CHANGED)
    assert action.reason == "Retour d'hospitalisation, accord de la directrice"


def test_paid_at_the_counter_the_days_are_booked_and_the_payment_recorded(
    fam, staff_client, gestionnaire
):
    monday, tuesday = fam.sessions[fam.days[0]], fam.sessions[fam.days[1]]
    staff_client.post(
        planning_url(fam),
        {
            "week": fam.week,
            "change": [change("reserve", fam.emy, monday), change("reserve", fam.emy, tuesday)],
        },
    )
    basket = Basket.objects.get(household=fam.household, status=BasketStatus.OPEN)
    response = staff_client.post(
        basket_url(fam, "basket_counter"),
        {"means": "cheque", "reference": "Chèque n° 0012345", "expected_due_cents": "740"},
    )
    assert response.status_code == 302
    basket.refresh_from_db()
    assert basket.status == BasketStatus.PAID
    payment = CounterPayment.objects.get()
    assert (payment.basket, payment.means, payment.amount_cents, payment.reference) == (
        basket,
        "cheque",
        740,
        "Chèque n° 0012345",
    )
    assert payment.actor == gestionnaire
    assert cell_of(fam, fam.emy, monday).state == CellState.RESERVED
    assert cell_of(fam, fam.emy, tuesday).state == CellState.RESERVED
    confirmed = HistoryEntry.objects.filter(detail=DETAIL_COUNTER_PAID)
    assert confirmed.count() == 2
    assert {e.channel for e in confirmed} == {Channel.BACKOFFICE}
    assert credits.balance_cents(fam.household) == 0
    assert StaffAction.objects.filter(kind=StaffActionKind.COUNTER_PAYMENT).count() == 1


def test_a_counter_payment_for_an_amount_that_changed_records_nothing(fam, staff_client):
    monday = fam.sessions[fam.days[0]]
    staff_client.post(
        planning_url(fam), {"week": fam.week, "change": [change("reserve", fam.emy, monday)]}
    )
    response = staff_client.post(
        basket_url(fam, "basket_counter"), {"means": "cash", "expected_due_cents": "740"}
    )
    assert response.status_code == 302
    assert not CounterPayment.objects.exists()
    assert Basket.objects.get(household=fam.household).status == BasketStatus.OPEN
    response = staff_client.post(
        basket_url(fam, "basket_counter"), {"means": "bitcoin", "expected_due_cents": "370"}
    )
    assert response.status_code == 400
    assert not CounterPayment.objects.exists()
    assert cell_of(fam, fam.emy, monday).state == CellState.REQUESTED


def test_cancelling_past_the_deadline_then_validating_gives_the_credit(staff_client):
    fam = late_family()
    thursday = fam.sessions[fam.days[2]]
    booking = paid_booking(fam.emy, thursday)
    response = staff_client.post(
        planning_url(fam, bypass=True),
        {
            "week": fam.week,
            "bypass": "1",
            "reason": "Certificat médical",
            "change": [change("cancel", fam.emy, thursday)],
        },
    )
    assert response.status_code == 302
    assert staff_client.post(basket_url(fam, "basket_validate")).status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert credits.balance_cents(fam.household) == 370
    entry = fam.household.credit_entries.get()
    assert entry.kind == CreditKind.CANCELLATION
    assert cell_of(fam, fam.emy, thursday).state != CellState.RESERVED
    kinds = list(StaffAction.objects.values_list("kind", flat=True).order_by("pk"))
    assert kinds == [StaffActionKind.BOOKINGS_CHANGED, StaffActionKind.BASKET_VALIDATED]


def test_validating_a_basket_with_something_to_pay_is_refused(fam, staff_client):
    monday = fam.sessions[fam.days[0]]
    staff_client.post(
        planning_url(fam), {"week": fam.week, "change": [change("reserve", fam.emy, monday)]}
    )
    assert staff_client.post(basket_url(fam, "basket_validate")).status_code == 302
    assert Basket.objects.get(household=fam.household).status == BasketStatus.OPEN
    assert not fam.household.payments.exists()


def test_dropping_the_family_basket_releases_the_places(fam, staff_client):
    monday = fam.sessions[fam.days[0]]
    staff_client.post(
        planning_url(fam), {"week": fam.week, "change": [change("reserve", fam.emy, monday)]}
    )
    assert staff_client.post(basket_url(fam, "basket_drop")).status_code == 302
    assert Booking.objects.get().status == BookingStatus.RELEASED
    assert cell_of(fam, fam.emy, monday).state == CellState.NOT_RESERVED
    assert StaffAction.objects.filter(kind=StaffActionKind.BASKET_DROPPED).exists()


def test_a_malformed_submission_changes_nothing(fam, staff_client):
    response = staff_client.post(planning_url(fam), {"week": fam.week, "change": ["reserve:x:1"]})
    assert response.status_code == 400
    response = staff_client.post(planning_url(fam), {"week": fam.week})
    assert response.status_code == 400
    assert not Basket.objects.exists()
