"""One request for staff: number, procedure, status, the data in words, the history
(who, when, channel, message), the documents (downloaded by staff only) and the
checklist, and beside it the household's file (guardians, children, address, today's
quotient, family files, its other requests); in French and in English; a fixed number of
queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portail.families.family_files import record_family_file
from portail.procedures import services
from portail.procedures.models import RequestStatus
from tests import factories
from tests.clock import NOW
from tests.world.procedures import BACKOFFICE, WEB, request_in
from tests.world.staff import client_for
from tests.world.uploads import pdf_bytes
from tests.world.web import text_of

from .conftest import PROOF, attach

pytestmark = pytest.mark.django_db
S = RequestStatus


def page_of(client, request):
    return client.get(reverse("backoffice:request", kwargs={"pk": request.pk}))


def test_the_request_its_data_history_and_documents(desk, desk_client):
    move = request_in(desk, "address_change", S.SUBMITTED)
    services.take(move.pk, actor=desk.staff, channel=BACKOFFICE)
    services.staff_message(
        move.pk, "Merci d'envoyer une facture.", actor=desk.staff, channel=BACKOFFICE
    )
    services.add_message(desk.household, move.pk, "C'est envoyé.", actor=desk.user, channel=WEB)
    attach(desk, move, "facture EDF.pdf", document=PROOF)

    response = page_of(desk_client, move)

    assert response.status_code == 200
    text = text_of(response.content.decode())
    assert f"Request {move.number} – DECLARER UN CHANGEMENT D'ADRESSE" in text
    assert "Being processed" in text
    for label, value in [
        ("New address (number and street)", "12 rue des Lilas"),
        ("Postal code", "11310"),
        ("City", "Saissac"),
        ("Applies from", "01/12/2026"),
    ]:
        assert f"{label} {value}" in text
    # The history: when, what, who (staff by name), channel, message.
    assert NOW.strftime("%d/%m/%Y") in text
    assert "Management service – Camille ROUX" in text
    assert desk.user.email in text
    assert "Back office" in text and "Website" in text
    assert "Merci d'envoyer une facture." in text and "C'est envoyé." in text
    # The documents and the checklist.
    assert f"Provided – {PROOF}" in text
    assert "Download facture EDF.pdf" in text
    assert "Assigned to Camille ROUX" in text


def test_the_checklist_says_what_is_missing(desk, desk_client):
    move = request_in(desk, "address_change", S.SUBMITTED)
    text = text_of(page_of(desk_client, move).content.decode())
    assert f"Missing – {PROOF}" in text
    assert "No document yet." in text


def test_the_data_of_each_procedure_reads_in_words(desk, desk_client):
    site_name = desk.activity.site.name
    expected = {
        "contact": ["Service concerned Restauration scolaire", "Subject Menu sans porc"],
        "qf_declaration": [
            "Quotient familial 650",
            "Valid from 01/12/2026",
            "Valid until 31/07/2027",
        ],
        "enrolment": [
            f"Child {desk.child.first_name} {desk.child.last_name}",
            f"Activity Restauration Scolaire Malves ({site_name})",
            "Valid from 16/11/2026",
        ],
        "family_file": [
            "School year 2026-2027",
            "Guardians 1. Full name : Marie MARTIN Phone : 06 12 34 56 78 "
            "E-mail : marie@example.org",
            f"Children {desk.children[0].first_name} {desk.children[0].last_name} "
            "Allergies : Arachide PAI (individual care plan) : Yes Doctor : Dr Durand",
            "Persons allowed to pick up the children 1. Full name : Jean MARTIN "
            "Phone : 0611223344 Relationship to the child : Grand-père",
            "image rights) No",
        ],
        "early_childhood": [
            "Child's first name Léo",
            "Expected birth date (child not born yet) 10/02/2027",
            "Days per week 4",
            f"Sites wished, in order of preference Choice 1 : {site_name}",
        ],
    }
    for code, lines in expected.items():
        text = text_of(page_of(desk_client, request_in(desk, code, S.SUBMITTED)).content.decode())
        for line in lines:
            assert line in text, (code, line)


def test_the_household_file_beside_the_request(desk, desk_client):
    household = desk.household
    household.address, household.postal_code, household.city = (
        "3 place du Marché",
        "11000",
        "Carcassonne",
    )
    household.save()
    factories.quotient_period(household, 742, datetime.date(2026, 9, 1))
    desk.user.guardian.phone = "06 00 00 00 01"
    desk.user.guardian.save()
    record_family_file(household, 2026, {}, accepted_at=NOW, request_number=None)
    earlier = request_in(desk, "contact", S.REFUSED)
    draft = request_in(desk, "qf_declaration", S.DRAFT)
    current = request_in(desk, "enrolment", S.SUBMITTED)

    html = page_of(desk_client, current).content.decode()
    aside = text_of(html.split('id="household-file"', 1)[1])

    assert "3 place du Marché 11000 Carcassonne" in aside
    assert "QF 742 from 01/09/2026, until further notice" in aside
    assert f"{desk.user.email} – 06 00 00 00 01" in aside
    for child in desk.children:
        assert f"{child.first_name} {child.last_name}" in aside
    assert "School year 2026-2027: accepted on 03/11/2026" in aside
    assert f"{earlier.number} – CONTACTER UN SERVICE" in aside
    assert reverse("backoffice:request", kwargs={"pk": earlier.pk}) in html
    assert reverse("backoffice:request", kwargs={"pk": draft.pk}) not in html
    assert reverse("backoffice:household", kwargs={"pk": household.pk}) in html


def test_staff_download_a_document(desk, desk_client):
    move = request_in(desk, "address_change", S.SUBMITTED)
    document = attach(desk, move, "facture.pdf")
    response = desk_client.get(reverse("backoffice:request_attachment", kwargs={"pk": document.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == pdf_bytes()


def test_a_document_gone_from_the_storage_is_404(desk, desk_client, private_dir):
    move = request_in(desk, "address_change", S.SUBMITTED)
    document = attach(desk, move, "facture.pdf")
    (private_dir / document.name).unlink()
    response = desk_client.get(reverse("backoffice:request_attachment", kwargs={"pk": document.pk}))
    assert response.status_code == 404


def test_the_pages_in_french_and_in_english(desk):
    request = request_in(desk, "contact", S.SUBMITTED)
    for language, lang_attr, status, heading in [
        ("fr", 'lang="fr"', "Transmise", "Statut"),
        ("en", 'lang="en"', "Submitted", "Status"),
    ]:
        client = client_for(desk.staff, language)
        for url in [
            reverse("backoffice:requests"),
            reverse("backoffice:request", kwargs={"pk": request.pk}),
        ]:
            html = client.get(url).content.decode()
            assert lang_attr in html
            assert status in text_of(html), (language, url)
            assert heading in text_of(html), (language, url)
        html = client.get(reverse("backoffice:procedures")).content.decode()
        assert lang_attr in html


def _queries(client, request) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert page_of(client, request).status_code == 200
    return len(queries)


def test_a_fixed_number_of_queries_whatever_the_history(desk, desk_client):
    move = request_in(desk, "address_change", S.SUBMITTED)
    services.take(move.pk, actor=desk.staff, channel=BACKOFFICE)
    few = _queries(desk_client, move)
    for n in range(5):
        services.staff_message(move.pk, f"Message {n}", actor=desk.staff, channel=BACKOFFICE)
        attach(desk, move, f"piece-{n}.pdf")
        request_in(desk, "contact", S.SUBMITTED)
    many = _queries(desk_client, move)
    assert many == few
    assert many <= 13, many
