"""PORTAIL_STORAGE=s3, end to end against moto's S3: a family's upload goes through
save_upload into the bucket under its generated name (nothing of the family's file name
in the key), is read back by open_stored and served by stored_file_response, and
delete_stored removes it; a refused file never reaches the bucket."""

import pytest
from django.core.files.storage import storages
from django.http import Http404
from storages.backends.s3 import S3Storage

from portail.procedures.uploads import (
    FileRefused,
    delete_stored,
    open_stored,
    save_upload,
    stored_file_response,
)
from tests.world.uploads import pdf_bytes, png_bytes, upload

from .s3 import BUCKET, PREFIX, keys

# Closing a response sends request_finished, which closes old database connections.
pytestmark = pytest.mark.django_db


def test_the_private_storage_is_the_bucket(bucket):
    storage = storages["private"]
    assert isinstance(storage, S3Storage)
    assert (storage.bucket_name, storage.location) == (BUCKET, PREFIX)


def test_an_upload_lands_in_the_bucket_and_comes_back(bucket):
    content = pdf_bytes()
    stored = save_upload(upload("Avis d'impôt 2026.pdf", content), prefix="requests/7")

    assert stored.name.startswith("requests/7/") and stored.name.endswith(".pdf")
    assert keys(bucket) == [f"{PREFIX}/{stored.name}"]
    kept = bucket.get_object(Bucket=BUCKET, Key=f"{PREFIX}/{stored.name}")
    assert kept["Body"].read() == content
    assert kept["ContentType"] == "application/pdf"
    with open_stored(stored.name) as reopened:
        assert reopened.read() == content


def test_the_object_has_the_detected_type_never_the_browsers(bucket):
    stored = save_upload(upload("scan.pdf", png_bytes(), "text/html"), prefix="requests/7")

    kept = bucket.head_object(Bucket=BUCKET, Key=f"{PREFIX}/{stored.name}")
    assert kept["ContentType"] == "image/png"


def test_the_download_streams_the_object_with_the_families_name(bucket):
    stored = save_upload(upload("scan", png_bytes(), "text/html"), prefix="requests/7")

    response = stored_file_response(stored)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="scan.png"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == png_bytes()
    response.close()


def test_delete_removes_the_object_and_the_download_is_then_a_404(bucket):
    stored = save_upload(upload("avis.pdf", pdf_bytes()), prefix="requests/7")
    kept = save_upload(upload("autre.pdf", pdf_bytes("Attestation CAF")), prefix="requests/7")

    delete_stored(stored.name)

    assert keys(bucket) == [f"{PREFIX}/{kept.name}"]
    with pytest.raises(Http404):
        stored_file_response(stored)
    delete_stored(stored.name)  # already gone: nothing happens
    assert keys(bucket) == [f"{PREFIX}/{kept.name}"]


def test_the_same_file_twice_is_two_objects(bucket):
    first = save_upload(upload("avis.pdf", pdf_bytes()), prefix="requests/7")
    second = save_upload(upload("avis.pdf", pdf_bytes()), prefix="requests/7")

    assert first.name != second.name
    assert keys(bucket) == sorted(f"{PREFIX}/{s.name}" for s in (first, second))


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [("vide.pdf", b"", "empty"), ("page.pdf", b"<html>not a pdf</html>", "wrong_type")],
)
def test_a_refused_file_never_reaches_the_bucket(bucket, name, content, code):
    with pytest.raises(FileRefused) as refused:
        save_upload(upload(name, content), prefix="requests/7")

    assert refused.value.code == code
    assert keys(bucket) == []
