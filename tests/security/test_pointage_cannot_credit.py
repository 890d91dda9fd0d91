"""An attendance agent (pointage) records an absence and that a medical certificate was
handed in, but never creates credit: crediting the day's price is a gestionnaire's
decision, a separate action (back office and staff API), written once."""

import pytest
from django.urls import reverse
from django.utils import translation

from portail.api.openapi import build_document
from portail.backoffice.attendance.justified import justify_absence
from portail.backoffice.attendance.marks import MarksRefused, record_marks
from portail.backoffice.attendance.sheet import Mark
from portail.billing import credits
from portail.billing.models import CreditEntry, CreditKind
from portail.reservations.models import Attendance, HistoryAction, HistoryEntry
from tests.factories import paid_booking
from tests.world.staff import client_for
from tests.world.town import build_town

pytestmark = pytest.mark.django_db

API_MARK = "/api/v1/staff/attendance"
API_JUSTIFY = "/api/v1/staff/attendance/justify"


@pytest.fixture
def town():
    with translation.override("en"):
        yield build_town()


def justify_url(session) -> str:
    return reverse("backoffice:attendance_justify", args=[session.pk])


def test_the_agent_marking_a_certificate_through_the_api_credits_nothing(town):
    booking = paid_booking(town.emy, town.yesterday, price=555)
    response = client_for(town.pointage, "en").post(
        API_MARK,
        {"session_id": town.yesterday.pk, "child_id": town.emy.pk, "status": "absent_justified"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == "absent_justified"
    assert not CreditEntry.objects.exists()
    assert credits.balance_cents(town.martin) == 0
    mark = Attendance.objects.get(child=town.emy, session=town.yesterday)
    assert (mark.present, mark.justified) == (False, True)  # the certificate is recorded
    assert booking.credit_entries.count() == 0


def test_the_agent_marking_a_certificate_on_the_sheet_credits_nothing(town):
    paid_booking(town.emy, town.today, price=555)
    client = client_for(town.pointage, "en")
    response = client.post(
        reverse("backoffice:attendance_record", args=[town.today.pk]),
        {f"mark-{town.emy.pk}": "absent_justified"},
    )
    assert response.status_code == 302
    assert Attendance.objects.get(child=town.emy).justified
    assert not CreditEntry.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "€" not in page  # still no amount for an agent
    assert justify_url(town.today) not in page  # and no button to credit


def test_the_agent_cannot_justify_by_any_channel(town):
    paid_booking(town.emy, town.yesterday)
    record_marks(town.yesterday, [(town.emy.pk, Mark.ABSENT_JUSTIFIED)], actor=town.pointage)
    client = client_for(town.pointage, "en")
    page = client.post(justify_url(town.yesterday), {"child": town.emy.pk})
    assert page.status_code == 403
    api = client.post(
        API_JUSTIFY,
        {"session_id": town.yesterday.pk, "child_id": town.emy.pk},
        content_type="application/json",
    )
    assert api.status_code == 403 and api.json()["error"]["code"] == "permission_denied"
    kitchen = client_for(town.cuisine, "en").post(
        API_JUSTIFY,
        {"session_id": town.yesterday.pk, "child_id": town.emy.pk},
        content_type="application/json",
    )
    assert kitchen.status_code == 403
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        justify_absence(town.yesterday, town.emy.pk, actor=town.pointage)
    assert not CreditEntry.objects.exists()


def test_the_gestionnaire_justifies_on_the_sheet_once(town):
    booking = paid_booking(town.emy, town.yesterday, price=555)
    record_marks(town.yesterday, [(town.emy.pk, Mark.ABSENT_JUSTIFIED)], actor=town.pointage)
    client = client_for(town.gestionnaire, "en")
    sheet = client.get(reverse("backoffice:attendance") + f"?seance={town.yesterday.pk}")
    html = sheet.content.decode()
    assert justify_url(town.yesterday) in html  # the decision waits for the gestionnaire
    # Sending the sheet again (the certificate's radio is checked) decides nothing.
    again = client.post(
        reverse("backoffice:attendance_record", args=[town.yesterday.pk]),
        {f"mark-{town.emy.pk}": "absent_justified"},
    )
    assert again.status_code == 302 and not CreditEntry.objects.exists()
    response = client.post(justify_url(town.yesterday), {"child": town.emy.pk})
    assert response.status_code == 302
    entry = CreditEntry.objects.get(household=town.martin)
    assert (entry.kind, entry.amount_cents, entry.booking_id, entry.actor) == (
        CreditKind.JUSTIFIED_ABSENCE,
        555,
        booking.pk,
        town.gestionnaire,
    )
    twice = client.post(justify_url(town.yesterday), {"child": town.emy.pk})
    assert twice.status_code == 409
    assert CreditEntry.objects.count() == 1
    history = list(
        HistoryEntry.objects.filter(child=town.emy).values_list("action", "detail", "price_cents")
    )
    assert history == [
        (HistoryAction.ATTENDANCE_ABSENT, "", 555),
        (HistoryAction.ATTENDANCE_ABSENT, "justified_absence", 555),
    ]
    # Credited: the mark is final, for the agent as for the gestionnaire.
    with pytest.raises(MarksRefused):
        record_marks(town.yesterday, [(town.emy.pk, Mark.PRESENT)], actor=town.pointage)


def test_the_gestionnaire_justifies_through_the_api_once(town):
    paid_booking(town.emy, town.yesterday, price=370)
    record_marks(town.yesterday, [(town.emy.pk, Mark.ABSENT)], actor=town.pointage)
    client = client_for(town.gestionnaire, "en")

    def post(child):
        return client.post(
            API_JUSTIFY,
            {"session_id": town.yesterday.pk, "child_id": child.pk},
            content_type="application/json",
        )

    ok = post(town.emy)
    assert ok.status_code == 200
    assert ok.json() == {
        "session_id": town.yesterday.pk,
        "child_id": town.emy.pk,
        "status": "absent_justified",
        "credit_cents": 370,
    }
    assert credits.balance_cents(town.martin) == 370
    again = post(town.emy)
    assert again.status_code == 409 and again.json()["error"]["code"] == "justification_refused"
    assert CreditEntry.objects.count() == 1
    # A child not marked absent has nothing to justify.
    paid_booking(town.lise, town.yesterday)
    assert post(town.lise).status_code == 409
    assert CreditEntry.objects.count() == 1


def test_the_openapi_document_describes_the_justification(town):
    document = build_document()
    operation = document["paths"][API_JUSTIFY.removeprefix("/api/v1")]["post"]
    assert "gestionnaire" in operation["description"].lower()
    mark = document["paths"]["/staff/attendance"]["post"]["description"]
    assert "never credits" in mark
