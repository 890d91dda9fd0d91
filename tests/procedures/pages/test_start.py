"""Starting a démarche (DEBUT): each procedure's form, saved as a draft or sent, errors per
field from the services, in the user's language, with what was typed kept."""

import pytest

from portail.procedures.models import Procedure, Request, RequestStatus
from tests.world.procedures import valid_data
from tests.world.web import fr

from .helpers import page, start_url, url, with_action

pytestmark = pytest.mark.django_db

CODES = [
    "contact",
    "address_change",
    "qf_declaration",
    "family_file",
    "enrolment",
    "early_childhood",
]


@pytest.mark.parametrize("code", CODES)
def test_each_procedure_has_its_form_in_english(parent, code):
    procedure = Procedure.objects.get(code=code)
    text = page(parent.get(start_url(code)))
    assert procedure.title in text
    assert "Save as draft" in text and "Send the request" in text


@pytest.mark.parametrize("code", CODES)
def test_each_procedure_has_its_form_in_french(parent_fr, code):
    response = parent_fr.get(start_url(code))
    text = page(response)
    assert '<html lang="fr">' in response.content.decode()
    assert Procedure.objects.get(code=code).title in text
    assert fr("Save as draft") in text


def test_the_help_text_and_the_documents_to_provide_are_above_the_form(parent):
    Procedure.objects.filter(code="address_change").update(
        description="Indiquez votre nouvelle adresse.",
        required_documents="Justificatif de domicile\nPièce d'identité",
    )
    text = page(parent.get(start_url("address_change")))
    assert text.index("Indiquez votre nouvelle adresse.") < text.index("Postal code")
    assert "Documents to provide" in text
    assert "Justificatif de domicile" in text and "Pièce d'identité" in text


def test_the_qf_form_says_days_already_paid_keep_their_price(parent):
    text = page(parent.get(start_url("qf_declaration")))
    assert "days already booked or paid keep their price" in text


def test_a_draft_is_saved_with_what_was_filled_in(d, parent):
    response = parent.post(
        start_url("contact"),
        with_action({"service": "Cantine", "subject": "", "message": ""}, "save"),
    )
    draft = Request.objects.get(household=d.household)
    assert draft.status == RequestStatus.DRAFT
    assert draft.data == {"service": "Cantine"}
    assert response.status_code == 302
    assert response["Location"] == url("detail", draft.number)
    text = page(parent.get(response["Location"]))
    assert f"Your draft {draft.number} is saved" in text
    assert "Cantine" in text


def test_a_complete_request_is_sent_at_once(d, parent):
    data = valid_data(d, "address_change")
    response = parent.post(start_url("address_change"), with_action(data, "submit"))
    sent = Request.objects.get(household=d.household)
    assert sent.status == RequestStatus.SUBMITTED
    assert sent.data == data
    assert response["Location"] == url("detail", sent.number)
    assert f"Your request {sent.number} has been sent" in page(parent.get(response["Location"]))


def test_sending_with_errors_shows_each_on_its_field_and_creates_nothing(d, parent):
    data = {**valid_data(d, "address_change"), "postal_code": "113", "city": ""}
    response = parent.post(start_url("address_change"), with_action(data, "submit"))
    html = response.content.decode()
    text = page(response)
    assert Request.objects.count() == 0
    assert "Please correct the errors below." in text
    assert "Expected a postal code of 5 digits." in text
    assert "This field is required." in text
    # Tied to its field, and what was typed is kept.
    assert 'aria-describedby="id_postal_code_error"' in html
    assert 'id="id_postal_code_error"' in html
    assert 'value="113"' in html
    assert 'value="12 rue des Lilas"' in html


def test_errors_are_in_the_users_language(d, parent_fr):
    data = {**valid_data(d, "address_change"), "postal_code": "113"}
    text = page(parent_fr.post(start_url("address_change"), with_action(data, "submit")))
    assert fr("Expected a postal code of 5 digits.") in text
    assert fr("Expected a postal code of 5 digits.") != "Expected a postal code of 5 digits."


def test_a_draft_with_a_wrong_field_is_not_saved_and_says_why(d, parent):
    text = page(
        parent.post(start_url("qf_declaration"), with_action({"quotient": "douze"}, "save"))
    )
    assert "Expected a whole number." in text
    assert Request.objects.count() == 0


def test_the_early_childhood_sites_are_chosen_in_order(d, parent):
    second = d.activity.site.__class__.objects.create(
        organisation=d.activity.site.organisation, name="Crèche Les Lutins"
    )
    data = {**valid_data(d, "early_childhood")}
    data.pop("sites")
    post = {**data, "sites-0": str(second.pk), "sites-1": "", "sites-2": str(d.activity.site.pk)}
    parent.post(start_url("early_childhood"), with_action(post, "submit"))
    sent = Request.objects.get(household=d.household)
    assert sent.data["sites"] == [second.pk, d.activity.site.pk]
    assert sent.status == RequestStatus.SUBMITTED


def test_enrolment_lists_the_households_children_and_the_activities(d, parent):
    html = parent.get(start_url("enrolment")).content.decode()
    for child in d.children:
        assert f'value="{child.pk}"' in html
    assert d.activity.name in html
    data = {k: str(v) for k, v in valid_data(d, "enrolment").items()}
    parent.post(start_url("enrolment"), with_action(data, "submit"))
    assert Request.objects.get(household=d.household).status == RequestStatus.SUBMITTED


def test_a_closed_procedure_is_not_offered_and_says_so(d, parent):
    Procedure.objects.filter(code="contact").update(is_open=False)
    text = page(parent.get(start_url("contact")))
    assert "This procedure is not open at the moment." in text
    assert "Send the request" not in text
    parent.post(start_url("contact"), with_action(valid_data(d, "contact"), "submit"))
    assert Request.objects.count() == 0


def test_an_unknown_procedure_is_404(parent):
    assert parent.get(start_url("passport")).status_code == 404
