"""The back office's household page writes the QF through set_quotient: a new period from
today (empty start) cuts the current one, and the page lists the periods."""

import datetime

import pytest
from django.urls import reverse

from portail.backoffice.models import StaffAction, StaffActionKind
from tests import factories
from tests.world import staff
from tests.world.staff import client_for

pytestmark = pytest.mark.django_db
D = datetime.date


def test_a_qf_without_start_applies_from_today_and_cuts_the_current_one():
    household = factories.household(quotient_familial=800, qf_valid_from=D(2026, 9, 1))
    agent = staff.gestionnaire("gestion@example.org")
    client = client_for(agent)
    url = reverse("backoffice:household_qf", kwargs={"pk": household.pk})

    response = client.post(url, {"qf-quotient_familial": "450", "qf-qf_valid_to": "2027-08-31"})

    assert response.status_code == 302
    periods = list(household.quotient_periods.order_by("valid_from"))
    assert [(p.value, p.valid_from, p.valid_to) for p in periods] == [
        (800, D(2026, 9, 1), D(2026, 11, 2)),
        (450, D(2026, 11, 3), D(2027, 8, 31)),  # the suite's today
    ]
    assert periods[1].created_by == agent
    assert StaffAction.objects.filter(household=household, kind=StaffActionKind.QF_SET).exists()
    page = client.get(reverse("backoffice:household", kwargs={"pk": household.pk}))
    text = page.content.decode()
    assert "01/09/2026" in text and "02/11/2026" in text and "31/08/2027" in text


def test_a_refused_qf_shows_the_error_on_its_field_and_keeps_the_periods():
    household = factories.household(quotient_familial=800, qf_valid_from=D(2026, 9, 1))
    client = client_for(staff.gestionnaire("gestion@example.org"))
    url = reverse("backoffice:household_qf", kwargs={"pk": household.pk})
    response = client.post(
        url,
        {
            "qf-quotient_familial": "450",
            "qf-qf_valid_from": "2027-01-01",
            "qf-qf_valid_to": "2026-12-31",
        },
    )
    assert response.status_code == 400
    assert response.context["qf_form"].errors["qf_valid_to"]
    assert household.quotient_periods.count() == 1
