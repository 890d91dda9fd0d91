"""Django's admin, even for a superuser, cannot go around the services: a session's
capacity goes through backoffice.sessions.change_capacity (never below the places taken,
with the staff's audit trail), closing goes through the closing action, the quotient
familial through the back office, and bookings, baskets, payments, credit entries and
attendance marks are read-only."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from portail.activities.models import Session
from portail.backoffice.models import StaffAction, StaffActionKind
from portail.billing import credits
from portail.billing.models import CreditEntry, Payment
from portail.reservations.models import Basket, Booking, BookingStatus
from tests import factories
from tests.backoffice.operations.test_payments import payment
from tests.factories import paid_booking

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def admin() -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(factories.staff(email="root@example.org", is_superuser=True))
    return client


@pytest.fixture
def full_day():
    """A session of capacity 5 with three paid bookings."""
    activity = factories.activity(default_capacity=5)
    session = factories.session(activity, D(2026, 11, 26))
    household = factories.household(name="MARTIN")
    for n in range(3):
        paid_booking(factories.child(household, first_name=f"Enfant{n}"), session)
    return session


def change_form_data(session: Session, capacity: str) -> dict:
    return {
        "activity": session.activity_id,
        "date": "2026-11-26",
        "capacity": capacity,
        "_save": "Save",
    }


def test_the_change_form_cannot_set_the_capacity_below_the_places_taken(admin, full_day):
    url = reverse("admin:activities_session_change", args=[full_day.pk])
    page = admin.get(url)
    assert page.status_code == 200
    assert reverse("backoffice:sessions") in page.content.decode()  # where it is done
    response = admin.post(url, change_form_data(full_day, "1"))
    assert response.status_code == 200  # the form again, with the error
    assert "already taken" in response.content.decode()
    full_day.refresh_from_db()
    assert full_day.capacity == 5
    assert not StaffAction.objects.exists()


def test_the_change_form_changes_the_capacity_through_the_service(admin, full_day):
    url = reverse("admin:activities_session_change", args=[full_day.pk])
    response = admin.post(url, change_form_data(full_day, "3"))
    assert response.status_code == 302
    full_day.refresh_from_db()
    assert full_day.capacity == 3
    action = StaffAction.objects.get(kind=StaffActionKind.SESSION_CHANGED)
    assert "5 → 3" in action.summary and "root@example.org" in action.actor_label


def test_the_list_cannot_set_the_capacity_below_the_places_taken(admin, full_day):
    url = reverse("admin:activities_session_changelist")
    response = admin.post(
        url,
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "1000",
            "form-0-id": full_day.pk,
            "form-0-capacity": "0",
            "_save": "Save",
        },
    )
    assert response.status_code == 200  # the list again, with the error
    full_day.refresh_from_db()
    assert full_day.capacity == 5
    assert not StaffAction.objects.exists()


def test_closing_is_not_a_field_of_the_change_form(admin, full_day):
    url = reverse("admin:activities_session_change", args=[full_day.pk])
    admin.post(url, {"capacity": "5", "is_open": "", "closed_reason": "Grève", "_save": "Save"})
    full_day.refresh_from_db()
    assert (full_day.is_open, full_day.closed_reason) == (True, "")
    assert Booking.objects.filter(status=BookingStatus.RESERVED).count() == 3


def test_a_new_session_cannot_be_added_closed(admin):
    activity = factories.activity()
    response = admin.post(
        reverse("admin:activities_session_add"),
        {
            "activity": activity.pk,
            "date": "2026-11-27",
            "capacity": "10",
            "is_open": "",
            "closed_reason": "Grève",
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    session = Session.objects.get(activity=activity)
    assert (session.is_open, session.closed_reason) == (True, "")


def test_the_quotient_familial_is_not_edited_in_the_admin(admin):
    household = factories.household(name="DUPONT")
    factories.quotient_period(household, 700)
    url = reverse("admin:families_household_change", args=[household.pk])
    page = admin.get(url)
    assert page.status_code == 200
    assert reverse("backoffice:household", args=[household.pk]) in page.content.decode()
    admin.post(
        url,
        {
            "name": household.name,
            "email": household.email,
            "phone": "",
            "address": "",
            "postal_code": "",
            "city": "",
            "quotient_familial": "100",
            "guardians-TOTAL_FORMS": "0",
            "guardians-INITIAL_FORMS": "0",
            "children-TOTAL_FORMS": "0",
            "children-INITIAL_FORMS": "0",
            "_save": "Save",
        },
    )
    household.refresh_from_db()
    assert household.qf_on(datetime.date(2026, 11, 3)) == 700
    assert household.quotient_periods.count() == 1


@pytest.mark.parametrize(
    "model",
    ["reservations.booking", "reservations.basket", "billing.payment", "billing.creditentry"],
)
def test_money_and_bookings_are_read_only(admin, full_day, model):
    household = full_day.bookings.first().child.household
    credits.adjust(household, 500, reason="Geste", actor=factories.staff(email="g@example.org"))
    payment(household, 1, "pending", 740)
    objects = {
        "reservations.booking": Booking.objects.first(),
        "reservations.basket": Basket.objects.first(),
        "billing.payment": Payment.objects.first(),
        "billing.creditentry": CreditEntry.objects.first(),
    }
    obj = objects[model]
    app, name = model.split(".")
    assert admin.get(reverse(f"admin:{app}_{name}_add")).status_code == 403
    delete = admin.post(reverse(f"admin:{app}_{name}_delete", args=[obj.pk]), {"post": "yes"})
    assert delete.status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).exists()
    change = admin.post(reverse(f"admin:{app}_{name}_change", args=[obj.pk]), {"_save": "Save"})
    assert change.status_code == 403
