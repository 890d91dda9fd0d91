"""A real PDF, JPEG or PNG is stored, under the type its content has."""

import io

import pytest
from PIL import Image

from portail.procedures.uploads import (
    JPEG,
    PDF,
    PNG,
    delete_stored,
    open_stored,
    save_upload,
)
from tests.world.uploads import jpeg_bytes, pdf_bytes, png_bytes, stored_paths, upload


@pytest.mark.parametrize(
    ("build", "content_type", "extension"),
    [(pdf_bytes, PDF, ".pdf"), (jpeg_bytes, JPEG, ".jpg"), (png_bytes, PNG, ".png")],
)
def test_a_real_file_is_stored_as_it_was_sent(private_dir, build, content_type, extension):
    content = build()
    sent = upload(f"justificatif{extension}", content, "application/octet-stream")

    stored = save_upload(sent, prefix="requests/7")

    assert stored.content_type == content_type
    assert stored.size == len(content)
    assert stored.original_name == f"justificatif{extension}"
    assert stored.name.startswith("requests/7/") and stored.name.endswith(extension)
    assert stored_paths(private_dir) == [stored.name]
    assert (private_dir / stored.name).read_bytes() == content
    with open_stored(stored.name) as reopened:
        assert reopened.read() == content


def test_the_type_is_the_contents_never_the_name_or_the_browsers(private_dir):
    stored = save_upload(upload("scan.pdf", png_bytes(), "application/pdf"), prefix="requests/7")

    assert stored.content_type == PNG
    assert stored.name.endswith(".png")
    assert stored.original_name == "scan.pdf.png"


def test_a_jpeg_with_large_metadata_progressive_or_a_video_after_its_end(private_dir):
    """ICC profiles over 64 KB take several segments; a progressive JPEG has another frame
    header; phones' motion photos append a video after the image's end marker."""
    buffer = io.BytesIO()
    profile = bytes(range(256)) * 400  # 100 KB: two APP2 segments
    Image.new("RGB", (16, 16), "blue").save(buffer, "JPEG", progressive=True, icc_profile=profile)
    motion_photo = buffer.getvalue() + b"\x00\x00\x00\x18ftypmp42" + bytes(5000)

    for content in (buffer.getvalue(), motion_photo):
        assert save_upload(upload("photo.jpeg", content), prefix="requests/7").content_type == JPEG


def test_a_file_of_exactly_the_limit_is_accepted(private_dir, settings):
    settings.PORTAIL_UPLOAD_MAX_MB = 1
    start, end = b"%PDF-1.4\n%", b"\n%%EOF\n"
    content = start + b"0" * (1024 * 1024 - len(start) - len(end)) + end

    stored = save_upload(upload("avis.pdf", content), prefix="requests/7")

    assert stored.size == 1024 * 1024


def test_a_stored_file_is_deleted_and_deleting_it_again_is_harmless(private_dir):
    stored = save_upload(upload("avis.pdf", pdf_bytes()), prefix="requests/7")

    delete_stored(stored.name)
    delete_stored(stored.name)

    assert stored_paths(private_dir) == []
    with pytest.raises(FileNotFoundError):
        open_stored(stored.name)
