"""Drafts: kept with partial data, edited, submitted when complete; a request to complete
(needs_info) is edited and sent again; numbers are the readable, unique ones."""

import pytest

from portail.procedures import services
from portail.procedures.models import Procedure, Request
from portail.procedures.statuses import RequestRefused
from tests.world.procedures import BACKOFFICE, WEB, desk, request_in, valid_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def d():
    return desk()


def test_a_draft_keeps_partial_data_and_is_submitted_once_complete(d):
    draft = services.create_draft(
        d.household, "address_change", {"line": "12 rue des Lilas"}, actor=d.user, channel=WEB
    )
    assert (draft.status, draft.submitted_at, draft.data) == (
        "draft",
        None,
        {"line": "12 rue des Lilas"},
    )
    with pytest.raises(RequestRefused) as refused:
        services.submit(d.household, draft.pk, actor=d.user, channel=WEB)
    assert set(refused.value.fields) == {"postal_code", "city", "effective_on"}
    assert Request.objects.get(pk=draft.pk).status == "draft"
    services.update_draft(
        d.household, draft.pk, valid_data(d, "address_change"), actor=d.user, channel=WEB
    )
    submitted = services.submit(d.household, draft.pk, actor=d.user, channel=WEB)
    assert submitted.status == "submitted"
    assert submitted.data == valid_data(d, "address_change")


def test_a_draft_refuses_what_is_given_wrong(d):
    with pytest.raises(RequestRefused) as refused:
        services.create_draft(
            d.household, "address_change", {"postal_code": "abc"}, actor=d.user, channel=WEB
        )
    assert refused.value.fields == {"postal_code": "Expected a postal code of 5 digits."}
    assert Request.objects.count() == 0
    draft = request_in(d, "contact", "draft")
    with pytest.raises(RequestRefused):
        services.update_draft(d.household, draft.pk, {"subject": 3}, actor=d.user, channel=WEB)
    assert Request.objects.get(pk=draft.pk).data == valid_data(d, "contact")


def test_a_submitted_request_cannot_be_edited_but_a_needs_info_one_can(d):
    request = request_in(d, "contact", "submitted")
    with pytest.raises(RequestRefused) as refused:
        services.update_draft(d.household, request.pk, {}, actor=d.user, channel=WEB)
    assert refused.value.code == "status"
    services.ask_more(request.pk, "Quel service ?", actor=d.staff, channel=BACKOFFICE)
    data = {**valid_data(d, "contact"), "service": "Accueil de loisirs"}
    services.update_draft(d.household, request.pk, data, actor=d.user, channel=WEB)
    again = services.submit(d.household, request.pk, actor=d.user, channel=WEB)
    assert (again.status, again.data["service"]) == ("submitted", "Accueil de loisirs")
    assert again.submitted_at == request.submitted_at  # the age counts from the first time
    assert [e.status for e in again.events.all()] == [
        "draft",
        "submitted",
        "needs_info",
        "submitted",
    ]


def test_numbers_are_unique_and_readable(d):
    first = request_in(d, "contact", "draft")
    second = request_in(d, "contact", "draft")
    assert second.number > first.number
    assert str(first) == f"{first.number} - CONTACTER UN SERVICE"


def test_the_six_procedures_exist_with_the_seed_titles():
    assert dict(Procedure.objects.values_list("code", "title")) == {
        "contact": "CONTACTER UN SERVICE",
        "address_change": "DECLARER UN CHANGEMENT D'ADRESSE",
        "qf_declaration": "QUOTIENT FAMILIAL - DECLARATION REVENUS",
        "family_file": "MISE A JOUR DOSSIER UNIQUE D'INSCRIPTION",
        "enrolment": "INSCRIPTION A UNE ACTIVITE",
        "early_childhood": "INSCRIPTIONS PETITE ENFANCE",
    }


def test_a_closed_procedure_takes_no_new_request_nor_submission(d):
    draft = request_in(d, "contact", "draft")
    Procedure.objects.filter(code="contact").update(is_open=False)
    with pytest.raises(RequestRefused) as refused:
        services.create_draft(d.household, "contact", {}, actor=d.user, channel=WEB)
    assert refused.value.code == "closed"
    with pytest.raises(RequestRefused):
        services.submit(d.household, draft.pk, actor=d.user, channel=WEB)
    assert Request.objects.count() == 1
