"""Staff configure procedures in the admin; requests are only read there."""

import pytest
from django.test import Client
from django.urls import reverse

from portail.procedures.models import Procedure, Request
from tests import factories
from tests.world.procedures import desk, request_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin() -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(factories.staff(email="root@example.org", is_superuser=True))
    return client


def test_a_procedure_is_configured(admin):
    procedure = Procedure.objects.get(code="qf_declaration")
    url = reverse("admin:procedures_procedure_change", args=[procedure.pk])
    assert admin.get(url).status_code == 200
    response = admin.post(
        url,
        {
            "title": "QUOTIENT FAMILIAL 2027 - DECLARATION REVENUS",
            "description": "Joindre l'attestation CAF.",
            "is_open": "",
            "required_documents": "Attestation CAF\nAvis d'imposition",
            "position": "2",
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    procedure.refresh_from_db()
    assert procedure.code == "qf_declaration"
    assert procedure.is_open is False
    assert procedure.required_document_list == ["Attestation CAF", "Avis d'imposition"]
    assert admin.get(reverse("admin:procedures_procedure_add")).status_code == 403


def test_requests_are_listed_and_read_only(admin):
    d = desk()
    request = request_in(d, "contact", "submitted")
    listing = admin.get(reverse("admin:procedures_request_changelist"))
    assert listing.status_code == 200
    assert str(request.number) in listing.content.decode()
    url = reverse("admin:procedures_request_change", args=[request.pk])
    assert admin.get(url).status_code == 200
    response = admin.post(url, {"status": "accepted", "_save": "Save"})
    assert response.status_code == 403
    assert Request.objects.get(pk=request.pk).status == "submitted"
