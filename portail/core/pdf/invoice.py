"""An invoice as a PDF (the seed's "Payer ma facture"): who bills (the collectivité and
its régie), the number, dates and period, the lines per child, the totals, what was
paid, what remains, and how to pay.

Rendered from an `InvoicePdf` the billing app builds (billing/invoicing/documents.py),
in the active language (French money "14,80 €" and dates "30/03/2023"). The helpers
`letterhead`, `grid` and `facts` are shared with the certificates (certificates.py).
"""

import datetime
import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from portail.core.pdf.base import (
    BOLD,
    FONT,
    HEADER_WASH,
    INK,
    LINE,
    PAGE_WIDTH,
    SIZE,
    a4_document,
    date_text,
    money,
    numbered_canvas,
    pdf_text,
)

MARGIN = 15 * mm
WIDTH = PAGE_WIDTH - 2 * MARGIN
# Day, Activity, Label, Quantity, Unit price, Total (points; they add up to WIDTH).
LINE_COLUMNS = [52, 110, 160, 42, 60]
LINE_COLUMNS.append(WIDTH - sum(LINE_COLUMNS))

STYLES = getSampleStyleSheet()
CELL = ParagraphStyle("invoice-cell", fontName=FONT, fontSize=SIZE, leading=SIZE * 1.2)
TEXT = ParagraphStyle("invoice-text", parent=STYLES["Normal"], fontSize=9, leading=12)


@dataclass(frozen=True)
class Provider:
    """Who bills or certifies: the collectivité and its régie."""

    name: str
    address: str
    regie: str  # "Régie de recettes de ..."
    numcli: str  # PayFiP client number, "" when not set
    contact: str  # "e-mail – phone", "" when none


@dataclass(frozen=True)
class InvoicePdfLine:
    date: datetime.date
    activity: str
    label: str
    quantity: int
    unit_price_cents: int
    total_cents: int


@dataclass(frozen=True)
class InvoicePdfChild:
    name: str  # "DUPONT Emy"
    lines: list[InvoicePdfLine]
    total_cents: int


@dataclass(frozen=True)
class InvoicePdf:
    """Everything the invoice's PDF prints (labels already in the active language)."""

    provider: Provider
    number: str
    household: str
    household_address: str
    issued_on: datetime.date
    due_on: datetime.date
    period_start: datetime.date
    period_end: datetime.date
    status: str  # "Unpaid", "Paid"...
    children: list[InvoicePdfChild]
    total_cents: int
    paid_cents: int
    cancelled_cents: int
    refunded_cents: int
    remaining_cents: int
    portal_url: str  # where to pay online
    counter_means: list[str]  # what the counter accepts, in words


def paragraph(text: str, style: ParagraphStyle = TEXT) -> Paragraph:
    """Plain text (escaped, line breaks kept) as a paragraph."""
    return Paragraph(escape(pdf_text(text)).replace("\n", "<br/>"), style)


def letterhead(provider: Provider) -> list[Flowable]:
    """The collectivité, its address, its régie and how to reach the service."""
    lines = [f"<b>{escape(pdf_text(provider.name))}</b>"]
    if provider.address:
        lines.append(escape(pdf_text(provider.address)).replace("\n", "<br/>"))
    regie = provider.regie
    if provider.numcli:
        regie = _("%(regie)s – PayFiP client number %(numcli)s") % {
            "regie": regie,
            "numcli": provider.numcli,
        }
    lines.append(escape(pdf_text(regie)))
    if provider.contact:
        lines.append(escape(pdf_text(provider.contact)))
    return [Paragraph("<br/>".join(lines), TEXT), Spacer(1, 5 * mm)]


def grid(data: list[list], widths: list[float], *, numbers_from: int, total_row: bool) -> Table:
    """A table with a header row repeated on every page; columns from `numbers_from` on are
    right-aligned (amounts); `total_row`: the last row is a bold total."""
    table = Table(data, colWidths=widths, repeatRows=1)
    style = [
        ("FONTNAME", (0, 0), (-1, 0), BOLD),
        ("FONTNAME", (0, 1), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), SIZE),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_WASH),
        ("GRID", (0, 0), (-1, -1), 0.5, LINE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ALIGN", (numbers_from, 0), (-1, -1), "RIGHT"),
    ]
    if total_row:
        style.append(("FONTNAME", (0, -1), (-1, -1), BOLD))
    table.setStyle(TableStyle(style))
    return table


