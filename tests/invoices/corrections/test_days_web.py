"""The staff's pages: a day already invoiced can be neither cancelled for the family
(even with the deadlines passed) nor closed; the admin deletes no mark nor booking."""

import pytest
from django.urls import reverse

from portail.reservations.models import BookingStatus
from tests import factories
from tests.invoices.corrections.setup import (
    assert_refusal_names_the_invoice,
    billed_october,
    manager_client,
    snapshot,
)
from tests.world.days import week_code
from tests.world.staff import client_for
from tests.world.web import change

pytestmark = pytest.mark.django_db


def test_staff_cannot_cancel_a_billed_day_for_the_family_even_past_the_deadlines():
    billed = billed_october()
    day = billed.lone_day.session
    monday = day.date.fromordinal(day.date.toordinal() - day.date.weekday())
    url = (
        reverse("backoffice:planning", kwargs={"pk": billed.world.household.pk})
        + f"?week={week_code(monday)}&bypass=1"
    )
    client = manager_client()
    page = client.get(url).content.decode()
    assert change("cancel", billed.world.children[0], day) not in page  # not offered
    before = snapshot()
    response = client.post(
        url,
        {
            "week": week_code(monday),
            "bypass": "1",
            "reason": "Erreur de saisie",
            "change": [change("cancel", billed.world.children[0], day)],
        },
    )
    assert response.status_code == 409
    assert_refusal_names_the_invoice(response.content.decode(), billed.invoice)
    billed.lone_day.refresh_from_db()
    assert billed.lone_day.status == BookingStatus.RESERVED
    assert snapshot() == before


def test_a_billed_day_cannot_be_closed():
    billed = billed_october()
    before = snapshot()
    response = manager_client().post(
        reverse("backoffice:session_close", args=[billed.lone_day.session.pk]),
        {"close-reason": "Grève du personnel", "close-confirm": "on"},
    )
    assert response.status_code == 400
    assert_refusal_names_the_invoice(response.content.decode(), billed.invoice)
    assert snapshot() == before


def test_the_admin_deletes_no_billed_mark_nor_booking():
    billed = billed_october()
    client = client_for(factories.staff(is_superuser=True), "en")
    before = snapshot()
    for model, pk in (("attendance", billed.presence.pk), ("booking", billed.lone_day.pk)):
        url = reverse(f"admin:reservations_{model}_delete", args=[pk])
        assert client.post(url, {"post": "yes"}).status_code == 403
    assert snapshot() == before
