"""Files a family may upload (tiny but real PDF, JPEG and PNG), and a private storage in a
temporary folder for the tests that store them (portail/procedures/uploads.py)."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from reportlab.pdfgen import canvas


def pdf_bytes(text: str = "Avis d'imposition") -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, invariant=True)  # no date, no random id: the same bytes
    page.drawString(72, 720, text)
    page.save()
    return buffer.getvalue()


def image_bytes(kind: str = "PNG", size: tuple[int, int] = (8, 8)) -> bytes:
    """A real image, "PNG" or "JPEG" (Pillow comes with reportlab)."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, kind)
    return buffer.getvalue()


def png_bytes() -> bytes:
    return image_bytes("PNG")


def jpeg_bytes() -> bytes:
    return image_bytes("JPEG")


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    """An UploadedFile as a view receives it; the browser's content type is whatever the
    test says (the portal never believes it)."""
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_paths(folder: Path) -> list[str]:
    """Every file under `folder`, relative, sorted."""
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())


@pytest.fixture
def private_dir(settings, tmp_path) -> Path:
    """STORAGES["private"] is a FileSystemStorage in a fresh temporary folder."""
    folder = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(folder), "base_url": None},
        },
    }
    return folder
