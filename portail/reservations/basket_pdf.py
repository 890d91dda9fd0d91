"""The basket's detail as a PDF ("Télécharger le détail des réservations / des annulations
en PDF"), for the basket page, the API and the ticket's attachment.

This module says what the PDF holds (which lines, which title, which totals); its layout
is portail.core.pdf.basket's."""

from django.utils.translation import gettext as _

from portail.core.models import Organisation
from portail.core.pdf.basket import BasketPdf, BasketPdfLine
from portail.core.pdf.basket import render_basket_pdf as render
from portail.families.models import Household
from portail.reservations.models import Basket, LineKind
from portail.reservations.summary import BasketContents, SummaryLine

# ?kind= chooses: the reservations only, the cancellations only, or (no kind) everything.
PDF_KINDS = {"reservations": LineKind.RESERVATION, "cancellations": LineKind.CANCELLATION}


def pdf_kind(value: str | None) -> str | None:
    """The line kind a PDF is asked for (?kind=reservations|cancellations), None for the
    whole basket; ValueError for anything else."""
    if not value:
        return None
    if value not in PDF_KINDS:
        raise ValueError(value)
    return PDF_KINDS[value]


def pdf_filename(basket: Basket, kind: str | None) -> str:
    suffix = {LineKind.RESERVATION: "-reservations", LineKind.CANCELLATION: "-annulations"}
    return f"panier-{basket.reference}{suffix.get(kind, '')}.pdf"


def _title(kind: str | None) -> str:
    if kind == LineKind.RESERVATION:
        return _("Details of the reservations")
    if kind == LineKind.CANCELLATION:
        return _("Details of the cancellations")
    return _("Basket contents")


def _line(line: SummaryLine) -> BasketPdfLine:
    """A line as the basket page writes it ("PAGES-TEST Emy", "11:30")."""
    return BasketPdfLine(
        status=str(LineKind(line.kind).label),
        activity=(
            f"{line.activity.name} – {_('Invoiced later')}" if line.invoiced else line.activity.name
        ),
        child=f"{line.child.last_name} {line.child.first_name}",
        date=line.date,
        time=line.start.strftime("%H:%M"),
        quantity=line.quantity,
        unit_price_cents=line.unit_price_cents,
        total_cents=line.total_cents,
    )


def _total(lines: list[SummaryLine], kind: str, *, invoiced: bool = False) -> int | None:
    """The sum of the unit prices of the `kind` lines shown, paid with the basket (or, with
    `invoiced`, invoiced later); None when none is shown."""
    prices = [
        line.unit_price_cents for line in lines if line.kind == kind and line.invoiced == invoiced
    ]
    return sum(prices) if prices else None


def basket_document(
    basket: Basket, summary: BasketContents, household: Household, *, kind: str | None = None
) -> BasketPdf:
    """What the PDF of `basket` prints, in the active language.

    `kind`: LineKind.RESERVATION or LineKind.CANCELLATION for only those lines (and their
    total), None for the whole basket. Totals are the sums of the lines shown (days
    invoiced later apart), so the PDF of a basket already validated or paid says what it
    contained."""
    lines = [line for line in summary.lines if kind is None or line.kind == kind]
    return BasketPdf(
        title=_title(kind),
        reference=basket.reference,
        household=household.name,
        lines=[_line(line) for line in lines],
        reservations_total_cents=_total(lines, LineKind.RESERVATION),
        cancellations_total_cents=_total(lines, LineKind.CANCELLATION),
        invoiced_total_cents=_total(lines, LineKind.RESERVATION, invoiced=True),
        issuer=issuer_lines(),
        # The whole basket's credit and amount due, when the summary carries them (the
        # billing layer's BasketSummary does; a bare BasketContents has no credit).
        credit_applied_cents=getattr(summary, "credit_applied_cents", None)
        if kind is None
        else None,
        amount_due_cents=getattr(summary, "amount_due_cents", None) if kind is None else None,
    )


def issuer_lines() -> list[str]:
    """The collectivité's name and address, as the documents it issues print them."""
    organisation = Organisation.current()
    if organisation is None:
        return []
    address = [line.strip() for line in organisation.address.splitlines() if line.strip()]
    return [organisation.name, *address]


def render_basket_pdf(
    basket: Basket, summary: BasketContents, household: Household, *, kind: str | None = None
) -> bytes:
    """The seed's "Détails des réservations" table of `basket`, as a PDF (see
    basket_document for what it holds)."""
    return render(basket_document(basket, summary, household, kind=kind))
