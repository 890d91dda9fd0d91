"""Drafts continued (CONTINUER), saved again and sent; a request to complete (needs_info)
edited and sent again; a request the family can no longer change."""

import pytest

from portail.procedures import services
from portail.procedures.models import Request, RequestStatus
from tests.world.procedures import BACKOFFICE, WEB, request_in, valid_data

from .helpers import page, url, with_action

pytestmark = pytest.mark.django_db


def draft(d, code, data):
    return services.create_draft(d.household, code, data, actor=d.user, channel=WEB)


def test_a_draft_is_continued_with_its_data(d, parent):
    saved = draft(d, "contact", {"service": "Cantine", "subject": "Menus"})
    html = parent.get(url("edit", saved.number)).content.decode()
    assert 'value="Cantine"' in html and 'value="Menus"' in html
    assert f"{saved.number} - CONTACTER UN SERVICE" in page(parent.get(url("edit", saved.number)))


def test_a_draft_is_saved_again_then_sent(d, parent):
    saved = draft(d, "contact", {"service": "Cantine"})
    data = valid_data(d, "contact")
    response = parent.post(url("edit", saved.number), with_action({**data, "message": ""}, "save"))
    assert response["Location"] == url("detail", saved.number)
    saved.refresh_from_db()
    assert saved.status == RequestStatus.DRAFT
    assert saved.data == {"service": data["service"], "subject": data["subject"]}
    response = parent.post(url("edit", saved.number), with_action(data, "submit"))
    assert response["Location"] == url("detail", saved.number)
    saved.refresh_from_db()
    assert saved.status == RequestStatus.SUBMITTED
    assert saved.data == data


def test_sending_an_incomplete_draft_keeps_the_changes_and_shows_the_errors(d, parent):
    saved = draft(d, "contact", {"service": "Cantine"})
    text = page(
        parent.post(
            url("edit", saved.number),
            with_action({"service": "Cantine", "subject": "Menus"}, "submit"),
        )
    )
    assert "Your changes are saved, but the request cannot be sent yet." in text
    assert "This field is required." in text
    saved.refresh_from_db()
    assert saved.status == RequestStatus.DRAFT
    assert saved.data == {"service": "Cantine", "subject": "Menus"}


def test_the_send_button_of_the_request_page_sends_a_complete_draft(d, parent):
    saved = request_in(d, "qf_declaration", "draft")
    response = parent.post(url("submit", saved.number))
    assert response["Location"] == url("detail", saved.number)
    saved.refresh_from_db()
    assert saved.status == RequestStatus.SUBMITTED


def test_the_send_button_on_an_incomplete_draft_shows_its_form_with_errors(d, parent):
    saved = draft(d, "qf_declaration", {"quotient": 500})
    response = parent.post(url("submit", saved.number))
    text = page(response)
    assert "This field is required." in text
    assert 'value="500"' in response.content.decode()
    saved.refresh_from_db()
    assert saved.status == RequestStatus.DRAFT


def test_a_request_to_complete_is_edited_and_sent_again(d, parent):
    asked = request_in(d, "address_change", "needs_info")
    text = page(parent.get(url("detail", asked.number)))
    assert "The service asks you to complete your request:" in text
    assert "Il manque l'avis." in text
    data = {**valid_data(d, "address_change"), "line": "14 rue des Lilas"}
    response = parent.post(url("edit", asked.number), with_action(data, "submit"))
    assert response["Location"] == url("detail", asked.number)
    asked.refresh_from_db()
    assert asked.status == RequestStatus.SUBMITTED
    assert asked.data["line"] == "14 rue des Lilas"


def test_a_sent_request_cannot_be_edited_nor_sent_again(d, parent):
    sent = request_in(d, "contact", "submitted")
    response = parent.get(url("edit", sent.number))
    assert response["Location"] == url("detail", sent.number)
    assert "it cannot be changed any more" in page(parent.get(response["Location"]))
    data = {**valid_data(d, "contact"), "subject": "Changed"}
    parent.post(url("edit", sent.number), with_action(data, "save"))
    response = parent.post(url("submit", sent.number))
    assert response["Location"] == url("detail", sent.number)
    assert "this cannot be done now" in page(parent.get(response["Location"]))
    sent.refresh_from_db()
    assert sent.data["subject"] == valid_data(d, "contact")["subject"]
    assert sent.status == RequestStatus.SUBMITTED


def test_the_household_list_shows_every_request_with_continue_for_drafts(d, parent):
    saved = request_in(d, "contact", "draft")
    sent = request_in(d, "address_change", "submitted")
    refused = request_in(d, "qf_declaration", "refused")
    response = parent.get(url("list"))
    text = page(response)
    html = response.content.decode()
    for req in (saved, sent, refused):
        assert url("detail", req.number) in html
    assert url("edit", saved.number) in html
    assert url("edit", sent.number) not in html
    assert "Draft" in text and "Submitted" in text and "Refused" in text
    services.take(sent.pk, actor=d.staff, channel=BACKOFFICE)
    assert "Being processed" in page(parent.get(url("list")))
    assert Request.objects.filter(household=d.household).count() == 3
