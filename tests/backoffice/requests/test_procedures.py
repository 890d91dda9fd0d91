"""The procedures' settings: each procedure with its title, help text, open or closed and
documents required; the form saves through backoffice.procedure_settings, checks every
field, and changes what families see (a closed procedure cannot be started)."""

import pytest
from django.urls import reverse

from portail.procedures import documents, services
from portail.procedures.models import Procedure, RequestStatus
from portail.procedures.statuses import RequestRefused
from tests.world.procedures import WEB, request_in, valid_data
from tests.world.staff import client_for
from tests.world.web import text_of

from .conftest import PROOF

pytestmark = pytest.mark.django_db
S = RequestStatus
LIST = reverse("backoffice:procedures")


def edit_url(procedure: Procedure) -> str:
    return reverse("backoffice:procedure_edit", kwargs={"pk": procedure.pk})


def form(**changes) -> dict:
    data = {
        "title": "INSCRIPTION A UNE ACTIVITE",
        "description": "Choisissez l'enfant et l'activité.",
        "is_open": "on",
        "required_documents": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_list_shows_each_procedure_and_its_settings(desk, desk_client):
    Procedure.objects.filter(code="contact").update(is_open=False)
    html = desk_client.get(LIST).content.decode()
    text = text_of(html)
    assert text.count("Change the settings of") == 6
    assert "CONTACTER UN SERVICE (Contact a service) Closed" in text
    assert "DECLARER UN CHANGEMENT D'ADRESSE (Change of address) Open" in text
    assert PROOF in text
    assert edit_url(Procedure.objects.get(code="contact")) in html


def test_the_edit_form_shows_the_current_settings(desk, desk_client):
    procedure = Procedure.objects.get(code="address_change")
    response = desk_client.get(edit_url(procedure))
    assert response.status_code == 200
    initial = response.context["form"].initial
    assert initial["title"] == procedure.title
    assert initial["required_documents"] == PROOF
    assert initial["is_open"] is True


def test_saving_changes_what_families_see(desk, desk_client):
    procedure = Procedure.objects.get(code="enrolment")
    response = desk_client.post(
        edit_url(procedure),
        form(
            title="  Inscription à une activité  ",
            description="Une inscription par enfant.",
            required_documents="Attestation d'assurance\n\n  Certificat médical  \n",
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == LIST
    procedure.refresh_from_db()
    assert procedure.title == "Inscription à une activité"
    assert procedure.description == "Une inscription par enfant."
    assert procedure.required_document_list == ["Attestation d'assurance", "Certificat médical"]
    assert "The settings of “Inscription à une activité” were saved." in text_of(
        desk_client.get(LIST).content.decode()
    )
    enrolment = request_in(desk, "enrolment", S.SUBMITTED)
    assert documents.missing(enrolment) == ["Attestation d'assurance", "Certificat médical"]


def test_a_closed_procedure_cannot_be_started(desk, desk_client):
    procedure = Procedure.objects.get(code="contact")
    already = request_in(desk, "contact", S.SUBMITTED)
    draft = request_in(desk, "contact", S.DRAFT)
    response = desk_client.post(
        edit_url(procedure), form(title="CONTACTER UN SERVICE", is_open=None)
    )
    assert response.status_code == 302
    procedure.refresh_from_db()
    assert procedure.is_open is False
    data = valid_data(desk, "contact")
    with pytest.raises(RequestRefused) as refused:
        services.create_draft(desk.household, "contact", data, actor=desk.user, channel=WEB)
    assert refused.value.code == "closed"
    with pytest.raises(RequestRefused) as refused:
        services.submit(desk.household, draft.pk, actor=desk.user, channel=WEB)
    assert refused.value.code == "closed"
    # Requests already sent go on.
    services.accept(already.pk, actor=desk.staff, channel="backoffice")

    desk_client.post(edit_url(procedure), form(title="CONTACTER UN SERVICE"))
    services.create_draft(desk.household, "contact", data, actor=desk.user, channel=WEB)


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"title": "   "}, "title", "This field is required."),
        ({"title": "x" * 201}, "title", "at most 200 characters"),
        ({"description": "x" * 5001}, "description", "At most 5000 characters."),
        (
            {"required_documents": "Avis\nCertificat\navis"},
            "required_documents",
            "Each document once: one of them is listed twice.",
        ),
        (
            {"required_documents": "\n".join(f"Pièce {n}" for n in range(21))},
            "required_documents",
            "At most 20 documents.",
        ),
        (
            {"required_documents": "x" * 201},
            "required_documents",
            "At most 200 characters per document",
        ),
    ],
)
def test_bad_settings_are_said_by_field_and_change_nothing(
    desk, desk_client, changes, field, message
):
    procedure = Procedure.objects.get(code="enrolment")
    before = Procedure.objects.filter(pk=procedure.pk).values().get()
    response = desk_client.post(edit_url(procedure), form(**changes))
    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors[field])
    assert message.lower() in errors.lower()
    assert Procedure.objects.filter(pk=procedure.pk).values().get() == before


def test_families_see_the_new_title_and_help_text_and_not_a_closed_procedure(desk, desk_client):
    family = client_for(desk.user, "en")
    enrolment = Procedure.objects.get(code="enrolment")
    desk_client.post(
        edit_url(enrolment),
        form(title="Inscription à une activité", description="Une inscription par enfant."),
    )
    desk_client.post(
        edit_url(Procedure.objects.get(code="contact")),
        form(title="CONTACTER UN SERVICE", is_open=None),
    )
    listed = {item["code"]: item for item in family.get("/api/v1/procedures").json()}
    assert "contact" not in listed
    assert listed["enrolment"] == {
        "code": "enrolment",
        "title": "Inscription à une activité",
        "description": "Une inscription par enfant.",
    }
