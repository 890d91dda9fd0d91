"""A request's page: number, status in words, the data as sent with labels (not JSON), the
history with who did what, the refusal's reason; in French and English."""

import pytest

from portail.procedures import services
from tests.world.procedures import BACKOFFICE, request_in
from tests.world.web import fr

from .helpers import page, url

pytestmark = pytest.mark.django_db


def test_the_data_is_shown_with_labels_and_names(d, parent):
    sent = request_in(d, "enrolment", "submitted")
    text = page(parent.get(url("detail", sent.number)))
    assert f"{sent.number} - INSCRIPTION A UNE ACTIVITE" in text
    assert "Child" in text and f"{d.child.first_name} {d.child.last_name}" in text
    assert "Activity" in text and d.activity.name in text
    assert "16/11/2026" in text  # a date as people write it
    assert "child_id" not in text and "{" not in text


def test_the_family_file_shows_its_rows(d, parent):
    sent = request_in(d, "family_file", "submitted")
    text = page(parent.get(url("detail", sent.number)))
    assert "Guardians" in text and "Marie MARTIN" in text
    assert "PAI (individual care plan) : Yes" in text
    assert "Jean MARTIN" in text and "Grand-père" in text
    assert "2026-2027" in text


def test_the_early_childhood_status_is_the_commissions(d, parent):
    waiting = request_in(d, "early_childhood", "waiting_list")
    text = page(parent.get(url("detail", waiting.number)))
    assert "Waiting list" in text
    assert d.activity.site.name in text  # the site wished, by name
    submitted = request_in(d, "early_childhood", "submitted")
    assert "Awaiting the commission" in page(parent.get(url("detail", submitted.number)))


def test_the_history_says_when_who_and_what(d, parent):
    sent = request_in(d, "contact", "submitted")
    services.take(sent.pk, actor=d.staff, channel=BACKOFFICE)
    text = page(parent.get(url("detail", sent.number)))
    assert d.user.email in text
    assert "Management service" in text
    assert d.staff.email not in text  # the family reads "the service", not the agent
    assert "Being processed" in text


def test_a_refused_request_shows_its_reason(d, parent):
    refused = request_in(d, "qf_declaration", "refused")
    text = page(parent.get(url("detail", refused.number)))
    assert "Reason for the refusal" in text and "Hors délai." in text
    assert "Send the request" not in text


def test_the_page_in_french(d, parent_fr):
    refused = request_in(d, "qf_declaration", "refused")
    response = parent_fr.get(url("detail", refused.number))
    text = page(response)
    assert '<html lang="fr">' in response.content.decode()
    assert "QUOTIENT FAMILIAL - DECLARATION REVENUS" in text
    assert fr("Reason for the refusal") in text


def test_the_documents_checklist_says_what_is_missing(d, parent):
    sent = request_in(d, "address_change", "submitted")
    sent.procedure.required_documents = "Justificatif de domicile"
    sent.procedure.save()
    text = page(parent.get(url("detail", sent.number)))
    assert "Justificatif de domicile – missing" in text
