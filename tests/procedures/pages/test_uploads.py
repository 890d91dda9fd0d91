"""Documents sent from a request's page: one or several files at once, each judged on its
own (wrong type renamed .pdf, too big, empty); which required document each is; downloads
only for the household."""

import pytest

from portail.procedures.models import Procedure, RequestAttachment
from tests.world.procedures import another_household, request_in
from tests.world.staff import client_for
from tests.world.uploads import jpeg_bytes, pdf_bytes, stored_paths, upload

from .helpers import page, url

pytestmark = pytest.mark.django_db

PROOF = "Justificatif de domicile de moins de 3 mois"


@pytest.fixture
def asked(d):
    Procedure.objects.filter(code="address_change").update(required_documents=PROOF)
    return request_in(d, "address_change", "needs_info")


def test_one_file_is_kept_listed_and_downloadable(d, parent, asked, private_dir):
    response = parent.post(
        url("upload", asked.number),
        {"document": PROOF, "files": upload("facture edf.pdf", pdf_bytes())},
    )
    assert response["Location"] == url("detail", asked.number)
    [attachment] = RequestAttachment.objects.filter(request=asked)
    assert attachment.document == PROOF
    text = page(parent.get(response["Location"]))
    assert "1 document added to your request." in text
    assert "facture edf.pdf" in text
    assert f"{PROOF} – provided" in text
    download = parent.get(url("attachment", asked.number, attachment.pk))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == pdf_bytes()


def test_two_files_at_once(d, parent, asked, private_dir):
    files = [upload("avis.pdf", pdf_bytes()), upload("photo.jpg", jpeg_bytes(), "image/jpeg")]
    response = parent.post(url("upload", asked.number), {"document": "", "files": files})
    assert response.status_code == 302
    assert RequestAttachment.objects.filter(request=asked).count() == 2
    assert "2 documents added to your request." in page(parent.get(response["Location"]))


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("virus.pdf", b"MZ\x90\x00 this is not a PDF", "is not a PDF, JPEG or PNG document"),
        ("vide.pdf", b"", "The file is empty."),
    ],
)
def test_a_refused_file_is_named_with_its_reason_and_nothing_kept(
    d, parent, asked, private_dir, name, content, words
):
    response = parent.post(
        url("upload", asked.number), {"document": "", "files": upload(name, content)}
    )
    text = page(response)
    assert f"{name}:" in text and words in text
    assert 'aria-describedby="files-help upload-errors"' in response.content.decode()
    assert RequestAttachment.objects.count() == 0
    assert stored_paths(private_dir) == []


def test_a_file_too_big(d, parent, asked, private_dir, settings):
    settings.PORTAIL_UPLOAD_MAX_MB = 1
    big = pdf_bytes() + b"%" * (1024 * 1024 + 10) + b"\n%%EOF\n"
    text = page(
        parent.post(url("upload", asked.number), {"document": "", "files": upload("gros.pdf", big)})
    )
    assert "gros.pdf:" in text and "The file is too large" in text
    assert stored_paths(private_dir) == []


def test_a_good_and_a_bad_file_together(d, parent, asked, private_dir):
    files = [upload("avis.pdf", pdf_bytes()), upload("faux.pdf", b"<html>nope</html>")]
    text = page(parent.post(url("upload", asked.number), {"document": "", "files": files}))
    assert "1 document added to your request." in text
    assert "faux.pdf:" in text
    assert RequestAttachment.objects.filter(request=asked).count() == 1


def test_no_file_chosen_says_so(d, parent, asked):
    text = page(parent.post(url("upload", asked.number), {"document": ""}))
    assert "Choose a file to send." in text


def test_a_document_the_procedure_does_not_ask_for_is_refused_on_its_field(
    d, parent, asked, private_dir
):
    response = parent.post(
        url("upload", asked.number),
        {"document": "Passeport", "files": upload("avis.pdf", pdf_bytes())},
    )
    assert 'aria-describedby="document-error"' in response.content.decode()
    assert "Other document" in page(response)
    assert RequestAttachment.objects.count() == 0


def test_another_households_request_and_file_are_404(d, parent, asked, private_dir):
    parent.post(
        url("upload", asked.number), {"document": "", "files": upload("a.pdf", pdf_bytes())}
    )
    attachment = RequestAttachment.objects.get()
    _household, stranger = another_household()
    other = client_for(stranger, "en")
    assert other.get(url("attachment", asked.number, attachment.pk)).status_code == 404
    assert other.get(url("detail", asked.number)).status_code == 404
    response = other.post(url("upload", asked.number), {"files": upload("b.pdf", pdf_bytes())})
    assert response.status_code == 404
    assert RequestAttachment.objects.count() == 1
    # The right file under another of the household's numbers is not found either.
    elsewhere = request_in(d, "contact", "submitted")
    assert parent.get(url("attachment", elsewhere.number, attachment.pk)).status_code == 404
    assert parent.get(url("attachment", asked.number, attachment.pk + 1000)).status_code == 404


def test_no_upload_form_once_decided(d, parent):
    accepted = request_in(d, "contact", "accepted")
    assert 'name="files"' not in parent.get(url("detail", accepted.number)).content.decode()
    response = parent.post(
        url("upload", accepted.number), {"document": "", "files": upload("a.pdf", pdf_bytes())}
    )
    assert "this cannot be done now" in page(response)
    assert RequestAttachment.objects.count() == 0