def facts(rows: list[tuple[str, str]], *, bold_last: bool = False) -> Table:
    """Label / value pairs, two columns (the dates, the totals)."""
    table = Table([[label, pdf_text(value)] for label, value in rows], colWidths=[70 * mm, 50 * mm])
    style = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("ALIGN", (1, 0), (1, -1), "RIGHT"),
        ("LEFTPADDING", (0, 0), (0, -1), 0),
    ]
    if bold_last:
        style.append(("FONTNAME", (0, -1), (-1, -1), BOLD))
    table.setStyle(TableStyle(style))
    table.hAlign = "LEFT"
    return table


def _child_table(child: InvoicePdfChild) -> Table:
    header = [_("Day"), _("Activity"), _("Label"), _("Quantity"), _("Unit price"), _("Total")]
    data: list[list] = [header]
    for line in child.lines:
        data.append(
            [
                date_text(line.date),
                Paragraph(escape(line.activity), CELL),
                Paragraph(escape(line.label), CELL),
                str(line.quantity),
                money(line.unit_price_cents),
                money(line.total_cents),
            ]
        )
    data.append([_("Total for %(child)s") % {"child": child.name}, "", "", "", "", ""])
    data[-1][-1] = money(child.total_cents)
    table = grid(data, LINE_COLUMNS, numbers_from=3, total_row=True)
    table.setStyle(TableStyle([("SPAN", (0, -1), (-2, -1))]))
    return table


def _how_to_pay(document: InvoicePdf) -> list[Flowable]:
    if not document.remaining_cents:
        return []
    online = _(
        "Online, by card, on the family portal (%(url)s), page “My invoices”: the invoice "
        "number is the payment's reference."
    ) % {"url": document.portal_url}
    counter = _("At the service's counter: %(means)s.") % {
        "means": ", ".join(document.counter_means)
    }
    return [
        Paragraph(escape(_("How to pay")), STYLES["Heading3"]),
        paragraph(
            _("Please pay %(amount)s by %(date)s.")
            % {"amount": money(document.remaining_cents), "date": date_text(document.due_on)}
        ),
        paragraph(f"– {online}"),
        paragraph(f"– {counter}"),
    ]


def render_invoice_pdf(document: InvoicePdf) -> bytes:
    """The PDF of `document`: letterhead, number and dates, lines per child, totals, how to
    pay, "Page n / total" on every page."""
    buffer = io.BytesIO()
    title = _("Invoice %(number)s") % {"number": document.number}
    doc = a4_document(
        buffer, margin=MARGIN, title=title, author=document.provider.name, subject=title
    )
    story: list[Flowable] = [
        *letterhead(document.provider),
        Paragraph(escape(title), STYLES["Title"]),
        paragraph(
            _("Billed to: %(household)s") % {"household": document.household}
            + (f"\n{document.household_address}" if document.household_address else "")
        ),
        Spacer(1, 3 * mm),
        facts(
            [
                (_("Invoice number"), document.number),
                (_("Issued on"), date_text(document.issued_on)),
                (_("Due on"), date_text(document.due_on)),
                (
                    _("Period"),
                    _("%(start)s to %(end)s")
                    % {
                        "start": date_text(document.period_start),
                        "end": date_text(document.period_end),
                    },
                ),
                (_("Status"), document.status),
            ]
        ),
        Spacer(1, 5 * mm),
    ]
    for child in document.children:
        story.append(Paragraph(escape(child.name), STYLES["Heading3"]))
        story.append(_child_table(child))
        story.append(Spacer(1, 4 * mm))
    totals = [(_("Total of the invoice"), money(document.total_cents))]
    if document.cancelled_cents:
        totals.append((_("Cancelled by credit notes"), money(document.cancelled_cents)))
    totals.append((_("Paid"), money(document.paid_cents)))
    if document.refunded_cents:
        totals.append((_("Given back as credit"), money(document.refunded_cents)))
    totals.append((_("Remaining to pay"), money(document.remaining_cents)))
    story.append(KeepTogether([facts(totals, bold_last=True), *_how_to_pay(document)]))
    doc.build(story, canvasmaker=numbered_canvas(_("Page %(page)s / %(pages)s"), MARGIN))
    return buffer.getvalue()
