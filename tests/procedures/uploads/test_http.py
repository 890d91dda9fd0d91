"""Uploads through the real request stack (multipart parser, upload handlers,
middlewares), with test-only views calling the uploads module (tests/.../urls.py)."""

import io
import os

import pytest
from PIL import Image

from tests.world.uploads import pdf_bytes, stored_paths, upload

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.procedures.uploads.urls")]


def test_a_file_sent_is_stored_and_served_back(client, private_dir):
    sent = client.post("/upload/", {"file": upload("Mon avis.pdf", pdf_bytes(), "text/plain")})
    assert sent.status_code == 201, sent.content
    stored = sent.json()
    assert stored["content_type"] == "application/pdf"
    assert stored["original_name"] == "Mon avis.pdf"

    response = client.get(
        f"/file/{stored['name']}", {"as": stored["original_name"], "type": stored["content_type"]}
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Mon avis.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == pdf_bytes()


def test_a_file_kept_on_disk_while_it_arrives_is_stored_whole(client, private_dir):
    """Over FILE_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) Django writes the upload to a temporary
    file: it is checked and stored the same way."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", (1100, 1100), os.urandom(1100 * 1100 * 3)).save(buffer, "PNG")
    content = buffer.getvalue()
    assert len(content) > 2.5 * 1024 * 1024

    sent = client.post("/upload/", {"file": upload("photo.png", content)})

    assert sent.status_code == 201, sent.content
    assert (private_dir / sent.json()["name"]).read_bytes() == content


def test_a_file_over_the_limit_is_not_kept_past_it_and_refused_clearly(
    client, private_dir, settings
):
    settings.PORTAIL_UPLOAD_MAX_MB = 1
    content = b"%PDF-1.4\n" + b"0" * (3 * 1024 * 1024) + b"\n%%EOF\n"

    sent = client.post(
        "/upload/", {"file": upload("avis.pdf", content)}, headers={"accept-language": "en"}
    )

    assert sent.status_code == 422
    assert sent.json() == {
        "code": "too_large",
        "message": "The file is too large (3.0 MB). Send a PDF, JPEG or PNG file of 1 MB at most.",
        # UploadSizeLimitHandler: the content past the limit was counted, not kept
        "received": "OversizedUpload",
    }
    assert stored_paths(private_dir) == []


def test_two_files_at_once_are_judged_each_on_its_own(client, private_dir, settings):
    settings.PORTAIL_UPLOAD_MAX_MB = 1
    too_large = b"%PDF-1.4\n" + b"0" * (2 * 1024 * 1024) + b"\n%%EOF\n"
    files = [
        upload("avis.pdf", pdf_bytes("first")),
        upload("avis.pdf", too_large),
        upload("avis.pdf", pdf_bytes("second")),
    ]

    sent = client.post("/upload/", {"file": files})

    first, refused, second = sent.json()
    assert refused["code"] == "too_large"
    assert first["name"] != second["name"]
    assert first["original_name"] == second["original_name"] == "avis.pdf"
    assert stored_paths(private_dir) == sorted([first["name"], second["name"]])
    assert (private_dir / second["name"]).read_bytes() == pdf_bytes("second")


def test_a_form_whose_other_fields_are_too_large_gets_a_400_not_a_500(client, settings):
    """Django bounds the fields of a form other than its files (DATA_UPLOAD_MAX_MEMORY_SIZE):
    over it, RequestDataTooBig, which Django answers 400 (a SuspiciousOperation)."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    sent = client.post("/upload/", {"note": "x" * 5000, "file": upload("avis.pdf", pdf_bytes())})

    assert sent.status_code == 400
