"""POST /api/v1/requests/{id}/attachments (multipart field `file`, optional `document`),
GET .../attachments and GET .../attachments/{attachment_id}: documents checked by their
content, a refused file never kept, another household's request and files unreachable."""

import pytest
from django.test import Client

from portail.procedures.models import Procedure, RequestAttachment, RequestEvent
from tests.api.conftest import error_of
from tests.world.procedures import request_in
from tests.world.uploads import jpeg_bytes, pdf_bytes, png_bytes, stored_paths, upload

from .conftest import ATTACHMENT_KEYS

pytestmark = pytest.mark.django_db

AVIS = "Avis d'imposition ou attestation CAF"


def send(client: Client, request_id, **fields):
    return client.post(f"/api/v1/requests/{request_id}/attachments", fields)


@pytest.fixture
def qf(api):
    Procedure.objects.filter(code="qf_declaration").update(required_documents=AVIS)
    return request_in(api.desk, "qf_declaration", "submitted")


def test_a_pdf_is_201_with_its_id_name_and_size(api, qf, private_dir):
    content = pdf_bytes()

    response = send(api.family, qf.pk, file=upload("Avis 2026.pdf", content))

    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == ATTACHMENT_KEYS
    attachment = RequestAttachment.objects.get(request=qf)
    assert body == {"id": attachment.pk, "filename": "Avis 2026.pdf", "size": len(content)}
    assert (attachment.content_type, attachment.document) == ("application/pdf", "")
    assert len(stored_paths(private_dir)) == 1
    event = RequestEvent.objects.filter(request=qf).latest("pk")
    assert (event.kind, event.channel, event.message) == ("attachment", "api", "Avis 2026.pdf")
    history = api.get(api.family, f"/requests/{qf.pk}").json()["events"]
    assert history[-1]["message"] == "Avis 2026.pdf"


def test_a_file_may_say_which_required_document_it_is(api, qf):
    response = send(api.family, qf.pk, file=upload("scan", png_bytes()), document=AVIS)

    assert response.status_code == 201
    assert response.json()["filename"] == "scan.png"
    assert RequestAttachment.objects.get(request=qf).document == AVIS


def test_a_document_the_procedure_does_not_ask_for_is_refused(api, qf, private_dir):
    response = send(api.family, qf.pk, file=upload("a.pdf", pdf_bytes()), document="Passeport")

    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "invalid_file"
    assert set(error["fields"]) == {"document"}
    assert not RequestAttachment.objects.exists()
    assert stored_paths(private_dir) == []


def test_two_files_one_after_the_other_are_both_kept_even_with_one_name(api, qf, private_dir):
    first = send(api.family, qf.pk, file=upload("avis.pdf", pdf_bytes("un")))
    second = send(api.family, qf.pk, file=upload("avis.pdf", pdf_bytes("deux")))

    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["id"] != second.json()["id"]
    assert len(stored_paths(private_dir)) == 2
    listed = api.get(api.family, f"/requests/{qf.pk}/attachments")
    assert listed.status_code == 200
    assert listed.json() == [first.json(), second.json()]


def test_two_files_at_once_are_refused_and_none_is_kept(api, qf, private_dir):
    response = send(
        api.family,
        qf.pk,
        file=[upload("a.pdf", pdf_bytes()), upload("b.jpg", jpeg_bytes(), "image/jpeg")],
    )

    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "invalid_file"
    assert error["message"] == "Send one file per request."
    assert error["fields"] == {"file": "Send one file per request."}
    assert not RequestAttachment.objects.exists()
    assert stored_paths(private_dir) == []


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("avis.pdf", b"MZ\x90\x00 this is a program, renamed", "is not a PDF, JPEG or PNG"),
        ("avis.pdf", b"<html><script>alert(1)</script></html>", "is not a PDF, JPEG or PNG"),
        ("avis.pdf", b"", "The file is empty."),
        ("avis.pdf", b"%PDF-1.4 cut in the middle", "incomplete or damaged"),
    ],
)
def test_a_wrong_empty_or_damaged_file_is_422_and_nothing_is_kept(
    api, qf, private_dir, name, content, says
):
    response = send(api.family, qf.pk, file=upload(name, content))

    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "invalid_file"
    assert says in error["message"]
    assert "Send a PDF, JPEG or PNG file of 10 MB at most." in error["message"]
    assert error["fields"] == {"file": error["message"]}
    assert not RequestAttachment.objects.exists()
    assert stored_paths(private_dir) == []


