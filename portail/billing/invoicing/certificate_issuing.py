"""Issuing the yearly certificates: the PDF (core/pdf/certificates.py) of the amounts
(certificates.py), e-mailed to the household's guardians and kept in "Mes documents"
(families.messaging, like the payment ticket).

Once per household, year and kind: a certificate already issued is never issued again
(nor replaced). Both the January command (`portail issue_certificates`) and the family's
button for a past year find the same document, which is identified by its kind and its
attachment's file name (`attestation-fiscale-2025.pdf`), under the household's row lock
so two requests at once issue one. Nothing paid (or, for the tax certificate, no child
under 6 with care paid): no certificate.

Text is in the language of the household's first active guardian.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portail.accounts import emails
from portail.billing.invoicing import certificates
from portail.billing.invoicing.documents import child_name, household_address, provider
from portail.core.pdf.certificates import (
    CareRow,
    PaymentCertificatePdf,
    PaymentRow,
    TaxCertificatePdf,
    render_payment_certificate,
    render_tax_certificate,
)
from portail.families import messaging
from portail.families.models import Document, Household
from portail.reservations.holds import lock_household

TAX = Document.Kind.TAX_CERTIFICATE
PAYMENT = Document.Kind.PAYMENT_CERTIFICATE
KINDS = (TAX, PAYMENT)
FILE_NAMES = {TAX: "attestation-fiscale-{year}.pdf", PAYMENT: "attestation-paiement-{year}.pdf"}
# How many past years a family may ask for on its invoices page.
YEARS_ON_DEMAND = 5


@dataclass(frozen=True)
class Issued:
    kind: str
    year: int
    document: Document | None  # None: nothing to certify
    created: bool  # False: it had been issued before (or there is nothing)


def years_on_demand(today: datetime.date) -> list[int]:
    """The past years a family may ask for, newest first (never the current year: it is
    not over)."""
    return [today.year - offset for offset in range(1, YEARS_ON_DEMAND + 1)]


def file_name(kind: str, year: int) -> str:
    return FILE_NAMES[kind].format(year=year)


def existing(household: Household, kind: str, year: int) -> Document | None:
    """The certificate of that kind and year already in "Mes documents", if any."""
    return (
        Document.objects.filter(
            household=household, kind=kind, attachments__filename=file_name(kind, year)
        )
        .order_by("pk")
        .first()
    )


def _tax_pdf(household: Household, year: int, today: datetime.date) -> bytes | None:
    amounts = certificates.tax_certificate(household, year)
    if not amounts.children:
        return None
    return render_tax_certificate(
        TaxCertificatePdf(
            provider=provider(),
            year=year,
            household=household.name,
            household_address=household_address(household),
            rows=[
                CareRow(child_name(row.child), row.child.birth_date, row.total_cents)
                for row in amounts.children
            ],
            total_cents=amounts.total_cents,
            made_on=today,
        )
    )


def _paid_for(item: certificates.PaidItem) -> str:
    if item.kind == certificates.INVOICE:
        return _("Invoice %(number)s") % {"number": item.reference}
    return _("Basket %(reference)s") % {"reference": item.reference}


def _payment_pdf(household: Household, year: int, today: datetime.date) -> bytes | None:
    amounts = certificates.payment_certificate(household, year)
    if not amounts.items:
        return None
    return render_payment_certificate(
        PaymentCertificatePdf(
            provider=provider(),
            year=year,
            household=household.name,
            household_address=household_address(household),
            rows=[
                PaymentRow(
                    timezone.localdate(item.at),
                    _paid_for(item),
                    item.method_label,
                    item.amount_cents,
                )
                for item in amounts.items
            ],
            total_cents=amounts.total_cents,
            made_on=today,
        )
    )


def _subject(kind: str, year: int) -> str:
    if kind == TAX:
        return _("Tax certificate %(year)s (childcare of children under 6)") % {"year": year}
    return _("Certificate of payment %(year)s") % {"year": year}


def _body(kind: str, year: int) -> str:
    return _(
        "Hello,\n\nPlease find attached your %(what)s. It is also kept in “My documents” "
        "on the family portal: %(url)s\n\nThe family portal"
    ) % {
        "what": _subject(kind, year),
        "url": emails.absolute_url(reverse("families:documents")),
    }


def _issue_one(household: Household, kind: str, year: int, today: datetime.date) -> Issued:
    found = existing(household, kind, year)
    if found is not None:
        return Issued(kind, year, found, created=False)
    make = _tax_pdf if kind == TAX else _payment_pdf
    pdf = make(household, year, today)
    if pdf is None:
        return Issued(kind, year, None, created=False)
    document = messaging.send_to_household(
        household,
        kind=kind,
        subject=_subject(kind, year),
        body=_body(kind, year),
        attachments=[(file_name(kind, year), pdf, "application/pdf")],
    )
    return Issued(kind, year, document, created=True)


def issue_certificates(
    household: Household, year: int, *, now: datetime.datetime, kinds=KINDS
) -> list[Issued]:
    """Issue the household's certificates of `year` (each once: see the module's
    docstring). The year must be over."""
    today = timezone.localdate(now)
    if year >= today.year:
        raise ValueError(f"The year {year} is not over.")
    with translation.override(messaging.household_language(household)), transaction.atomic():
        lock_household(household)
        return [_issue_one(household, kind, year, today) for kind in kinds]
