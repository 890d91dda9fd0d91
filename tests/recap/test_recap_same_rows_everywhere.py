"""The recap's page, its PDF and the API's history show the same rows, one per event; the
API keeps its fields (and adds what the PDF shows: the event, the option, "non utilisé",
the credit); the queries do not grow with the rows."""

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portail.reservations.models import HistoryEntry
from tests.recap.events_story import CANTEEN
from tests.world.commune import PASSWORD
from tests.world.staff import client_for

pytestmark = pytest.mark.django_db

KEYS = {"date", "activity", "action", "who", "when", "channel", "price_cents"}
ADDED = {"event", "option", "detail", "pending", "validated_at", "not_used", "credit_cents"}


def api_client(email: str) -> Client:
    response = Client().post(
        "/api/v1/auth/token",
        data=json.dumps({"email": email, "password": PASSWORD}),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    token = response.json()["token"]
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="en")


def test_api_rows_are_the_events(week):
    rows = api_client(week.world.user.email).get(f"/api/v1/children/{week.world.child.pk}/history")
    assert rows.status_code == 200
    rows = rows.json()
    assert all(set(row) == KEYS | ADDED for row in rows)
    parent = week.world.user.email
    staff, booked_at = "Management service", "2026-12-01T09:00:00+01:00"
    monday, tuesday = "2026-12-07T14:00:00+01:00", "2026-12-08T14:00:00+01:00"
    cancelled_at = "2026-12-01T10:00:00+01:00"
    assert [
        (r["date"], r["event"], r["action"], r["who"], r["when"], r["not_used"], r["credit_cents"])
        for r in rows
    ] == [
        ("2026-12-07", "booked", "add_reservation", parent, booked_at, None, None),
        ("2026-12-07", "absent", "attendance_absent", staff, monday, True, None),
        ("2026-12-08", "booked", "add_reservation", parent, booked_at, None, None),
        ("2026-12-08", "present", "attendance_present", staff, tuesday, False, None),
        ("2026-12-10", "booked", "add_reservation", parent, booked_at, None, None),
        ("2026-12-10", "cancelled", "remove_reservation", parent, cancelled_at, None, 370),
    ]  # fmt: skip
    booked = rows[0]
    assert booked["detail"] == "paid"
    assert booked["validated_at"] == "2026-12-01T09:03:00+01:00"
    assert booked["pending"] is False
    assert booked["channel"] == "web"
    assert {r["option"] for r in rows} == {r["activity"] for r in rows} == {CANTEEN}
    assert rows[-1]["detail"] == "cancellation_validated"
    # The history holds more rows than the events: the request and its payment are one.
    assert HistoryEntry.objects.filter(child=week.world.child).count() > len(rows)


def test_the_page_shows_the_pdfs_rows(week):
    url = reverse("families:enrolment_history", args=[week.enrolment.pk])
    page = client_for(week.world.user, "en").get(url).content.decode()
    assert page.count("<tr>") == 2 + 6  # the two header rows, then one row per event
    assert page.count("Added: RESERVATION") == 3
    assert page.count("Removed: RESERVATION") == 1
    assert "Credit: €3.70" in page
    assert '<th scope="col">Not used</th>' in page
    assert '<td class="recap__not-used">Yes</td>' in page
    assert '<td class="recap__not-used">No</td>' in page
    assert page.count(f"<td>{CANTEEN}</td>") == 6
    assert week.other_parent.email not in page


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_queries_do_not_grow_with_the_rows(week):
    """A day more of history and attendance costs no query more, on the page, the PDF and
    the API."""
    world, child = week.world, week.world.child
    parent = client_for(world.user)
    api = api_client(world.user.email)
    urls = [
        (parent, reverse("families:enrolment_history", args=[week.enrolment.pk])),
        (parent, reverse("families:enrolment_recap_pdf", args=[week.enrolment.pk])),
        (api, f"/api/v1/children/{child.pk}/history"),
    ]
    for client, url in urls:  # a first request records the token's use
        queries(client, url)
    before = [queries(client, url) for client, url in urls]
    entries = list(HistoryEntry.objects.filter(child=child))
    for entry in entries:
        entry.pk = None
        entry.session = world.sessions[max(world.sessions)]
    HistoryEntry.objects.bulk_create(entries)
    assert [queries(client, url) for client, url in urls] == before
