"""POST /api/v1/staff/requests/{id}/decision: accept (and its effect, seen through the
API: the address, the QF band of the next booked day, the enrolment in the planning),
refuse with a reason, ask for more, the early childhood waiting list; wrong statuses 409,
missing reasons 422, nothing changed."""

import datetime

import pytest
from django.core import mail

from portail.activities.models import Enrolment
from portail.families.models import FamilyFile
from portail.procedures.models import Request
from tests import factories
from tests.api.conftest import error_of
from tests.world.days import MONDAY, TUESDAY, WEEK, week_code
from tests.world.procedures import request_in, valid_data

from .conftest import STAFF_REQUEST_KEYS

pytestmark = pytest.mark.django_db
D = datetime.date


def sent(api, code: str) -> int:
    """A request of `code` created and sent by the family through the API: its id."""
    response = api.create(code, valid_data(api.desk, code))
    assert response.status_code == 201, response.content
    return response.json()["id"]


def test_accepting_a_change_of_address_changes_the_households_address(api):
    request_id = sent(api, "address_change")
    mail.outbox.clear()

    response = api.decide(request_id, "accept")

    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == STAFF_REQUEST_KEYS
    assert body["status"] == "accepted"
    assert body["decided_at"] is not None
    assert body["events"][-1]["by"] == api.desk.staff.email
    household = api.get(api.family, "/household").json()
    assert household["address"] == {
        "line": "12 rue des Lilas",
        "postal_code": "11310",
        "city": "Saissac",
    }
    assert len(mail.outbox) == 1  # the family is told
    family_view = api.get(api.family, f"/requests/{request_id}").json()
    assert (family_view["status"], family_view["events"][-1]["by"]) == (
        "accepted",
        "Management service",
    )


def test_an_accepted_qf_prices_the_next_booked_day_with_its_band(api):
    d = api.desk
    evening = factories.activity(name="Accueil du soir", default_capacity=20)
    factories.tariff([evening], [(0, 700, 200, 300), (701, None, 370, 555)])
    sessions = {day: factories.session(evening, day) for day in WEEK}
    factories.enrolment(d.child, evening)

    def monday_price() -> int:
        cells = api.get(api.family, "/planning", week=week_code(MONDAY)).json()["cells"]
        (cell,) = [
            c
            for c in cells
            if (c["child_id"], c["activity_id"], c["date"])
            == (d.child.pk, evening.pk, "2026-12-07")
        ]
        return cell["price_cents"]

    def book(day) -> dict:
        response = api.post(
            api.family,
            "/basket",
            {"add": [{"child_id": d.child.pk, "session_id": sessions[day].pk}]},
        )
        assert response.status_code == 201, response.content
        return {line["date"]: line["unit_price_cents"] for line in response.json()["lines"]}

    assert api.get(api.family, "/household").json()["quotient"] is None
    assert monday_price() == 370  # no QF: the highest band
    assert book(TUESDAY) == {"2026-12-08": 370}
    request_id = sent(api, "qf_declaration")  # 650 from 1 December 2026 to 31 July 2027

    assert api.decide(request_id, "accept").status_code == 200

    assert monday_price() == 200
    # The next day booked takes the new band; the day booked before keeps its price.
    assert book(MONDAY) == {"2026-12-07": 200, "2026-12-08": 370}


def test_the_household_shows_the_accepted_qf_once_it_is_valid(api, time_machine):
    request_id = sent(api, "qf_declaration")
    api.decide(request_id, "accept")
    assert api.get(api.family, "/household").json()["quotient"] is None  # from 1 December

    time_machine.move_to(datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC))

    assert api.get(api.family, "/household").json()["quotient"] == {
        "value": 650,
        "valid_from": "2026-12-01",
        "valid_to": "2027-07-31",
    }


def test_an_accepted_enrolment_appears_in_the_planning(api):
    d = api.desk

    def blocks():
        cells = api.get(api.family, "/planning", week=week_code(MONDAY)).json()["cells"]
        return [
            (c["date"], c["activity_id"], c["state"]) for c in cells if c["child_id"] == d.child.pk
        ]

    assert blocks() == []
    request_id = sent(api, "enrolment")

    assert api.decide(request_id, "accept").status_code == 200

    assert blocks() == [(day.isoformat(), d.activity.pk, "not_reserved") for day in WEEK]
    (child,) = [
        c for c in api.get(api.family, "/household").json()["children"] if c["id"] == d.child.pk
    ]
    assert [(e["activity"]["id"], e["valid_from"], e["valid_to"]) for e in child["enrolments"]] == [
        (d.activity.pk, "2026-11-16", "2027-07-02")
    ]


