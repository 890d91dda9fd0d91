"""The basket's detail as a PDF: the seed's "Détails des réservations" table, on one A4
page per ~35 lines, then the totals ("Montant total de la réservation / de l'annulation").

Rendered from a `BasketPdf` the reservations app builds from the basket; the text is in
the active language (French money "14,80 €" and dates "30/03/2023")."""

import datetime
import io
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from portail.core.pdf.base import BOLD, a4_document, date_text, money, pdf_text

MARGIN = 15 * mm
# Statut, Activité, Enfant, Date, Heure, Quantité, Prix, Total.
COLUMNS = [30 * mm, 45 * mm, 35 * mm, 20 * mm, 13 * mm, 15 * mm, 16 * mm, 16 * mm]


@dataclass(frozen=True)
class BasketPdfLine:
    """One line of the table, its labels already in the active language."""

    status: str  # "PRE-RESERVATION", "ANNULATION"
    activity: str
    child: str  # "PAGES-TEST Emy"
    date: datetime.date
    time: str  # "11:30"
    quantity: int
    unit_price_cents: int
    total_cents: int


@dataclass(frozen=True)
class Stamp:
    """A box under the title: "PAID" (or "VALIDATED") and its figures, in words."""

    title: str
    lines: list[str]


@dataclass(frozen=True)
class BasketPdf:
    """Everything the basket's PDF prints."""

    title: str  # "Contenu du panier", "Détails des réservations"...
    reference: str
    household: str
    lines: list[BasketPdfLine]
    # The totals printed under the table; None leaves that total out.
    reservations_total_cents: int | None
    cancellations_total_cents: int | None
    # Days booked in the basket but invoiced after the fact (not paid with it).
    invoiced_total_cents: int | None = None
    # The collectivité issuing it (name, then its address's lines), printed at the top.
    issuer: list[str] = field(default_factory=list)
    # The credit the basket uses and what is left to pay (None: not printed).
    credit_applied_cents: int | None = None
    amount_due_cents: int | None = None
    # What became of the basket, in a box under the title ("PAID" and its figures).
    stamp: Stamp | None = None


def _table(lines: list[BasketPdfLine], body_style) -> Table:
    """The lines under a header repeated on every page."""
    header = [
        _("Status"),
        _("Activity"),
        _("Child"),
        _("Date"),
        _("Time"),
        _("Quantity"),
        _("Price"),
        _("Total"),
    ]
    data = [header] + [
        [
            line.status,
            Paragraph(escape(line.activity), body_style),
            Paragraph(escape(line.child), body_style),
            date_text(line.date),
            line.time,
            str(line.quantity),
            money(line.unit_price_cents),
            money(line.total_cents),
        ]
        for line in lines
    ]
    table = Table(data, repeatRows=1, colWidths=COLUMNS)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, 0), BOLD),
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                ("ALIGN", (5, 1), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def render_basket_pdf(document: BasketPdf) -> bytes:
    """The PDF of `document`: title, household and reference, the table, the totals."""
    buffer = io.BytesIO()
    doc = a4_document(buffer, margin=MARGIN, title=f"{document.title} {document.reference}")
    styles = getSampleStyleSheet()
    story = [Paragraph(escape(line), styles["Normal"]) for line in document.issuer]
    story += [
        Paragraph(escape(document.title), styles["Title"]),
        Paragraph(
            escape(
                _("Household: %(name)s – reference %(reference)s")
                % {"name": document.household, "reference": document.reference}
            ),
            styles["Normal"],
        ),
        Spacer(1, 5 * mm),
    ]
    if document.stamp is not None:
        story += [_stamp(document.stamp, styles), Spacer(1, 5 * mm)]
    story += [_table(document.lines, styles["BodyText"]), Spacer(1, 5 * mm)]
    if document.reservations_total_cents is not None:
        story.append(
            Paragraph(
                _("Total amount of the reservation: %(amount)s")
                % {"amount": money(document.reservations_total_cents)},
                styles["Heading3"],
            )
        )
    if document.cancellations_total_cents is not None:
        story.append(
            Paragraph(
                _("Total amount of the cancellation: %(amount)s")
                % {"amount": money(document.cancellations_total_cents)},
                styles["Heading3"],
            )
        )
    if document.invoiced_total_cents is not None:
        story.append(
            Paragraph(
                _("Invoiced later (not paid now): %(amount)s")
                % {"amount": money(document.invoiced_total_cents)},
                styles["Heading3"],
            )
        )
    for label, cents in (
        (_("Credit applied: %(amount)s"), document.credit_applied_cents),
        (_("Amount due: %(amount)s"), document.amount_due_cents),
    ):
        if cents is not None:
            story.append(Paragraph(label % {"amount": money(cents)}, styles["Heading3"]))
    doc.build(story)
    return buffer.getvalue()


def _stamp(stamp: Stamp, styles) -> Table:
    """The stamp's title in large bold letters over its lines, in a framed box."""
    rows = [[Paragraph(f"<b>{escape(stamp.title)}</b>", styles["Heading2"])]]
    rows += [[Paragraph(escape(pdf_text(line)), styles["Normal"])] for line in stamp.lines]
    box = Table(rows, colWidths=[sum(COLUMNS)])
    box.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 1.5, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
            ]
        )
    )
    return box
