"""The attendance sheet: a mark already invoiced is final, shown so with the invoice's
number; correcting it is refused (409, all or nothing), never a 500."""

import pytest
from django.urls import reverse

from portail.reservations.models import Attendance
from tests.invoices.corrections.setup import (
    assert_refusal_names_the_invoice,
    billed_october,
    manager_client,
    sheet_url,
    snapshot,
)

pytestmark = pytest.mark.django_db


def record(client, session, marks: dict):
    return client.post(
        reverse("backoffice:attendance_record", args=[session.pk]),
        {f"mark-{child.pk}": mark for child, mark in marks.items()},
    )


def test_the_sheet_shows_a_billed_mark_as_final_with_the_invoice_number():
    billed = billed_october()
    emma, lucas = billed.world.children
    html = manager_client().get(sheet_url(billed.alae_monday)).content.decode()
    assert f"Already invoiced on invoice {billed.invoice.number}: this mark is final" in html
    assert f'name="mark-{emma.pk}"' not in html  # no choice left for Emma
    assert f'name="mark-{lucas.pk}"' in html  # Lucas, not billed on that day, can be marked


def test_a_billed_presence_cannot_be_corrected_to_absent_and_nothing_is_recorded():
    billed = billed_october()
    emma, lucas = billed.world.children
    before = snapshot()
    response = record(manager_client(), billed.alae_monday, {emma: "absent", lucas: "present"})
    assert response.status_code == 409
    assert_refusal_names_the_invoice(response.content.decode(), billed.invoice)
    assert snapshot() == before  # Lucas's mark (accepted alone) was not recorded either


def test_a_billed_present_without_booking_is_not_deleted_by_not_here():
    billed = billed_october()
    lucas = billed.world.children[1]
    before = snapshot()
    response = record(manager_client(), billed.leisure_tuesday, {lucas: "absent"})
    assert response.status_code == 409
    assert_refusal_names_the_invoice(response.content.decode(), billed.invoice)
    assert Attendance.objects.filter(pk=billed.surcharge.pk, charge_cents=555).exists()
    assert snapshot() == before


def test_a_booked_day_billed_unmarked_can_only_be_marked_present():
    billed = billed_october()
    emma = billed.world.children[0]
    client = manager_client()
    html = client.get(sheet_url(billed.leisure_tuesday)).content.decode()
    assert f'id="mark-{emma.pk}-present"' in html
    assert f'id="mark-{emma.pk}-absent_justified"' not in html
    before = snapshot()
    for mark in ("absent_justified", "absent"):
        response = record(client, billed.leisure_tuesday, {emma: mark})
        assert response.status_code == 409
        assert_refusal_names_the_invoice(response.content.decode(), billed.invoice)
        assert snapshot() == before
    assert record(client, billed.leisure_tuesday, {emma: "present"}).status_code == 302
    assert Attendance.objects.get(child=emma, session=billed.leisure_tuesday).present


def test_a_day_billed_as_not_used_cannot_be_justified_afterwards():
    billed = billed_october()
    emma = billed.world.children[0]
    client = manager_client()
    html = client.get(sheet_url(billed.leisure_13)).content.decode()
    assert "Justify the absence" not in html
    assert f"Already invoiced on invoice {billed.invoice.number}" in html
    before = snapshot()
    response = record(client, billed.leisure_13, {emma: "absent_justified"})
    assert response.status_code == 409
    assert_refusal_names_the_invoice(response.content.decode(), billed.invoice)
    response = client.post(
        reverse("backoffice:attendance_justify", args=[billed.leisure_13.pk]),
        {"child": emma.pk},
    )
    assert response.status_code == 409
    assert_refusal_names_the_invoice(response.content.decode(), billed.invoice)
    assert snapshot() == before
