"""POST /api/v1/requests/{id}/messages: the family writes to the service while the
request is being dealt with; the answer is the new line of its history."""

import datetime

import pytest

from portail.procedures import services
from portail.procedures.models import RequestEvent
from portail.reservations.models import Channel
from tests.api.conftest import error_of
from tests.world.procedures import request_in

from .conftest import EVENT_KEYS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("status", ["submitted", "in_progress", "needs_info"])
def test_a_message_is_201_with_the_event(api, status):
    request = request_in(api.desk, "contact", status)

    response = api.post(
        api.family, f"/requests/{request.pk}/messages", {"text": "  Voici l'avis.  "}
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == EVENT_KEYS
    assert (body["status"], body["by"], body["message"]) == (
        status,
        api.desk.user.email,
        "Voici l'avis.",
    )
    assert datetime.datetime.fromisoformat(body["at"]).utcoffset() == datetime.timedelta(hours=1)
    event = RequestEvent.objects.filter(request=request).latest("pk")
    assert (event.kind, event.channel, event.message) == ("family_message", "api", "Voici l'avis.")
    detail = api.get(api.family, f"/requests/{request.pk}").json()
    assert detail["events"][-1] == body


def test_the_services_answer_is_in_the_history_as_the_service(api):
    request = request_in(api.desk, "contact", "submitted")
    services.staff_message(
        request.pk, "C'est noté.", actor=api.desk.staff, channel=Channel.BACKOFFICE
    )

    events = api.get(api.family, f"/requests/{request.pk}").json()["events"]

    assert (events[-1]["by"], events[-1]["message"]) == ("Management service", "C'est noté.")


@pytest.mark.parametrize("status", ["draft", "accepted", "refused"])
def test_no_message_on_a_draft_or_once_decided(api, status):
    request = request_in(api.desk, "contact", status)
    before = RequestEvent.objects.count()

    response = api.post(api.family, f"/requests/{request.pk}/messages", {"text": "Bonjour"})

    assert response.status_code == 409
    assert error_of(response)["code"] == "status"
    assert RequestEvent.objects.count() == before


@pytest.mark.parametrize(
    "body", [{}, {"text": ""}, {"text": "   "}, {"text": 3}, {"text": "x" * 5001}, {"message": "x"}]
)
def test_an_empty_or_too_long_message_is_refused(api, body):
    request = request_in(api.desk, "contact", "submitted")
    before = RequestEvent.objects.count()

    response = api.post(api.family, f"/requests/{request.pk}/messages", body)

    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "invalid_field"
    assert error["field"] in {"text", "message"}
    assert RequestEvent.objects.count() == before
