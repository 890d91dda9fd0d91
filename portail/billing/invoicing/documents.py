"""What an invoice's PDF holds, built from the invoice (its layout is
portail.core.pdf.invoice's): the page, the API and any e-mail use `invoice_pdf()`.

`provider()` is who bills and certifies (the Organisation: name, address, its régie and
PayFiP client number, the service's contact); the certificates print it too.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from portail.accounts.emails import absolute_url
from portail.billing.invoicing.queries import with_lines
from portail.billing.models import COUNTER_METHODS, Invoice, InvoicePaymentMethod
from portail.core.grammar import of_name
from portail.core.models import Organisation
from portail.core.pdf.invoice import (
    InvoicePdf,
    InvoicePdfChild,
    InvoicePdfLine,
    Provider,
    render_invoice_pdf,
)
from portail.families.models import Household


def provider(organisation: Organisation | None = None) -> Provider:
    """The collectivité as the PDFs print it, in the active language."""
    organisation = organisation or Organisation.current() or Organisation(name="")
    contact = [organisation.contact_email, organisation.contact_phone]
    return Provider(
        name=organisation.name,
        address=organisation.address,
        regie=of_name(
            organisation.name,
            _("Collection office (régie) of %(name)s"),
            pgettext("before a vowel", "Collection office (régie) of %(name)s"),
        )
        % {"name": organisation.name},
        numcli=organisation.payfip_numcli,
        contact=" – ".join(part for part in contact if part),
    )


def household_address(household: Household) -> str:
    town = f"{household.postal_code} {household.city}".strip()
    return "\n".join(part for part in (household.address.strip(), town) if part)


def child_name(child) -> str:
    """As the seed writes a child: "DUPONT Emy"."""
    return f"{child.last_name} {child.first_name}"


def invoice_children(invoice: Invoice) -> list[InvoicePdfChild]:
    """The invoice's lines grouped per child (children in the order of their first line,
    lines by day). Reads `invoice.lines` (prefetch it: queries.with_lines)."""
    grouped: dict[int, tuple[str, list[InvoicePdfLine]]] = {}
    for line in invoice.lines.all():
        name, lines = grouped.setdefault(line.child_id, (child_name(line.child), []))
        lines.append(
            InvoicePdfLine(
                date=line.session.date,
                activity=line.session.activity.name,
                label=line.get_kind_display(),
                quantity=line.quantity,
                unit_price_cents=line.unit_price_cents,
                total_cents=line.total_cents,
            )
        )
    return [
        InvoicePdfChild(name=name, lines=lines, total_cents=sum(x.total_cents for x in lines))
        for name, lines in grouped.values()
    ]


def invoice_document(invoice: Invoice) -> InvoicePdf:
    """What the PDF of `invoice` prints, in the active language."""
    if "lines" not in getattr(invoice, "_prefetched_objects_cache", {}):
        invoice = with_lines(Invoice.objects.filter(pk=invoice.pk)).get()
    household = invoice.household
    return InvoicePdf(
        provider=provider(),
        number=invoice.number,
        household=household.name,
        household_address=household_address(household),
        issued_on=invoice.issued_on,
        due_on=invoice.due_on,
        period_start=invoice.period_start,
        period_end=invoice.period_end,
        status=str(invoice.get_status_display()),
        children=invoice_children(invoice),
        total_cents=invoice.total_cents,
        paid_cents=invoice.paid_cents,
        cancelled_cents=invoice.cancelled_cents,
        refunded_cents=invoice.refunded_cents,
        remaining_cents=invoice.remaining_cents,
        portal_url=absolute_url(reverse("billing:invoices")),
        counter_means=[str(InvoicePaymentMethod(code).label) for code in COUNTER_METHODS],
    )


def invoice_pdf(invoice: Invoice) -> bytes:
    """The invoice's PDF, in the active language."""
    return render_invoice_pdf(invoice_document(invoice))


def invoice_filename(invoice: Invoice) -> str:
    return f"facture-{invoice.number}.pdf"
