"""The recap PDF of one enrolment ("Récapitulatif des actions"), as in the seed.

Child ("Nom Prénom"), activity, site and validity, then one table row per action on the
child's days (Jour, Option, Prix, Absence, Qui, Quand, Type d'action), and on every page
the organisation's name, when the PDF was made and "Page 2 / 5".

Made to stay fast for a whole school year (several hundred rows, several pages): cells
are plain strings (no Paragraph layout), long texts are wrapped here with the font's
metrics, column widths are fixed, and the table is a LongTable whose header repeats on
every page. "Page n / total" needs the total, so the canvas keeps each page's drawing
until the end (NumberedCanvas) instead of laying the document out twice.

The "Option" column names the way the action came in (website, typical week, API,
back office, automatic); the reason of an action, when the history has one ("Basket
expired before payment"), is printed under its type.
"""

import datetime
import functools
from collections.abc import Callable
from io import BytesIO
from xml.sax.saxutils import escape

from django.utils import timezone, translation
from django.utils.translation import gettext
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable
from reportlab.platypus.tables import CellStyle

from portail.families.recap import EnrolmentRecap

# Page streams compressed as binary (Flate) rather than also ASCII85-encoded: a quarter
# smaller and faster to write, and read by every PDF reader. (A process-wide reportlab
# setting: it suits every PDF the portal makes.)
rl_config.useA85 = 0

FONT = "Helvetica"
BOLD = "Helvetica-Bold"
SIZE = 8
LEADING = 9.6
MARGIN = 14 * mm
PAGE_WIDTH, PAGE_HEIGHT = A4
WIDTH = PAGE_WIDTH - 2 * MARGIN
# Jour, Option, Prix, Absence, Qui, Quand, Type d'action (points; they add up to WIDTH).
COLUMNS = [46, 56, 44, 40, 142, 68]
COLUMNS.append(WIDTH - sum(COLUMNS))
CELL_PADDING = 3  # left and right, points
TOP_PADDING, BOTTOM_PADDING = 1.5, 2.5
INK = colors.HexColor("#1d1d1f")
HEADER_WASH = colors.HexColor("#dfe6f2")
ZEBRA = colors.HexColor("#f4f6fa")
LINE = colors.HexColor("#9aa3b5")

TITLE_STYLE = ParagraphStyle("recap-title", fontName=BOLD, fontSize=15, leading=19, spaceAfter=8)


def pdf_text(text: str) -> str:
    """Text the standard PDF fonts can draw: their encoding has no narrow no-break space
    (format_cents uses one in French), so it becomes a no-break space."""
    return text.replace("\u202f", "\u00a0")


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


def _date(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def table_rows(recap: EnrolmentRecap) -> list[list[str]]:
    """The table's text, header first."""
    inner = [width - 2 * CELL_PADDING for width in COLUMNS]
    header = [
        gettext("Day"),
        gettext("Option"),
        gettext("Price"),
        gettext("Absence"),
        gettext("Who"),
        gettext("When"),
        gettext("Type of action"),
    ]
    rows = [header]
    # The same few labels come back on hundreds of rows: each is translated and wrapped once.
    actions: dict[tuple[str, str], str] = {}
    channels: dict[str, str] = {}
    for row in recap.rows:
        action = actions.get((row.action, row.detail))
        if action is None:
            action = row.action_label
            if row.detail_label:
                action = f"{action}\n({row.detail_label})"
            action = actions[(row.action, row.detail)] = wrap(action, inner[6])
        channel = channels.get(row.channel)
        if channel is None:
            channel = channels[row.channel] = wrap(row.channel_label, inner[1])
        rows.append(
            [
                _date(row.date),
                channel,
                pdf_text(row.price_text),
                row.absence_text,
                wrap(row.who, inner[4]),
                row.when.strftime("%d/%m/%Y %H:%M"),
                action,
            ]
        )
    return rows


def row_heights(rows: list[list[str]]) -> list[float]:
    """Each row's height from its tallest cell (given to the table, which then need not
    measure every cell itself)."""
    padding = TOP_PADDING + BOTTOM_PADDING
    return [max(cell.count("\n") for cell in row) * LEADING + LEADING + padding for row in rows]


def _cell_style(name: str, *, font: str = FONT, alignment: str = "LEFT") -> CellStyle:
    style = CellStyle(name)
    style.fontname = font
    style.fontsize = SIZE
    style.leading = LEADING
    style.color = INK
    style.alignment = alignment
    style.valign = "TOP"
    style.leftPadding = style.rightPadding = CELL_PADDING
    style.topPadding = TOP_PADDING
    style.bottomPadding = BOTTOM_PADDING
    return style


def history_table(recap: EnrolmentRecap) -> Table:
    """The actions, one row each, under a header repeated on every page.

    Every cell of a kind shares one CellStyle object, given to the table directly: the
    usual per-cell style commands (font, padding, alignment) would be applied to each of
    the thousands of cells, and again to each page's part of the table."""
    rows = table_rows(recap)
    header = [_cell_style("head", font=BOLD)] * len(COLUMNS)
    body = [_cell_style("body")] * len(COLUMNS)
    body[2] = _cell_style("price", alignment="RIGHT")
    style = TableStyle(
        [
            ("BACKGROUND", (0, 0), (-1, 0), HEADER_WASH),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA]),
            ("BOX", (0, 0), (-1, -1), 0.5, LINE),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, LINE),
        ]
    )
    return LongTable(
        rows,
        colWidths=COLUMNS,
        rowHeights=row_heights(rows),
        repeatRows=1,
        style=style,
        cellStyles=[header] + [body] * (len(rows) - 1),
    )


