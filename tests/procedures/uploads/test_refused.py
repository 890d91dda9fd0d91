"""A file that is not a PDF, JPEG or PNG by its content, empty, too large or cut short is
refused with a clear message, and nothing is written."""

import pytest
from django.utils import translation

from portail.procedures.uploads import FileRefused, check_upload, save_upload
from tests.world.uploads import jpeg_bytes, pdf_bytes, png_bytes, stored_paths, upload

HTML = b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(200)
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'


def refusal(name: str, content: bytes, content_type: str = "application/pdf") -> FileRefused:
    with pytest.raises(FileRefused) as refused:
        save_upload(upload(name, content, content_type), prefix="requests/7")
    return refused.value


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("avis.pdf", b"Bonjour, voici mon avis d'imposition.", "application/pdf"),
        ("photo.png", HTML, "image/png"),
        ("photo.png", EXE, "image/png"),
        ("photo.png", SVG, "image/png"),
        ("avis.pdf", b" %PDF-1.4 not at the start\n%%EOF", "application/pdf"),
    ],
    ids=["text-as-pdf", "html-as-png", "exe-as-png", "svg-as-png", "pdf-not-first"],
)
def test_another_kind_of_file_renamed_is_refused(private_dir, name, content, content_type):
    refused = refusal(name, content, content_type)

    assert refused.code == "wrong_type"
    assert stored_paths(private_dir) == []


@pytest.mark.parametrize(
    "content",
    [
        pdf_bytes()[:-200],  # no %%EOF: cut short
        png_bytes()[:-12],  # no IEND
        png_bytes()[:8] + HTML,  # a PNG signature, then anything
        b"\xff\xd8\xff" + HTML,  # a JPEG's first bytes, then anything
        jpeg_bytes()[:60],  # cut before its image data
    ],
    ids=["pdf-cut", "png-cut", "png-signature-then-html", "jpeg-start-then-html", "jpeg-cut"],
)
def test_a_header_alone_or_a_file_cut_short_is_refused(private_dir, content):
    assert refusal("scan.png", content).code == "damaged"
    assert stored_paths(private_dir) == []


def test_an_empty_file_is_refused(private_dir):
    with translation.override("en"):
        refused = refusal("avis.pdf", b"")

    assert refused.code == "empty"
    assert refused.message == "The file is empty. Send a PDF, JPEG or PNG file of 10 MB at most."
    assert stored_paths(private_dir) == []


def test_a_file_over_the_limit_is_refused(private_dir, settings):
    settings.PORTAIL_UPLOAD_MAX_MB = 1
    content = b"%PDF-1.4\n" + b"0" * (1024 * 1024) + b"\n%%EOF\n"

    with translation.override("en"):
        refused = refusal("avis.pdf", content)

    assert refused.code == "too_large"
    assert refused.message == (
        "The file is too large (1.0 MB). Send a PDF, JPEG or PNG file of 1 MB at most."
    )
    assert stored_paths(private_dir) == []


def test_the_messages_name_the_accepted_types_and_the_limit(settings):
    settings.PORTAIL_UPLOAD_MAX_MB = 4
    with translation.override("en"):
        with pytest.raises(FileRefused) as wrong:
            check_upload(upload("photo.png", HTML))
        with pytest.raises(FileRefused) as damaged:
            check_upload(upload("avis.pdf", pdf_bytes()[:-200]))

    assert wrong.value.message == (
        "This file is not a PDF, JPEG or PNG document (its content was checked). "
        "Send a PDF, JPEG or PNG file of 4 MB at most."
    )
    assert damaged.value.message == (
        "The file is incomplete or damaged. Send a PDF, JPEG or PNG file of 4 MB at most."
    )
