"""Documents a family sends with a démarche (justificatifs): checked, stored, served.

The contract (docs/procedures.md, "Documents (uploads)"):

- `check_upload(file)` judges a Django UploadedFile by its CONTENT, never by its name or
  the content type the browser sent: a PDF (`%PDF-` first, `%%EOF` in its last 1024
  bytes), a PNG (its signature, then IHDR; the IEND chunk in its last 1024 bytes) or a
  JPEG (FF D8 FF, then well-formed segments up to a frame header and the start of scan).
  Not empty, at most `PORTAIL_UPLOAD_MAX_MB` megabytes. A refusal raises `FileRefused`
  (`code`: `empty`, `too_large`, `wrong_type`, `damaged`; `message`: translated, naming
  the accepted types and the limit). The JPEG's end marker is not required: phones'
  "motion photos" append a video after it.
- `save_upload(file, *, prefix)` checks, then stores through Django's storage API
  (`STORAGES["private"]`: a folder outside the static files, or an S3-compatible bucket)
  under a generated name `<prefix>/<32 hex digits>.<pdf|jpg|png>`; nothing of the
  family's file name goes into the path. A refused file is never written. It returns a
  `StoredFile`: the storage name, the original name cleaned for display, the detected
  content type, the size.
- `open_stored(name)`, `delete_stored(name)`: the stored file, read or removed.
- `stored_file_response(stored)` (a StoredFile or a RequestAttachment): a download
  (attachment, the cleaned name, the detected type, nosniff, never kept by a shared
  cache; 404 when the file is gone). Who may see it is the caller's question.
- `UploadSizeLimitHandler` (first in `FILE_UPLOAD_HANDLERS`): a file over the limit is
  not written to memory or disk past the limit; the view receives a placeholder whose
  `size` is what was sent, and `check_upload` refuses it as `too_large`.
"""

from __future__ import annotations

import io
import os
import re
import unicodedata
import uuid
from dataclasses import dataclass
from typing import IO, Protocol

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import FileResponse, Http404
from django.utils.cache import add_never_cache_headers
from django.utils.formats import number_format
from django.utils.translation import gettext as _

STORAGE_ALIAS = "private"

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
# The detected type: the extension of the stored name and of the name shown for download,
# and the other extensions a family's file of that type may already carry.
EXTENSIONS = {PDF: (".pdf",), JPEG: (".jpg", ".jpeg", ".jpe"), PNG: (".png",)}

TAIL_BYTES = 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_IEND = b"\x00\x00\x00\x00IEND\xaeB`\x82"
# JPEG frame headers (SOF0-SOF15 without DHT C4, JPG C8 and DAC CC); SOS starts the scan.
JPEG_FRAMES = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
JPEG_SOS = 0xDA
JPEG_MAX_SEGMENTS = 1000

DISPLAY_NAME_MAX = 100
PREFIX = re.compile(r"[a-z0-9_-]+(/[a-z0-9_-]+)*")


