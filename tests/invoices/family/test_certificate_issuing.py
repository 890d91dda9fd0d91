"""The certificates issued: PDFs kept in "Mes documents" and e-mailed, once per household,
year and kind, by the January command or the family's button for a past year."""

import datetime

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from portail.families.models import Document
from tests.pdftext import text as pdf_text
from tests.world.web import fr, text_of

from . import certificate_world as cw
from .helpers import login

pytestmark = pytest.mark.django_db
JANUARY = datetime.datetime(2027, 1, 4, 8, 0, tzinfo=datetime.UTC)


def certificates_of(household) -> list[tuple[str, str]]:
    return [
        (document.kind, document.attachments.get().filename)
        for document in Document.objects.filter(
            household=household,
            kind__in=[Document.Kind.TAX_CERTIFICATE, Document.Kind.PAYMENT_CERTIFICATE],
        ).order_by("pk")
    ]


def test_the_january_command_issues_last_years_certificates_once(time_machine):
    world = cw.build()
    household = world.world.household
    time_machine.move_to(JANUARY)
    call_command("issue_certificates", verbosity=0)
    assert certificates_of(household) == [
        ("tax_certificate", "attestation-fiscale-2026.pdf"),
        ("payment_certificate", "attestation-paiement-2026.pdf"),
    ]
    assert len(mail.outbox) == 2
    assert world.world.guardian.user.email in mail.outbox[0].to
    assert mail.outbox[0].attachments[0][0] == "attestation-fiscale-2026.pdf"
    # Again: nothing new, nothing sent.
    call_command("issue_certificates", "--year", "2026", verbosity=0)
    assert len(certificates_of(household)) == 2 and len(mail.outbox) == 2


def test_the_tax_certificate_reads_as_a_certificate(time_machine):
    world = cw.build()
    time_machine.move_to(JANUARY)
    call_command("issue_certificates", "--household", str(world.world.household.pk), verbosity=0)
    document = Document.objects.get(kind=Document.Kind.TAX_CERTIFICATE)
    text = pdf_text(bytes(document.attachments.get().content))
    assert "Commune de Malves" in text and "1 place de la Mairie" in text
    assert fr("Tax certificate – childcare costs %(year)s", year=2026) in text
    assert world.world.household.name in text
    young, older = world.young, world.older
    assert f"{young.last_name} {young.first_name} 01/07/2020 15,00 €" in text
    assert older.first_name not in text
    assert f"{fr('Total')} 15,00 €" in text


def test_the_payment_certificate_lists_every_payment(time_machine):
    world = cw.build()
    time_machine.move_to(JANUARY)
    call_command("issue_certificates", verbosity=0)
    document = Document.objects.get(kind=Document.Kind.PAYMENT_CERTIFICATE)
    text = pdf_text(bytes(document.attachments.get().content))
    assert fr("Certificate of payment %(year)s", year=2026) in text
    assert fr("Invoice %(number)s", number=world.invoice.number) in text
    assert "19,55 €" in text and "13,70 €" in text
    assert "5,00 €" not in text  # the credit used is not money paid again
    assert f"{fr('Total')} 33,25 €" in text


def test_nothing_paid_nothing_issued(time_machine):
    world = cw.build()
    time_machine.move_to(JANUARY)
    call_command("issue_certificates", "--year", "2025", verbosity=0)
    assert certificates_of(world.world.household) == []


def test_the_command_refuses_a_year_not_over_and_an_unknown_household():
    with pytest.raises(CommandError):
        call_command("issue_certificates", "--year", "2026", verbosity=0)
    with pytest.raises(CommandError):
        call_command("issue_certificates", "--household", "987654", verbosity=0)


def test_the_family_asks_for_a_past_year(client, time_machine):
    world = cw.build()
    time_machine.move_to(JANUARY)
    login(client, world.world)
    page = client.get("/factures/").content.decode()
    assert 'name="year"' in page and '<option value="2026">' in page
    assert '<option value="2027">' not in page  # not over
    response = client.post("/factures/attestations/", {"year": "2026"})
    assert response.status_code == 302 and response["Location"] == "/documents/"
    assert len(certificates_of(world.world.household)) == 2
    # Asked again: the same documents.
    client.post("/factures/attestations/", {"year": "2026"})
    assert len(certificates_of(world.world.household)) == 2
    assert len(mail.outbox) == 2


@pytest.mark.parametrize("year", ["2027", "1999", "abc", ""])
def test_a_year_not_offered_issues_nothing(client, time_machine, year):
    world = cw.build()
    time_machine.move_to(JANUARY)
    login(client, world.world)
    response = client.post("/factures/attestations/", {"year": year}, follow=True)
    assert response.status_code == 200
    assert fr("Choose a year from the list; nothing was issued.") in text_of(
        response.content.decode()
    )
    assert certificates_of(world.world.household) == []
