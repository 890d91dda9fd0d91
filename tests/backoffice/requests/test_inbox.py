"""The inbox: what it lists by default (needing action, oldest first, never drafts), its
filters (procedure, status, assignee, age), each row's facts (number, household,
procedure, status in words, submitted date, age, assignee, missing documents), its pages,
the menu's number, and a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portail.procedures import services
from portail.procedures.models import Request, RequestStatus
from tests.clock import NOW
from tests.world import staff
from tests.world.procedures import BACKOFFICE, request_in
from tests.world.staff import client_for
from tests.world.web import text_of

from .conftest import PROOF, attach

pytestmark = pytest.mark.django_db
S = RequestStatus
INBOX = reverse("backoffice:requests")


def submitted_days_ago(request: Request, days: int) -> Request:
    Request.objects.filter(pk=request.pk).update(submitted_at=NOW - datetime.timedelta(days=days))
    request.refresh_from_db()
    return request


def row_text(html: str, request: Request) -> str:
    """The text of the table row that links to `request`."""
    link = f'href="{reverse("backoffice:request", kwargs={"pk": request.pk})}"'
    rows = [row for row in html.split("<tr>") if link in row]
    assert len(rows) == 1
    return text_of(rows[0].split("</tr>")[0])


def numbers(response) -> list[int]:
    """The request numbers listed, in the page's order."""
    return [row.request.number for row in response.context["rows"]]


def test_default_lists_what_needs_action_oldest_first_and_never_drafts(desk, desk_client):
    old = submitted_days_ago(request_in(desk, "contact", S.SUBMITTED), 12)
    waiting = submitted_days_ago(request_in(desk, "early_childhood", S.WAITING_LIST), 30)
    taken = submitted_days_ago(request_in(desk, "qf_declaration", S.IN_PROGRESS), 5)
    to_complete = submitted_days_ago(request_in(desk, "contact", S.NEEDS_INFO), 8)
    fresh = request_in(desk, "address_change", S.SUBMITTED)
    draft = request_in(desk, "contact", S.DRAFT)
    accepted = request_in(desk, "contact", S.ACCEPTED)
    refused = request_in(desk, "contact", S.REFUSED)

    response = desk_client.get(INBOX)

    assert response.status_code == 200
    assert numbers(response) == [
        waiting.number,
        old.number,
        to_complete.number,
        taken.number,
        fresh.number,
    ]
    listed = set(numbers(response))
    assert not listed & {draft.number, accepted.number, refused.number}


def test_a_row_says_number_household_procedure_status_date_age_assignee_documents(
    desk, desk_client
):
    move = submitted_days_ago(request_in(desk, "address_change", S.SUBMITTED), 9)
    taken = request_in(desk, "contact", S.IN_PROGRESS)

    html = desk_client.get(INBOX).content.decode()

    row = row_text(html, move)
    assert desk.household.name in row
    assert "DECLARER UN CHANGEMENT D'ADRESSE" in row
    assert " Submitted " in row
    assert (NOW - datetime.timedelta(days=9)).strftime("%d/%m/%Y") in row
    assert " 9 " in row
    assert "Nobody" in row
    assert "1 document missing" in row
    row = row_text(html, taken)
    assert "Being processed" in row
    assert "Camille ROUX" in row  # taken: assigned to the one who took it
    assert "Complete" in row  # the contact procedure asks for no document


