"""The yearly certificates as PDFs: the attestation fiscale (childcare of children under 6)
and the attestation de paiement (everything paid in a year).

Rendered from plain data the billing app builds (billing/invoicing/certificate_issuing.py),
in the active language; the letterhead and tables are the invoice's (invoice.py).
"""

import datetime
import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from portail.core.pdf.base import PAGE_WIDTH, a4_document, date_text, money, numbered_canvas
from portail.core.pdf.invoice import STYLES, Provider, grid, letterhead, paragraph

MARGIN = 15 * mm
WIDTH = PAGE_WIDTH - 2 * MARGIN


@dataclass(frozen=True)
class CareRow:
    child: str  # "DUPONT Emy"
    birth_date: datetime.date
    amount_cents: int


@dataclass(frozen=True)
class TaxCertificatePdf:
    provider: Provider
    year: int
    household: str
    household_address: str
    rows: list[CareRow]
    total_cents: int
    made_on: datetime.date


@dataclass(frozen=True)
class PaymentRow:
    date: datetime.date
    paid_for: str  # "Basket PF2026000012", "Invoice FA2026-000003"
    means: str
    amount_cents: int


@dataclass(frozen=True)
class PaymentCertificatePdf:
    provider: Provider
    year: int
    household: str
    household_address: str
    rows: list[PaymentRow]
    total_cents: int
    made_on: datetime.date


def _build(title: str, provider: Provider, body: list[Flowable], made_on: datetime.date) -> bytes:
    buffer = io.BytesIO()
    doc = a4_document(buffer, margin=MARGIN, title=title, author=provider.name, subject=title)
    story: list[Flowable] = [
        *letterhead(provider),
        Paragraph(escape(title), STYLES["Title"]),
        *body,
        Spacer(1, 6 * mm),
        paragraph(_("Made on %(date)s, for the household's use.") % {"date": date_text(made_on)}),
        paragraph(provider.name),
    ]
    doc.build(story, canvasmaker=numbered_canvas(_("Page %(page)s / %(pages)s"), MARGIN))
    return buffer.getvalue()


def _addressee(household: str, address: str) -> Paragraph:
    return paragraph(household + (f"\n{address}" if address else ""))


def render_tax_certificate(document: TaxCertificatePdf) -> bytes:
    """The attestation fiscale: who provided the care, the household, per child the
    amount paid in the year, the total."""
    title = _("Tax certificate – childcare costs %(year)s") % {"year": document.year}
    data: list[list] = [[_("Child"), _("Born on"), _("Amount paid")]]
    for row in document.rows:
        data.append([row.child, date_text(row.birth_date), money(row.amount_cents)])
    data.append([_("Total"), "", money(document.total_cents)])
    widths = [WIDTH - 130 * mm + 60 * mm, 35 * mm, 35 * mm]
    body: list[Flowable] = [
        _addressee(document.household, document.household_address),
        Spacer(1, 4 * mm),
        paragraph(
            _(
                "%(provider)s, which provides the care, certifies that the household "
                "%(household)s paid in %(year)s the amounts below for the care of its "
                "children under 6 on 1 January %(year)s (before and after school care, "
                "leisure centre). Meals (school canteen) and penalties (surcharges for a "
                "child present without booking, days booked and not used) are not included."
            )
            % {
                "provider": document.provider.name,
                "household": document.household,
                "year": document.year,
            }
        ),
        Spacer(1, 4 * mm),
        grid(data, widths, numbers_from=2, total_row=True),
    ]
    return _build(title, document.provider, body, document.made_on)


def render_payment_certificate(document: PaymentCertificatePdf) -> bytes:
    """The attestation de paiement: every payment of the year, the total."""
    title = _("Certificate of payment %(year)s") % {"year": document.year}
    data: list[list] = [[_("Date"), _("Paid for"), _("Means of payment"), _("Amount")]]
    for row in document.rows:
        data.append([date_text(row.date), row.paid_for, row.means, money(row.amount_cents)])
    data.append([_("Total"), "", "", money(document.total_cents)])
    widths = [25 * mm, WIDTH - 105 * mm, 50 * mm, 30 * mm]
    body: list[Flowable] = [
        _addressee(document.household, document.household_address),
        Spacer(1, 4 * mm),
        paragraph(
            _(
                "%(provider)s certifies that the household %(household)s paid the amounts "
                "below in %(year)s for the services of the family portal (meals, care, "
                "leisure centre). Amounts paid with the household's credit are not "
                "repeated: that money was counted when it was paid."
            )
            % {
                "provider": document.provider.name,
                "household": document.household,
                "year": document.year,
            }
        ),
        Spacer(1, 4 * mm),
        grid(data, widths, numbers_from=3, total_row=True),
    ]
    return _build(title, document.provider, body, document.made_on)
