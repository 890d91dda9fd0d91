"""Reading a PDF back as text (pypdf), the way the tests check what a parent reads."""

import io

import pypdf


def normalize(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def pages(pdf: bytes) -> list[str]:
    assert pdf.startswith(b"%PDF-")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [normalize(page.extract_text()) for page in reader.pages]


def lines(pdf: bytes) -> list[str]:
    """Every text line of every page, stripped (each table cell is its own line)."""
    return [line.strip() for page in pages(pdf) for line in page.splitlines() if line.strip()]


def find_row(all_lines: list[str], cells: list[str], start: int = 0) -> int:
    """Where the cells of one table row appear one after the other, from `start`; -1 else."""
    for index in range(start, len(all_lines) - len(cells) + 1):
        if all_lines[index : index + len(cells)] == cells:
            return index
    return -1
