"""Documents added to a request: kept through the private storage with a history line;
a refused file (wrong type renamed .pdf, empty) keeps nothing; none once decided."""

import pytest

from portail.procedures import services
from portail.procedures.statuses import RequestRefused
from tests.world.procedures import WEB, desk, request_in
from tests.world.uploads import jpeg_bytes, pdf_bytes, stored_paths, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def d():
    return desk()


def add(d, request, file):
    return services.add_attachment(d.household, request.pk, file, actor=d.user, channel=WEB)


def test_a_document_is_stored_and_written_in_the_history(d, private_dir):
    request = request_in(d, "address_change", "needs_info")
    attachment = add(d, request, upload("Facture EDF.pdf", pdf_bytes()))
    photo = add(d, request, upload("IMG_0001.jpg", jpeg_bytes(), "image/jpeg"))
    assert (attachment.original_name, attachment.content_type) == (
        "Facture EDF.pdf",
        "application/pdf",
    )
    assert photo.content_type == "image/jpeg"
    assert attachment.name.startswith(f"requests/{request.number}/")
    assert stored_paths(private_dir) == sorted([attachment.name, photo.name])
    event = request.events.last()
    assert (event.kind, event.attachment, event.status) == ("attachment", photo, "needs_info")
    assert attachment.uploaded_by == d.user


@pytest.mark.parametrize(
    ("name", "content"),
    [("avis.pdf", b"MZ\x90\x00 not a pdf at all"), ("vide.pdf", b"")],
)
def test_a_refused_file_keeps_nothing(d, private_dir, name, content):
    request = request_in(d, "contact", "submitted")
    with pytest.raises(RequestRefused) as refused:
        add(d, request, upload(name, content))
    assert refused.value.code == "invalid_file"
    assert refused.value.message
    assert stored_paths(private_dir) == []
    assert request.attachments.count() == 0
    assert request.events.count() == 2


def test_no_document_once_decided(d, private_dir):
    request = request_in(d, "contact", "refused")
    with pytest.raises(RequestRefused) as refused:
        add(d, request, upload("avis.pdf", pdf_bytes()))
    assert refused.value.code == "status"
    assert stored_paths(private_dir) == []