def test_the_missing_documents_flag_follows_the_checklist(desk, desk_client):
    move = request_in(desk, "address_change", S.SUBMITTED)
    assert desk_client.get(INBOX).context["rows"][0].missing == [PROOF]
    attach(desk, move, "facture.pdf", document=PROOF)
    assert desk_client.get(INBOX).context["rows"][0].missing == []


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"procedure": "contact"}, {"contact_submitted", "contact_taken"}),
        ({"procedure": "early_childhood"}, {"crèche"}),
        ({"status": "in_progress"}, {"contact_taken", "qf_taken_by_other"}),
        ({"status": "accepted"}, {"accepted"}),
        (
            {"status": "all"},
            {
                "contact_submitted",
                "contact_taken",
                "qf_taken_by_other",
                "crèche",
                "accepted",
            },
        ),
        ({"assigned": "me"}, {"contact_taken"}),
        ({"assigned": "nobody"}, {"contact_submitted", "crèche"}),
        ({"older_than": "10"}, {"crèche"}),
        ({"older_than": "3"}, {"crèche", "contact_submitted"}),
        (
            {"older_than": "0"},
            {"contact_submitted", "contact_taken", "qf_taken_by_other", "crèche"},
        ),
        ({"procedure": "contact", "assigned": "nobody"}, {"contact_submitted"}),
    ],
)
def test_filters(desk, desk_client, params, expected):
    colleague = request_in(desk, "qf_declaration", S.SUBMITTED)
    someone_else = staff.gestionnaire()
    services.take(colleague.pk, actor=someone_else, channel=BACKOFFICE)
    made = {
        "contact_submitted": submitted_days_ago(request_in(desk, "contact", S.SUBMITTED), 3),
        "contact_taken": request_in(desk, "contact", S.IN_PROGRESS),
        "qf_taken_by_other": colleague,
        "crèche": submitted_days_ago(request_in(desk, "early_childhood", S.SUBMITTED), 10),
        "accepted": request_in(desk, "address_change", S.ACCEPTED),
    }
    request_in(desk, "contact", S.DRAFT)

    response = desk_client.get(INBOX, params)

    assert response.status_code == 200
    assert set(numbers(response)) == {made[name].number for name in expected}


@pytest.mark.parametrize(
    "params",
    [
        {"status": "draft"},
        {"status": "nonsense"},
        {"procedure": "unknown"},
        {"assigned": "everyone"},
        {"older_than": "-1"},
        {"older_than": "abc"},
        {"older_than": "99999999999999999999"},
    ],
)
def test_a_bad_filter_is_said_and_the_default_list_shown(desk, desk_client, params):
    submitted = request_in(desk, "contact", S.SUBMITTED)
    response = desk_client.get(INBOX, params)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert numbers(response) == [submitted.number]


def test_pages_of_fifty(desk, desk_client):
    first = request_in(desk, "contact", S.SUBMITTED)
    for _n in range(50):
        request_in(desk, "contact", S.SUBMITTED)
    page_one = desk_client.get(INBOX)
    assert len(page_one.context["rows"]) == 50
    assert numbers(page_one)[0] == first.number
    assert "Page 1 of 2" in text_of(page_one.content.decode())
    page_two = desk_client.get(INBOX, {"page": "2", "procedure": "contact"})
    assert len(page_two.context["rows"]) == 1
    assert 'href="?procedure=contact&amp;page=1"' in page_two.content.decode()


def test_the_menu_shows_the_requests_waiting_to_gestionnaires(desk, desk_client):
    request_in(desk, "contact", S.SUBMITTED)
    request_in(desk, "contact", S.NEEDS_INFO)
    request_in(desk, "contact", S.DRAFT)
    request_in(desk, "contact", S.ACCEPTED)
    html = desk_client.get(reverse("backoffice:index")).content.decode()
    assert f'href="{INBOX}"' in html
    assert "Requests (2 waiting)" in html
    assert f'href="{reverse("backoffice:procedures")}"' in html


def test_the_menu_has_no_requests_link_for_other_roles(desk, pointage, cuisine):
    for user in (pointage, cuisine):
        html = client_for(user, "en").get(reverse("backoffice:index")).content.decode()
        assert INBOX not in html
        assert reverse("backoffice:procedures") not in html


def _queries(client, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(INBOX, params or {}).status_code == 200
    return len(queries)


def test_a_fixed_number_of_queries_whatever_the_number_of_requests(desk, desk_client):
    move = request_in(desk, "address_change", S.SUBMITTED)
    attach(desk, move)
    request_in(desk, "contact", S.IN_PROGRESS)
    few = _queries(desk_client)
    for _n in range(4):
        attach(desk, request_in(desk, "address_change", S.SUBMITTED))
        request_in(desk, "contact", S.IN_PROGRESS)
        request_in(desk, "early_childhood", S.WAITING_LIST)
    many = _queries(desk_client)
    assert many == few
    assert many <= 7, many
    assert _queries(desk_client, {"status": "all", "assigned": "me"}) == few
