"""The recap PDF of one enrolment ("Récapitulatif des actions"), as in the seed.

Child ("Nom Prénom"), activity, site and validity, then one table row per event on the
child's days under the seed's two header rows ("Réservation": Jour, Option, Prix;
"Absence": Non utilisé; "Action": Qui, Quand, Type d'action), and on every page the
organisation's name, when the PDF was made and "Page 2 / 5".

Rendered from plain data: a `Recap` whose rows are `RecapRow`s, which the recap of an
enrolment (reservations.recap.EnrolmentRecap and its rows, frozen dataclasses of plain
values) is; its labels are read in the language the PDF is made in.

Made to stay fast for a whole school year (several hundred rows, several pages): cells
are plain strings (no Paragraph layout), long texts are wrapped here with the font's
metrics, column widths are fixed, and the table is a LongTable whose header repeats on
every page. "Page n / total" comes from base.NumberedCanvas.

The "Option" column names what was booked (the activity); "Non utilisé" says "Oui" on
the day's absence ("Non" on its presence). The outcome or reason of an event, when there
is one ("Paid online", "Basket expired before payment"), is printed under its type, and
the credit it gave under that.
"""

import datetime
from collections.abc import Callable, Sequence
from io import BytesIO
from typing import Protocol
from xml.sax.saxutils import escape

from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable
from reportlab.platypus.tables import CellStyle

from portail.core.pdf.base import (
    BOLD,
    FONT,
    HEADER_WASH,
    INK,
    LINE,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    SIZE,
    ZEBRA,
    a4_document,
    date_text,
    numbered_canvas,
    pdf_text,
    wrap,
)

LEADING = 9.6
MARGIN = 14 * mm
WIDTH = PAGE_WIDTH - 2 * MARGIN
# Jour, Option, Prix, Non utilisé, Qui, Quand, Type d'action (points; they add up to WIDTH).
# Sized so that the usual texts take one line: an activity's name such as "Restauration
# Scolaire Malves" (Option), an e-mail such as "edwige.pages@example.org" (Qui), "Suppression
# : RESERVATION" (Type d'action); a row of one line keeps a school year on few pages.
COLUMNS = [44, 110, 36, 40, 106, 65]
COLUMNS.append(WIDTH - sum(COLUMNS))
CELL_PADDING = 2  # left and right, points
TOP_PADDING, BOTTOM_PADDING = 1.5, 2.5

TITLE_STYLE = ParagraphStyle("recap-title", fontName=BOLD, fontSize=15, leading=19, spaceAfter=8)


class RecapRow(Protocol):
    """One action on one child's day, as the table prints it."""

    @property
    def date(self) -> datetime.date: ...  # the day booked ("Jour")
    @property
    def action(self) -> str: ...  # the action's code, with `detail` the key of its label
    @property
    def detail(self) -> str: ...  # the reason's code, or ""
    @property
    def option(self) -> str: ...  # "Option": what was booked
    @property
    def who(self) -> str: ...
    @property
    def when(self) -> datetime.datetime: ...  # local time
    @property
    def action_label(self) -> str: ...  # "Type d'action", in the active language
    @property
    def detail_label(self) -> str: ...  # outcome or why, "" when there is none
    @property
    def credit_text(self) -> str: ...  # "Avoir : 3,70 €", "" when none
    @property
    def price_text(self) -> str: ...  # "3,70 €", a dash when the action has none
    @property
    def absence_text(self) -> str: ...  # "Non utilisé": Oui, Non, or a dash


class Recap(Protocol):
    """Everything the recap PDF of one enrolment prints."""

    @property
    def child_name(self) -> str: ...  # "PAGES-TEST Emy", as the seed's "Nom Prénom"
    @property
    def activity(self) -> str: ...
    @property
    def site(self) -> str: ...
    @property
    def valid_from(self) -> datetime.date: ...
    @property
    def valid_to(self) -> datetime.date: ...
    @property
    def rows(self) -> Sequence[RecapRow]: ...


