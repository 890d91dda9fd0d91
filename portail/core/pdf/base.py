"""What every PDF of the portal shares: the A4 page, its fonts and colours, text the
standard PDF fonts can draw, money and dates as the seed prints them, wrapping, and the
"Page n / total" canvas."""

import datetime
import functools
from collections.abc import Callable
from typing import IO

from django.utils import formats, timezone
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import SimpleDocTemplate

from portail.core.money import format_cents

# Page streams compressed as binary (Flate) rather than also ASCII85-encoded: a quarter
# smaller and faster to write, and read by every PDF reader. (A process-wide reportlab
# setting: it suits every PDF the portal makes.)
rl_config.useA85 = 0

FONT = "Helvetica"
BOLD = "Helvetica-Bold"
SIZE = 8
PAGE_WIDTH, PAGE_HEIGHT = A4
INK = colors.HexColor("#1d1d1f")
HEADER_WASH = colors.HexColor("#dfe6f2")
ZEBRA = colors.HexColor("#f4f6fa")
LINE = colors.HexColor("#9aa3b5")


def pdf_text(text: str) -> str:
    """Text the standard PDF fonts can draw: their encoding has no narrow no-break space
    (format_cents uses one in French), so it becomes a no-break space."""
    return text.replace("\u202f", "\u00a0")


def money(cents: int) -> str:
    """An amount in the active language ("14,80 €"), drawable by the standard fonts."""
    return pdf_text(format_cents(cents))


def date_text(day: datetime.date) -> str:
    """A day as the seed prints it, "30/03/2023": the portal's SHORT_DATE_FORMAT (the same
    in French and English, portail/formats), as on the pages and in the e-mails. A moment
    is first put in the portal's time zone (23:30 UTC is the next day in Paris)."""
    if isinstance(day, datetime.datetime) and timezone.is_aware(day):
        day = timezone.localtime(day)
    return formats.date_format(day, "SHORT_DATE_FORMAT")


@functools.lru_cache(maxsize=2048)
def wrap(text: str, width: float, font: str = FONT, size: float = SIZE) -> str:
    """`text` with line breaks so that no line is wider than `width` points.

    Breaks at spaces when it can, else anywhere (a long e-mail address). Cached: a recap
    repeats the same few actors, channels and actions hundreds of times."""
    if stringWidth(text, font, size) <= width:
        return text
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if stringWidth(candidate, font, size) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            line = ""
            for char in word:
                if stringWidth(line + char, font, size) > width and line:
                    lines.append(line)
                    line = ""
                line += char
        lines.append(line)
    return "\n".join(lines)


def a4_document(buffer: IO[bytes], *, margin: float, title: str, **info) -> SimpleDocTemplate:
    """An A4 portrait document with the same margin on every side; `info` is the rest of
    the document's metadata (author, subject, lang...)."""
    return SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title=title,
        **info,
    )


class NumberedCanvas(Canvas):
    """A canvas that writes "Page n / total" on every page once the total is known.

    "Page n / total" needs the total, so the canvas keeps each page's drawing until the
    end instead of laying the document out twice."""

    page_label = "Page %(page)s / %(pages)s"
    margin = 14.0  # points from the right edge and twice that from the bottom one

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont(FONT, SIZE)
            self.setFillColor(INK)
            label = self.page_label % {"page": self._pageNumber, "pages": total}
            self.drawRightString(PAGE_WIDTH - self.margin, self.margin / 2, label)
            super().showPage()
        super().save()


def numbered_canvas(page_label: str, margin: float) -> Callable[..., Canvas]:
    """NumberedCanvas with the page label in the document's language, drawn inside the
    page's `margin`."""

    class LabelledCanvas(NumberedCanvas):
        pass

    LabelledCanvas.page_label = page_label
    LabelledCanvas.margin = margin
    return LabelledCanvas
