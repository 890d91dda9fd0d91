"""The family file (dossier unique d'inscription): rows for guardians, each child's health
and the persons allowed to pick up, prefilled from the household; errors on their row."""

import pytest

from portail.families.family_files import record_family_file
from portail.procedures.models import Request, RequestStatus
from tests.clock import NOW

from .helpers import page, start_url, with_action

pytestmark = pytest.mark.django_db


def form_post(d, **changes) -> dict:
    emy, lise = d.children
    data = {
        "school_year": "2026",
        "guardians-0-name": "Marie MARTIN",
        "guardians-0-phone": "06 12 34 56 78",
        "guardians-0-email": "marie@example.org",
        "children-0-child_id": str(emy.pk),
        "children-0-allergies": "Arachide",
        "children-0-pai": "yes",
        "children-0-doctor": "Dr Durand",
        "children-1-child_id": str(lise.pk),
        "children-1-allergies": "",
        "children-1-pai": "no",
        "children-1-doctor": "",
        "pickup_persons-0-name": "Jean MARTIN",
        "pickup_persons-0-phone": "0611223344",
        "pickup_persons-0-relationship": "Grand-père",
        "image_rights": "no",
    }
    data.update(changes)
    return data


def test_the_form_is_prefilled_from_the_household(d, parent):
    d.user.first_name, d.user.last_name = "Marie", "MARTIN"
    d.user.save()
    record_family_file(
        d.household,
        2025,
        {
            "children": [{"child_id": d.children[1].pk, "allergies": "Gluten", "doctor": "Dr Y"}],
            "pickup_persons": [{"name": "Paul ROCHE", "phone": "0600000000"}],
            "image_rights": True,
        },
        accepted_at=NOW,
    )
    response = parent.get(start_url("family_file"))
    html = response.content.decode()
    text = page(response)
    assert 'value="Marie MARTIN"' in html
    assert f'value="{d.user.email}"' in html
    for child in d.children:
        assert child.first_name in text
    assert 'value="Gluten"' in html and 'value="Dr Y"' in html
    assert 'value="Paul ROCHE"' in html
    assert "Person 5" in text  # a fixed number of rows for new persons


def test_a_complete_file_is_sent_as_lists(d, parent):
    response = parent.post(start_url("family_file"), with_action(form_post(d), "submit"))
    assert response.status_code == 302
    sent = Request.objects.get(household=d.household)
    assert sent.status == RequestStatus.SUBMITTED
    emy, lise = d.children
    assert sent.data["guardians"] == [
        {"name": "Marie MARTIN", "phone": "06 12 34 56 78", "email": "marie@example.org"}
    ]
    assert sent.data["children"] == [
        {"child_id": emy.pk, "allergies": "Arachide", "pai": True, "doctor": "Dr Durand"},
        {"child_id": lise.pk, "allergies": "", "pai": False, "doctor": ""},
    ]
    assert sent.data["pickup_persons"] == [
        {"name": "Jean MARTIN", "phone": "0611223344", "relationship": "Grand-père"}
    ]
    assert sent.data["image_rights"] is False


def test_an_error_in_a_row_is_shown_on_that_rows_field(d, parent):
    post = form_post(d, **{"guardians-0-phone": "abc", "children-1-pai": ""})
    response = parent.post(start_url("family_file"), with_action(post, "submit"))
    html = response.content.decode()
    text = page(response)
    assert Request.objects.count() == 0
    assert "Expected a phone number." in text
    assert 'id="id_guardians-0-phone_error"' in html
    assert "Answer yes or no." in text
    assert 'id="id_children-1-pai_error"' in html
    assert 'value="abc"' in html


def test_an_error_after_an_empty_row_is_shown_on_its_own_row(d, parent):
    post = form_post(
        d,
        **{
            "pickup_persons-0-name": "",
            "pickup_persons-0-phone": "",
            "pickup_persons-0-relationship": "",
            "pickup_persons-2-name": "Léa ROCHE",
            "pickup_persons-2-phone": "pas de numéro",
        },
    )
    html = parent.post(start_url("family_file"), with_action(post, "submit")).content.decode()
    assert 'id="id_pickup_persons-2-phone_error"' in html
    assert 'id="id_pickup_persons-0-phone_error"' not in html
