"""Reading a PDF the portal made back as text (pypdf), the way a parent reads it: the
one helper of every PDF test (basket, ticket, recap)."""

import io
import re

import pypdf


def normalize(text: str) -> str:
    """No-break spaces (narrow or not, as in "14,80 €") read as spaces."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def pages(pdf: bytes) -> list[str]:
    """Each page's text."""
    assert pdf.startswith(b"%PDF-")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [normalize(page.extract_text()) for page in reader.pages]


def text(pdf: bytes) -> str:
    """The whole PDF's text on one line (table cells wrap), every run of spaces as one."""
    return re.sub(r"\s+", " ", " ".join(pages(pdf)))


def lines(pdf: bytes) -> list[str]:
    """Every text line of every page, stripped (each table cell is its own line)."""
    return [line.strip() for page in pages(pdf) for line in page.splitlines() if line.strip()]


def find_row(all_lines: list[str], cells: list[str], start: int = 0) -> int:
    """Where the cells of one table row appear one after the other, from `start`; -1 else."""
    for index in range(start, len(all_lines) - len(cells) + 1):
        if all_lines[index : index + len(cells)] == cells:
            return index
    return -1
