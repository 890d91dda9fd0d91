"""The staff's requests pages: a desk (tests/world/procedures.py: a household with two
children, a canteen, a gestionnaire), staff of the other roles, signed-in clients, and a
private storage in a temporary folder for the documents."""

import pytest
from django.core import mail

from portail.procedures import services
from portail.procedures.models import Procedure
from tests.world import procedures, staff
from tests.world.staff import client_for
from tests.world.uploads import pdf_bytes, private_dir, upload  # noqa: F401  (the fixture)

PROOF = "Justificatif de domicile de moins de 3 mois"


@pytest.fixture(autouse=True)
def _private_storage(private_dir):  # noqa: F811
    return private_dir


@pytest.fixture
def desk() -> procedures.Desk:
    d = procedures.desk()
    d.staff.first_name, d.staff.last_name = "Camille", "ROUX"
    d.staff.save()
    Procedure.objects.filter(code="address_change").update(required_documents=PROOF)
    mail.outbox = []
    return d


@pytest.fixture
def desk_client(desk):
    """The desk's gestionnaire, reading the pages in English (the msgids)."""
    return client_for(desk.staff, "en")


@pytest.fixture
def pointage(desk):
    return staff.pointage([desk.activity.site])


@pytest.fixture
def cuisine(desk):
    return staff.cuisine()


def attach(d: procedures.Desk, request, name: str = "avis.pdf", document: str = ""):
    """A document the family adds to `request` (a real PDF)."""
    return services.add_attachment(
        d.household,
        request.pk,
        upload(name, pdf_bytes()),
        actor=d.user,
        channel=procedures.WEB,
        document=document,
    )