def identity_table(recap: EnrolmentRecap) -> Table:
    """Nom Prénom / Activité / Site / Validité de l'inscription, as in the seed."""
    label_width = 48 * mm
    value_width = WIDTH - label_width - 2 * CELL_PADDING
    validity = gettext("From %(start)s to %(end)s") % {
        "start": _date(recap.valid_from),
        "end": _date(recap.valid_to),
    }
    rows = [
        [gettext("Last name First name"), wrap(recap.child_name, value_width, BOLD, 10)],
        [gettext("Activity"), wrap(recap.activity, value_width, BOLD, 10)],
        [gettext("Site"), wrap(recap.site, value_width, BOLD, 10)],
        [gettext("Enrolment validity"), validity],
    ]
    return Table(
        rows,
        colWidths=[label_width, WIDTH - label_width],
        hAlign="LEFT",
        style=TableStyle(
            [
                ("FONT", (0, 0), (0, -1), FONT, 10, 12.5),
                ("FONT", (1, 0), (1, -1), BOLD, 10, 12.5),
                ("TEXTCOLOR", (0, 0), (-1, -1), INK),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, LINE),
            ]
        ),
    )


class NumberedCanvas(Canvas):
    """A canvas that writes "Page n / total" on every page once the total is known."""

    page_label = "Page %(page)s / %(pages)s"

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
            self.drawRightString(PAGE_WIDTH - MARGIN, MARGIN / 2, label)
            super().showPage()
        super().save()


def _canvas_maker(page_label: str) -> Callable[..., Canvas]:
    """NumberedCanvas with the page label in the document's language."""

    class LabelledCanvas(NumberedCanvas):
        pass

    LabelledCanvas.page_label = page_label
    return LabelledCanvas


def _decorate(recap: EnrolmentRecap, footer: str) -> Callable[[Canvas, SimpleDocTemplate], None]:
    """Draws what every page carries: whose recap it is (after page 1) and the footer."""
    running_head = f"{recap.child_name} – {recap.activity}"

    def on_page(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(FONT, SIZE)
        canvas.setFillColor(INK)
        if doc.page > 1:
            canvas.drawString(MARGIN, PAGE_HEIGHT - MARGIN / 2 - SIZE / 2, running_head)
        canvas.setStrokeColor(LINE)
        canvas.setLineWidth(0.4)
        canvas.line(MARGIN, MARGIN * 0.8, PAGE_WIDTH - MARGIN, MARGIN * 0.8)
        canvas.drawString(MARGIN, MARGIN / 2, footer)
        canvas.restoreState()

    return on_page


def render_recap_pdf(
    recap: EnrolmentRecap,
    *,
    organisation_name: str,
    language: str,
    produced_at: datetime.datetime | None = None,
) -> bytes:
    """The PDF of `recap` in `language` ("fr" or "en"), made at `produced_at` (now)."""
    produced_at = timezone.localtime(produced_at or timezone.now())
    with translation.override(language):
        title = gettext("Summary of actions")
        footer = gettext("%(organisation)s – produced on %(date)s at %(time)s") % {
            "organisation": organisation_name,
            "date": produced_at.strftime("%d/%m/%Y"),
            "time": produced_at.strftime("%H:%M"),
        }
        page_label = gettext("Page %(page)s / %(pages)s")
        story: list[Flowable] = [
            Paragraph(escape(title), TITLE_STYLE),
            identity_table(recap),
            Spacer(0, 6 * mm),
        ]
        if recap.rows:
            story.append(history_table(recap))
        else:
            story.append(
                Paragraph(
                    escape(gettext("No action has been recorded for this enrolment yet.")),
                    ParagraphStyle("recap-empty", fontName=FONT, fontSize=10, leading=13),
                )
            )
        buffer = BytesIO()
        doc = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN,
            title=f"{title} – {recap.child_name} – {recap.activity}",
            author=organisation_name,
            subject=title,
            creator="Portail Famille",
            lang=language,
            displayDocTitle=True,
        )
        on_page = _decorate(recap, footer)
        doc.build(
            story,
            onFirstPage=on_page,
            onLaterPages=on_page,
            canvasmaker=_canvas_maker(page_label),
        )
    return buffer.getvalue()
