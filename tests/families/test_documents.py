""" "Mes documents": everything the household received, newest first, each opened again."""

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portail.accounts.activation import send_activation_link
from portail.families import messaging
from portail.families.models import Document, DocumentAttachment
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "secret-pass-123"
PDF = b"%PDF-1.4\n% a small basket PDF\n%%EOF\n"


@pytest.fixture
def parent(db):
    factories.organisation()
    return factories.guardian(email="parent@example.org", password=PASSWORD)


def client_for(email: str) -> Client:
    client = Client()
    assert client.login(email=email, password=PASSWORD)
    return client


def test_every_kind_of_message_is_listed_newest_first_and_opens_again(parent):
    household = parent.household
    inactive = factories.guardian(household, email="second@example.org")
    inactive.user.set_unusable_password()
    inactive.user.save()
    send_activation_link(inactive.user)
    messaging.send_to_household(
        household,
        kind=Document.Kind.PAYMENT_TICKET,
        subject="Ticket de paiement PF2026000001",
        body="Paiement reçu : 14,80 €",
        attachments=[("ticket-PF2026000001.pdf", PDF, "application/pdf")],
    )
    messaging.send_to_household(
        household,
        kind=Document.Kind.CLOSURE_NOTICE,
        subject="Fermeture de la cantine le 12/12",
        body="Grève.",
    )
    messaging.send_to_household(
        household,
        kind=Document.Kind.BASKET_PDF,
        subject="Contenu du panier PF2026000002",
        body="Le détail est joint.",
        attachments=[("panier-PF2026000002.pdf", PDF, "application/pdf")],
    )
    client = client_for("parent@example.org")
    page = client.get(reverse("families:documents")).content.decode()
    titles = [
        "Contenu du panier PF2026000002",
        "Fermeture de la cantine le 12/12",
        "Ticket de paiement PF2026000001",
        "Lien d&#x27;activation du mot de passe",
    ]
    positions = [page.index(title) for title in titles]
    assert positions == sorted(positions)
    for document in Document.objects.filter(household=household):
        detail = client.get(reverse("families:document", args=[document.pk]))
        assert detail.status_code == 200
        assert document.title.replace("'", "&#x27;") in detail.content.decode()
    basket = Document.objects.get(kind=Document.Kind.BASKET_PDF)
    attachment = basket.attachments.get()
    url = reverse("families:document_attachment", args=[basket.pk, attachment.pk])
    assert url in client.get(reverse("families:document", args=[basket.pk])).content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content == PDF
    assert response["Content-Disposition"].startswith("inline")
    assert mail.outbox[-1].attachments[0][0] == "panier-PF2026000002.pdf"


def test_long_lists_are_paginated(parent):
    start = timezone.now() - datetime.timedelta(days=60)
    for number in range(45):
        document = Document.objects.create(
            household=parent.household, kind=Document.Kind.MESSAGE, title=f"Message n°{number:02d}"
        )
        Document.objects.filter(pk=document.pk).update(
            created_at=start + datetime.timedelta(hours=number)
        )
    client = client_for("parent@example.org")
    first = client.get(reverse("families:documents")).content.decode()
    assert "Message n°44" in first and "Message n°25" in first and "Message n°24" not in first
    assert "Page 1 / 3" in first
    assert "?page=2" in first
    last = client.get(reverse("families:documents") + "?page=3").content.decode()
    assert "Message n°04" in last and "Message n°00" in last and "Message n°05" not in last
    assert "Page 3 / 3" in last
    beyond = client.get(reverse("families:documents") + "?page=99").content.decode()
    assert "Page 3 / 3" in beyond
    assert "Page 1 / 3" in client.get(reverse("families:documents") + "?page=x").content.decode()


def test_another_households_documents_and_files_do_not_exist_here(parent):
    stranger = factories.guardian(email="martin@example.org", password=PASSWORD)
    document = messaging.send_to_household(
        stranger.household,
        kind=Document.Kind.PAYMENT_TICKET,
        subject="Ticket MARTIN",
        body="Privé",
        attachments=[("ticket.pdf", PDF, "application/pdf")],
    )
    attachment = document.attachments.get()
    client = client_for("parent@example.org")
    assert client.get(reverse("families:document", args=[document.pk])).status_code == 404
    url = reverse("families:document_attachment", args=[document.pk, attachment.pk])
    assert client.get(url).status_code == 404
    own = Document.objects.create(household=parent.household, kind="message", title="Mien")
    mixed = reverse("families:document_attachment", args=[own.pk, attachment.pk])
    assert client.get(mixed).status_code == 404
    assert "Ticket MARTIN" not in client.get(reverse("families:documents")).content.decode()
    assert client_for("martin@example.org").get(url).status_code == 200


def test_files_of_a_personal_message_stay_with_its_recipient(parent):
    factories.guardian(parent.household, email="other@example.org", password=PASSWORD)
    document = messaging.send_to_user(
        parent.user,
        kind=Document.Kind.ACCOUNT_SECURITY,
        subject="Sécurité",
        body="Texte personnel",
        attachments=[("note.txt", b"secret", "text/plain")],
    )
    attachment = DocumentAttachment.objects.get(document=document)
    url = reverse("families:document_attachment", args=[document.pk, attachment.pk])
    own = client_for("parent@example.org").get(url)
    assert own.status_code == 200
    assert own["Content-Disposition"].startswith("attachment")  # never shown in place
    assert client_for("other@example.org").get(url).status_code == 404
    page = client_for("other@example.org").get(reverse("families:document", args=[document.pk]))
    assert "Texte personnel" not in page.content.decode()