def test_an_enrolment_made_meanwhile_is_409_and_nothing_changes(api):
    request_id = sent(api, "enrolment")
    factories.enrolment(api.desk.child, api.desk.activity, D(2026, 11, 1), D(2026, 12, 31))

    response = api.decide(request_id, "accept")

    assert response.status_code == 409
    assert error_of(response)["code"] == "already_enrolled"
    assert Request.objects.get(pk=request_id).status == "submitted"
    assert Enrolment.objects.filter(child=api.desk.child).count() == 1


def test_an_accepted_family_file_is_recorded(api):
    request_id = sent(api, "family_file")

    assert api.decide(request_id, "accept", "Merci.").status_code == 200

    assert FamilyFile.objects.get(household=api.desk.household).request_number == request_id


def test_refusing_needs_a_reason(api):
    request_id = sent(api, "contact")
    mail.outbox.clear()

    response = api.decide(request_id, "refuse")

    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "invalid_request"
    assert error["fields"] == {"message": "Give the reason for the refusal."}
    assert Request.objects.get(pk=request_id).status == "submitted"
    assert mail.outbox == []

    refused = api.decide(request_id, "refuse", "Hors délai.")

    assert refused.status_code == 200
    assert refused.json()["status"] == "refused"
    events = api.get(api.family, f"/requests/{request_id}").json()["events"]
    assert (events[-1]["status"], events[-1]["message"]) == ("refused", "Hors délai.")
    assert len(mail.outbox) == 1


def test_asking_for_more_sends_it_back_to_the_family(api):
    request_id = sent(api, "qf_declaration")

    missing = api.decide(request_id, "ask_more")
    assert missing.status_code == 422
    assert set(error_of(missing)["fields"]) == {"message"}

    response = api.decide(request_id, "ask_more", "Il manque l'avis d'imposition.")

    assert response.status_code == 200
    assert response.json()["status"] == "needs_info"
    again = api.patch(api.family, f"/requests/{request_id}", {"submit": True})
    assert again.json()["status"] == "submitted"


def test_the_early_childhood_waiting_list_then_acceptance(api):
    request_id = sent(api, "early_childhood")

    waiting = api.decide(request_id, "waiting_list", "Commission du 12 janvier.")

    assert waiting.status_code == 200
    assert waiting.json()["status"] == "waiting_list"
    assert api.decide(request_id, "accept").json()["status"] == "accepted"


def test_no_waiting_list_outside_early_childhood(api):
    request_id = sent(api, "contact")

    response = api.decide(request_id, "waiting_list")

    assert response.status_code == 409
    assert error_of(response)["code"] == "status"
    assert Request.objects.get(pk=request_id).status == "submitted"


@pytest.mark.parametrize("status", ["draft", "needs_info", "accepted", "refused"])
@pytest.mark.parametrize("decision", ["accept", "refuse", "ask_more"])
def test_a_wrong_status_is_409(api, status, decision):
    request = request_in(api.desk, "contact", status)
    mail.outbox.clear()

    response = api.decide(request.pk, decision, "Motif.")

    assert response.status_code == 409
    error = error_of(response)
    assert error["code"] == "status"
    assert Request.objects.get(pk=request.pk).status == status
    assert mail.outbox == []


def test_an_unknown_request_is_404(api):
    for request_id in (999999, 2**63 + 1):
        response = api.decide(request_id, "accept")

        assert response.status_code == 404
        assert error_of(response)["code"] == "not_found"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"decision": "approve"}, "decision"),
        ({}, "decision"),
        ({"decision": "refuse", "message": ""}, "message"),
        ({"decision": "refuse", "message": "   "}, "message"),
        ({"decision": "refuse", "message": "x" * 5001}, "message"),
        ({"decision": "refuse", "message": 3}, "message"),
        ({"decision": "accept", "notify": False}, "notify"),
    ],
)
def test_bad_bodies_are_422_and_change_nothing(api, body, field):
    request_id = sent(api, "contact")

    response = api.post(api.manager, f"/staff/requests/{request_id}/decision", body)

    assert response.status_code == 422
    error = error_of(response)
    assert (error["code"], error["field"]) == ("invalid_field", field)
    assert Request.objects.get(pk=request_id).status == "submitted"
