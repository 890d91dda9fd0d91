"""A stored file served as a download: the family's cleaned name, the detected type,
never sniffed, never kept by a shared cache."""

import pytest
from django.http import Http404

from portail.procedures.uploads import delete_stored, save_upload, stored_file_response
from tests.world.uploads import pdf_bytes, png_bytes, upload

# Closing a response sends request_finished, which closes old database connections.
pytestmark = pytest.mark.django_db


def test_the_download_says_what_the_file_is_and_keeps_it_private(private_dir):
    stored = save_upload(upload("../scan.png", png_bytes(), "text/html"), prefix="requests/7")

    response = stored_file_response(stored)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="scan.png"'
    assert response["X-Content-Type-Options"] == "nosniff"
    cache = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store", "no-cache"} <= cache
    assert b"".join(response.streaming_content) == png_bytes()
    response.close()


def test_a_name_outside_ascii_is_given_as_rfc_5987(private_dir):
    stored = save_upload(upload("Avis d'impôt 2026.pdf", pdf_bytes()), prefix="requests/7")

    response = stored_file_response(stored)
    response.close()

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''Avis%20d%27imp%C3%B4t%202026.pdf"
    )


def test_a_file_gone_from_the_storage_is_a_404_not_a_500(private_dir):
    stored = save_upload(upload("avis.pdf", pdf_bytes()), prefix="requests/7")
    delete_stored(stored.name)

    with pytest.raises(Http404):
        stored_file_response(stored)
