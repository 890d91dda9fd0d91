"""The documents a procedure asks for: each file may say which one it is; untagged files
count for what is still missing; a label the procedure does not ask for is refused and
keeps nothing; documents are not required to submit (the API submits before any upload)."""

import pytest

from portail.procedures import documents, services
from portail.procedures.models import Procedure
from portail.procedures.statuses import RequestRefused
from tests.world.procedures import WEB, desk, request_in
from tests.world.uploads import pdf_bytes, stored_paths, upload

pytestmark = pytest.mark.django_db

PROOF = "Justificatif de domicile de moins de 3 mois"
BIRTH = "Acte de naissance ou certificat de grossesse"


@pytest.fixture
def d():
    return desk()


def add(d, request, name, document=""):
    return services.add_attachment(
        d.household,
        request.pk,
        upload(name, pdf_bytes()),
        actor=d.user,
        channel=WEB,
        document=document,
    )


def test_the_field_s_usual_documents_are_asked_by_default(d):
    asked = dict(Procedure.objects.values_list("code", "required_documents"))
    assert asked["address_change"] == PROOF
    assert Procedure.objects.get(code="early_childhood").required_document_list == [PROOF, BIRTH]
    assert asked["contact"] == ""


def test_a_tagged_file_provides_its_own_document(d, private_dir):
    request = request_in(d, "early_childhood", "draft")
    assert documents.missing(request) == [PROOF, BIRTH]
    add(d, request, "naissance.pdf", document=BIRTH)
    assert documents.checklist(request) == [(PROOF, False), (BIRTH, True)]
    assert documents.missing(request) == [PROOF]
    assert request.attachments.get().document == BIRTH


def test_untagged_files_cover_what_is_still_missing_in_order(d, private_dir):
    request = request_in(d, "early_childhood", "submitted")
    add(d, request, "a.pdf")
    assert documents.checklist(request) == [(PROOF, True), (BIRTH, False)]
    add(d, request, "b.pdf")
    assert documents.missing(request) == []


def test_two_files_for_one_document_do_not_provide_the_other(d, private_dir):
    request = request_in(d, "early_childhood", "submitted")
    add(d, request, "edf.pdf", document=PROOF)
    add(d, request, "eau.pdf", document=PROOF)
    assert documents.missing(request) == [BIRTH]


def test_a_document_the_procedure_does_not_ask_for_is_refused(d, private_dir):
    request = request_in(d, "address_change", "draft")
    with pytest.raises(RequestRefused) as refused:
        add(d, request, "x.pdf", document="Carte vitale")
    assert refused.value.code == "invalid_file"
    assert "document" in refused.value.fields
    assert stored_paths(private_dir) == []
    assert request.attachments.count() == 0


def test_no_checklist_when_nothing_is_asked(d):
    request = request_in(d, "contact", "draft")
    assert documents.checklist(request) == []
    assert documents.missing(request) == []


def test_a_request_is_submitted_without_its_documents(d):
    request = request_in(d, "address_change", "draft")
    submitted = services.submit(d.household, request.pk, actor=d.user, channel=WEB)
    assert submitted.status == "submitted"
    assert documents.missing(submitted) == [PROOF]