class FileRefused(Exception):
    """An upload that is not kept: `code` for programs, `message` for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class StoredFile:
    name: str  # the storage's name: generated, never the family's
    original_name: str  # the family's file name, cleaned, for display and download
    content_type: str  # the detected one
    size: int


class Stored(Protocol):
    """A StoredFile, or a row that keeps its fields (procedures' RequestAttachment)."""

    name: str
    original_name: str
    content_type: str


def max_bytes() -> int:
    return settings.PORTAIL_UPLOAD_MAX_MB * 1024 * 1024


def _megabytes(size: int) -> str:
    return number_format(size / (1024 * 1024), 1)


def _refused(code: str, size: int = 0) -> FileRefused:
    limit = {"max_mb": settings.PORTAIL_UPLOAD_MAX_MB}
    advice = _("Send a PDF, JPEG or PNG file of %(max_mb)s MB at most.") % limit
    if code == "empty":
        reason = _("The file is empty.")
    elif code == "too_large":
        reason = _("The file is too large (%(size_mb)s MB).") % {"size_mb": _megabytes(size)}
    elif code == "damaged":
        reason = _("The file is incomplete or damaged.")
    else:
        reason = _("This file is not a PDF, JPEG or PNG document (its content was checked).")
    return FileRefused(code, f"{reason} {advice}")


# --- the content ---------------------------------------------------------------------


def _read_at(file: IO[bytes], offset: int, count: int) -> bytes:
    file.seek(offset)
    return file.read(count)


def _jpeg_is_well_formed(file: IO[bytes], size: int) -> bool:
    """Segments from SOI follow one another (marker, length) up to SOS, a frame header
    among them: a real JPEG's structure, not three magic bytes before anything."""
    position, frame_seen = 2, False
    for _segment in range(JPEG_MAX_SEGMENTS):
        header = _read_at(file, position, 4)
        if len(header) < 4 or header[0] != 0xFF:
            return False
        marker = header[1]
        if marker == 0xFF:  # a fill byte before the marker
            position += 1
            continue
        if marker == JPEG_SOS:
            return frame_seen and position + 4 < size
        if marker in (0x01, 0xD8, 0xD9) or 0xD0 <= marker <= 0xD7:
            return False  # no marker without a length may come before the scan
        length = int.from_bytes(header[2:4], "big")
        if length < 2:
            return False
        frame_seen = frame_seen or marker in JPEG_FRAMES
        position += 2 + length
    return False


def _detect(file: IO[bytes], size: int) -> str:
    """The content type `file` really has; FileRefused `wrong_type` or `damaged`."""
    head = _read_at(file, 0, 16)
    tail = _read_at(file, max(0, size - TAIL_BYTES), TAIL_BYTES)
    if head.startswith(b"%PDF-"):
        if b"%%EOF" not in tail:
            raise _refused("damaged")
        return PDF
    if head.startswith(PNG_SIGNATURE):
        if head[12:16] != b"IHDR" or PNG_IEND not in tail:
            raise _refused("damaged")
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        if not _jpeg_is_well_formed(file, size):
            raise _refused("damaged")
        return JPEG
    raise _refused("wrong_type")


def _size(file: UploadedFile) -> int:
    if file.size is not None:
        return file.size
    file.seek(0, os.SEEK_END)
    return file.tell()


def check_upload(file: UploadedFile) -> str:
    """The content type of an acceptable upload; FileRefused otherwise. Nothing written."""
    size = _size(file)
    if size == 0:
        raise _refused("empty")
    if size > max_bytes():
        raise _refused("too_large", size)
    try:
        return _detect(file, size)
    finally:
        file.seek(0)


# --- names ---------------------------------------------------------------------------


def display_name(original: str | None, content_type: str) -> str:
    """The family's file name for display and download: no folder, no control or
    separator character, no leading dot, at most 100 characters, and an extension that
    says the detected type ("scan" sent as a PNG: "scan.png"; "photo.jpeg" stays)."""
    name = unicodedata.normalize("NFC", original or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(
        " " if unicodedata.category(char)[0] in "CZ" else char for char in name
    )  # controls, format characters, line and paragraph separators, odd spaces
    name = re.sub(r'[<>:"|?*;]', "_", name)
    name = " ".join(name.split()).lstrip(". ")
    stem, extension = os.path.splitext(name)
    if extension.lower() not in EXTENSIONS[content_type]:
        stem, extension = name, EXTENSIONS[content_type][0]
    stem = stem.rstrip(". ")[: DISPLAY_NAME_MAX - len(extension)].rstrip(". ") or "document"
    return stem + extension


def generated_name(prefix: str, content_type: str) -> str:
    """`<prefix>/<random hex>.<ext>`: the prefix is the caller's (e.g. "requests/42"),
    lower-case letters, digits, `_`, `-` and `/` between parts."""
    if not PREFIX.fullmatch(prefix):
        raise ValueError(f"A storage prefix is lower-case words separated by '/': {prefix!r}")
    return f"{prefix}/{uuid.uuid4().hex}{EXTENSIONS[content_type][0]}"


# --- storage -------------------------------------------------------------------------


def private_storage() -> Storage:
    """STORAGES["private"] (read each time: tests point it to a temporary folder)."""
    return storages[STORAGE_ALIAS]


def save_upload(file: UploadedFile, *, prefix: str) -> StoredFile:
    """Check `file` (FileRefused when refused: then nothing is written) and store it."""
    content_type = check_upload(file)
    size = _size(file)
    original_name = display_name(file.name, content_type)
    # The detected type, never the browser's: an S3 bucket keeps it with the object.
    file.content_type = content_type
    file.seek(0)
    name = private_storage().save(generated_name(prefix, content_type), file)
    return StoredFile(name, original_name, content_type, size)


def open_stored(name: str) -> File:
    """The stored file, open for reading (FileNotFoundError when it is gone)."""
    return private_storage().open(name, "rb")


def delete_stored(name: str) -> None:
    """Remove a stored file; nothing happens when it is already gone."""
    private_storage().delete(name)


# --- serving -------------------------------------------------------------------------


def stored_file_response(stored: Stored) -> FileResponse:
    """The stored file as a download; Http404 when it is gone from the storage. The
    caller decides who may have it."""
    storage = private_storage()
    if not storage.exists(stored.name):
        raise Http404
    response = FileResponse(
        storage.open(stored.name, "rb"),
        as_attachment=True,
        filename=stored.original_name,
        content_type=stored.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    add_never_cache_headers(response)  # private, no-store: never kept by a shared cache
    return response


# --- the request's size limit --------------------------------------------------------


class OversizedUpload(UploadedFile):
    """What a view receives for a file over the limit: no content, the size that was
    sent (at least the limit plus one byte), so that check_upload answers `too_large`."""

    def __init__(self, name: str, size: int, field_name: str) -> None:
        super().__init__(io.BytesIO(), name, "application/octet-stream", size, None)
        self.field_name = field_name


class UploadSizeLimitHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: each file passes on to Django's handlers (memory,
    then a temporary file) until it is over PORTAIL_UPLOAD_MAX_MB; the rest is counted,
    not kept, and the file becomes an OversizedUpload. Django itself bounds only the
    other fields of a form (DATA_UPLOAD_MAX_MEMORY_SIZE), not its files."""

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.limit = max_bytes()
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        return raw_data if self.received <= self.limit else None

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if self.received <= self.limit:
            return None  # the next handler's file
        return OversizedUpload(self.file_name or "", self.received, self.field_name)
