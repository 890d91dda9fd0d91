"""The stored name is generated: nothing of the family's file name in the path; the name
shown for download is the family's, cleaned."""

import pytest

from portail.procedures.uploads import JPEG, PDF, PNG, display_name, save_upload
from tests.world.uploads import pdf_bytes, png_bytes, stored_paths, upload


def test_a_path_in_the_file_name_goes_nowhere(private_dir, tmp_path):
    stored = save_upload(upload("../../etc/passwd.pdf", pdf_bytes()), prefix="requests/7")

    assert stored.name.startswith("requests/7/")
    assert ".." not in stored.name and "passwd" not in stored.name
    assert stored.original_name == "passwd.pdf"
    assert stored_paths(private_dir) == [stored.name]
    assert stored_paths(tmp_path) == [f"private/{stored.name}"]


def test_two_files_of_the_same_name_are_both_kept(private_dir):
    first = save_upload(upload("avis.pdf", pdf_bytes("first")), prefix="requests/7")
    second = save_upload(upload("avis.pdf", pdf_bytes("second")), prefix="requests/7")

    assert first.name != second.name
    assert first.original_name == second.original_name == "avis.pdf"
    assert (private_dir / first.name).read_bytes() == pdf_bytes("first")
    assert (private_dir / second.name).read_bytes() == pdf_bytes("second")


@pytest.mark.parametrize("prefix", ["../up", "/etc", "requests/../..", "Requests/7", "a//b", ""])
def test_a_prefix_is_lower_case_words_separated_by_slashes(private_dir, prefix):
    with pytest.raises(ValueError):
        save_upload(upload("avis.png", png_bytes()), prefix=prefix)
    assert stored_paths(private_dir) == []


@pytest.mark.parametrize(
    ("original", "content_type", "shown"),
    [
        ("../../etc/passwd.pdf", PDF, "passwd.pdf"),
        ("C:\\Users\\Léa\\Avis d'impôt 2026.PDF", PDF, "Avis d'impôt 2026.PDF"),
        ("photo.JPEG", JPEG, "photo.JPEG"),
        ("scan.jpg", PNG, "scan.jpg.png"),
        ("scan", PNG, "scan.png"),
        (".htaccess", PDF, "htaccess.pdf"),
        ("", PDF, "document.pdf"),
        (None, JPEG, "document.jpg"),
        ("...pdf", PDF, "pdf.pdf"),
        (" . ", PDF, "document.pdf"),
        ("facture\u202efdp.exe", PDF, "facture fdp.exe.pdf"),  # right-to-left override
        ("a\r\nContent-Type: text/html\r\n.pdf", PDF, "html.pdf"),
        ('avis"; filename="x.html.pdf', PDF, "avis__ filename=_x.html.pdf"),
    ],
)
def test_the_name_shown_is_cleaned(original, content_type, shown):
    assert display_name(original, content_type) == shown


def test_a_long_name_keeps_its_extension():
    shown = display_name("justificatif " * 20 + ".pdf", PDF)

    assert len(shown) <= 100
    assert shown.startswith("justificatif justificatif") and shown.endswith(".pdf")
