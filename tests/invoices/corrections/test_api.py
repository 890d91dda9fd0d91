"""The staff API answers a correction of a billed fact with 409 `already_invoiced`, the
message naming the invoice; nothing changes."""

import pytest

from portail.reservations.models import BookingStatus
from tests.invoices.corrections.setup import (
    assert_refusal_names_the_invoice,
    billed_october,
    manager_client,
    snapshot,
)

pytestmark = pytest.mark.django_db


def post(client, url: str, body: dict):
    return client.post(url, body, content_type="application/json")


def assert_already_invoiced(response, billed) -> None:
    assert response.status_code == 409, response.content
    error = response.json()["error"]
    assert error["code"] == "already_invoiced"
    assert_refusal_names_the_invoice(error["message"], billed.invoice)


@pytest.mark.parametrize(
    ("item", "child", "status"),
    [
        ("presence", 0, "absent"),
        ("presence", 0, "absent_justified"),
        ("surcharge", 1, "absent"),
        ("booked_day", 0, "absent_justified"),
        ("unused_mark", 0, "absent_justified"),
        ("unused_mark", 0, "present"),
    ],
)
def test_recording_a_mark_on_a_billed_day_is_refused(item, child, status):
    billed = billed_october()
    session = getattr(billed, item).session
    before = snapshot()
    response = post(
        manager_client(),
        "/api/v1/staff/attendance",
        {"session_id": session.pk, "child_id": billed.world.children[child].pk, "status": status},
    )
    assert_already_invoiced(response, billed)
    assert snapshot() == before


def test_the_same_mark_again_changes_nothing_and_is_accepted():
    billed = billed_october()
    response = post(
        manager_client(),
        "/api/v1/staff/attendance",
        {
            "session_id": billed.alae_monday.pk,
            "child_id": billed.world.children[0].pk,
            "status": "present",
        },
    )
    assert response.status_code == 200
    assert response.json()["changed"] is False


def test_justifying_a_day_billed_as_not_used_is_refused():
    billed = billed_october()
    before = snapshot()
    response = post(
        manager_client(),
        "/api/v1/staff/attendance/justify",
        {"session_id": billed.leisure_13.pk, "child_id": billed.world.children[0].pk},
    )
    assert_already_invoiced(response, billed)
    assert snapshot() == before


def test_cancelling_a_billed_booked_day_for_the_family_is_refused():
    billed = billed_october()
    before = snapshot()
    response = post(
        manager_client(),
        f"/api/v1/staff/households/{billed.world.household.pk}/basket",
        {
            "cancel": [
                {"child_id": billed.world.children[0].pk, "session_id": billed.lone_day.session.pk}
            ],
            "bypass_deadlines": True,
            "reason": "Erreur de saisie",
        },
    )
    assert_already_invoiced(response, billed)
    assert response.json()["error"]["items"] == [
        {
            "child_id": billed.world.children[0].pk,
            "session_id": billed.lone_day.session.pk,
            "code": "already_invoiced",
        }
    ]
    billed.lone_day.refresh_from_db()
    assert billed.lone_day.status == BookingStatus.RESERVED
    assert snapshot() == before


def test_closing_a_billed_day_is_refused():
    billed = billed_october()
    before = snapshot()
    response = post(
        manager_client(),
        f"/api/v1/staff/sessions/{billed.lone_day.session.pk}/close",
        {"reason": "Grève"},
    )
    assert_already_invoiced(response, billed)
    assert snapshot() == before
