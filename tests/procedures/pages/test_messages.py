"""Messages to the service on a request: while it is sent and not decided; an empty
message is refused on its field, the text kept."""

import pytest

from portail.procedures import services
from portail.procedures.models import EventKind
from tests.world.procedures import BACKOFFICE, request_in

from .helpers import page, url

pytestmark = pytest.mark.django_db


def test_a_message_is_sent_and_shown_with_the_services_answer(d, parent):
    sent = request_in(d, "contact", "submitted")
    response = parent.post(url("message", sent.number), {"text": "Merci de me rappeler."})
    assert response["Location"] == url("detail", sent.number)
    services.staff_message(sent.pk, "C'est noté.", actor=d.staff, channel=BACKOFFICE)
    text = page(parent.get(response["Location"]))
    assert "Your message has been sent to the service." in text
    assert "Merci de me rappeler." in text and "C'est noté." in text
    assert sent.events.filter(kind=EventKind.FAMILY_MESSAGE).count() == 1


def test_an_empty_message_is_refused_on_its_field(d, parent):
    sent = request_in(d, "contact", "submitted")
    response = parent.post(url("message", sent.number), {"text": "   "})
    html = response.content.decode()
    assert "Write a message." in page(response)
    assert 'aria-describedby="id_text_error"' in html
    assert sent.events.filter(kind=EventKind.FAMILY_MESSAGE).count() == 0


def test_no_message_form_on_a_draft_or_a_decided_request(d, parent):
    for status in ("draft", "accepted"):
        req = request_in(d, "contact", status)
        assert 'name="text"' not in parent.get(url("detail", req.number)).content.decode()
    response = parent.post(url("message", req.number), {"text": "Encore une question"})
    assert "this cannot be done now" in page(parent.get(response["Location"]))
    assert req.events.filter(kind=EventKind.FAMILY_MESSAGE).count() == 0