# Each group of the first header row: its label and how many columns it spans.
GROUPS = (
    (gettext_noop("Reservation"), 3),
    (gettext_noop("Absence"), 1),
    (gettext_noop("Action"), 3),
)
HEADER_ROWS = 2


def header_rows() -> list[list[str]]:
    """The seed's two header rows: the groups, then the columns."""
    inner = [width - 2 * CELL_PADDING for width in COLUMNS]
    groups: list[str] = []
    for label, span in GROUPS:
        groups += [gettext(label)] + [""] * (span - 1)
    columns = [
        gettext("Day"),
        gettext("Option"),
        gettext("Price"),
        gettext("Not used"),
        gettext("Who"),
        gettext("When"),
        gettext("Type of action"),
    ]
    return [groups, [wrap(text, inner[i], BOLD) for i, text in enumerate(columns)]]


def table_rows(recap: Recap) -> list[list[str]]:
    """The table's text, the two header rows first."""
    inner = [width - 2 * CELL_PADDING for width in COLUMNS]
    rows = header_rows()
    # The same few texts come back on hundreds of rows: each is wrapped once.
    wrapped: dict[tuple[str, int], str] = {}

    def cell(text: str, column: int) -> str:
        key = (text, column)
        if key not in wrapped:
            wrapped[key] = wrap(text, inner[column])
        return wrapped[key]

    labels: dict[tuple, str] = {}
    for row in recap.rows:
        key = (row.action, row.detail, row.pending, row.validated_at, row.credit_cents)
        action = labels.get(key)
        if action is None:
            action = row.action_label
            if row.detail_label:
                action = f"{action}\n({row.detail_label})"
            if row.credit_text:
                action = f"{action}\n{row.credit_text}"
            action = labels[key] = cell(action, 6)
        rows.append(
            [
                date_text(row.date),
                cell(row.option, 1),
                pdf_text(row.price_text),
                row.absence_text,
                cell(row.who, 4),
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


def history_table(recap: Recap) -> Table:
    """The actions, one row each, under a header repeated on every page.

    Every cell of a kind shares one CellStyle object, given to the table directly: the
    usual per-cell style commands (font, padding, alignment) would be applied to each of
    the thousands of cells, and again to each page's part of the table."""
    rows = table_rows(recap)
    header = [_cell_style("head", font=BOLD)] * len(COLUMNS)
    body = [_cell_style("body")] * len(COLUMNS)
    body[2] = _cell_style("price", alignment="RIGHT")
    last_header = HEADER_ROWS - 1
    commands = [
        ("BACKGROUND", (0, 0), (-1, last_header), HEADER_WASH),
        ("ROWBACKGROUNDS", (0, HEADER_ROWS), (-1, -1), [colors.white, ZEBRA]),
        ("BOX", (0, 0), (-1, -1), 0.5, LINE),
        ("LINEBELOW", (0, last_header), (-1, last_header), 0.8, LINE),
    ]
    # Each group's label stands in its first column (no SPAN: spans are computed again for
    # every page's part of a long table), a line closes the group.
    end = -1
    for _label, span in GROUPS[:-1]:
        end += span
        commands.append(("LINEAFTER", (end, 0), (end, -1), 0.3, LINE))
    return LongTable(
        rows,
        colWidths=COLUMNS,
        rowHeights=row_heights(rows),
        repeatRows=HEADER_ROWS,
        style=TableStyle(commands),
        cellStyles=[header, header] + [body] * (len(rows) - HEADER_ROWS),
    )


def identity_table(recap: Recap) -> Table:
    """Nom Prénom / Activité / Site / Validité de l'inscription, as in the seed."""
    label_width = 48 * mm
    value_width = WIDTH - label_width - 2 * CELL_PADDING
    validity = gettext("From %(start)s to %(end)s") % {
        "start": date_text(recap.valid_from),
        "end": date_text(recap.valid_to),
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


def _decorate(recap: Recap, footer: str) -> Callable[[Canvas, SimpleDocTemplate], None]:
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
    recap: Recap,
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
        doc = a4_document(
            buffer,
            margin=MARGIN,
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
            canvasmaker=numbered_canvas(page_label, MARGIN),
        )
    return buffer.getvalue()