def test_a_file_too_large_is_422_and_nothing_is_kept(api, qf, private_dir, settings):
    settings.PORTAIL_UPLOAD_MAX_MB = 1
    content = pdf_bytes() + b"0" * (1024 * 1024)

    response = send(api.family, qf.pk, file=upload("avis.pdf", content))

    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "invalid_file"
    assert "The file is too large" in error["message"]
    assert "of 1 MB at most" in error["message"]
    assert stored_paths(private_dir) == []


@pytest.mark.parametrize("how", ["no field", "another field", "json"])
def test_no_file_in_the_field_file_is_422(api, qf, how):
    if how == "no field":
        response = send(api.family, qf.pk, document=AVIS)
    elif how == "another field":
        response = send(api.family, qf.pk, fichier=upload("a.pdf", pdf_bytes()))
    else:
        response = api.post(api.family, f"/requests/{qf.pk}/attachments", {"file": "a.pdf"})

    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "invalid_file"
    assert error["fields"] == {"file": "Send the file as multipart/form-data, in the field “file”."}
    assert not RequestAttachment.objects.exists()


@pytest.mark.parametrize("status", ["accepted", "refused"])
def test_no_document_once_decided(api, status, private_dir):
    request = request_in(api.desk, "contact", status)

    response = send(api.family, request.pk, file=upload("a.pdf", pdf_bytes()))

    assert response.status_code == 409
    assert error_of(response)["code"] == "status"
    assert stored_paths(private_dir) == []


def test_a_draft_takes_documents(api):
    request = request_in(api.desk, "address_change", "draft")

    response = send(api.family, request.pk, file=upload("edf.pdf", pdf_bytes()))

    assert response.status_code == 201


def test_the_household_downloads_its_file(api, qf):
    content = pdf_bytes()
    attachment_id = send(api.family, qf.pk, file=upload("Avis 2026.pdf", content)).json()["id"]

    response = api.family.get(f"/api/v1/requests/{qf.pk}/attachments/{attachment_id}")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Avis 2026.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


def test_another_households_request_and_files_are_unreachable(api, qf, private_dir):
    attachment_id = send(api.family, qf.pk, file=upload("avis.pdf", pdf_bytes())).json()["id"]

    answers = [
        api.other.get(f"/api/v1/requests/{qf.pk}/attachments/{attachment_id}"),
        api.other.get(f"/api/v1/requests/{qf.pk}/attachments"),
        send(api.other, qf.pk, file=upload("x.pdf", pdf_bytes())),
        api.get(api.other, f"/requests/{qf.pk}"),
    ]

    for response in answers:
        assert response.status_code == 404
        assert error_of(response)["code"] == "not_found"
    assert RequestAttachment.objects.count() == 1
    assert len(stored_paths(private_dir)) == 1


def test_a_file_is_reached_only_through_its_own_request(api, qf):
    attachment_id = send(api.family, qf.pk, file=upload("avis.pdf", pdf_bytes())).json()["id"]
    mine = request_in(api.desk, "contact", "submitted")

    response = api.family.get(f"/api/v1/requests/{mine.pk}/attachments/{attachment_id}")

    assert response.status_code == 404
    assert api.family.get(f"/api/v1/requests/{qf.pk}/attachments/999999").status_code == 404


def test_a_file_gone_from_the_storage_is_404(api, qf, private_dir):
    attachment_id = send(api.family, qf.pk, file=upload("avis.pdf", pdf_bytes())).json()["id"]
    for path in private_dir.rglob("*.pdf"):
        path.unlink()

    response = api.family.get(f"/api/v1/requests/{qf.pk}/attachments/{attachment_id}")

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_staff_cannot_use_the_familys_upload(api, qf):
    response = send(api.manager, qf.pk, file=upload("a.pdf", pdf_bytes()))

    assert response.status_code == 403
    assert not RequestAttachment.objects.exists()


@pytest.mark.parametrize("request_id", [999999, 2**63 + 5, 10**40])
def test_ids_out_of_range_are_not_found(api, qf, request_id):
    attachment_id = send(api.family, qf.pk, file=upload("avis.pdf", pdf_bytes())).json()["id"]

    answers = [
        api.family.get(f"/api/v1/requests/{request_id}/attachments/{attachment_id}"),
        api.family.get(f"/api/v1/requests/{qf.pk}/attachments/{request_id}"),
        api.family.get(f"/api/v1/requests/{request_id}/attachments"),
        send(api.family, request_id, file=upload("x.pdf", pdf_bytes())),
    ]

    for response in answers:
        assert response.status_code == 404
        assert error_of(response)["code"] == "not_found"
