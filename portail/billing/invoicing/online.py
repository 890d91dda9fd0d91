"""Paying an invoice on PayFiP: the same client, notification, return and polling as a
basket's payment (billing/checkout.py, billing/payments.py).

`start_checkout(invoice, use_credit=...)`, under the household's then the invoice's lock:
1. a paid or cancelled invoice: refused, `nothing_due`;
2. `use_credit`: the household's available credit is applied at once (an InvoicePayment
   of method `credit`, settling.apply_credit_locked); if it covers what remains the invoice is
   paid: `{"status": "paid"}`;
3. what remains is paid online: PayFiP takes 1,00 EUR to 100 000 EUR, so less than 1,00
   EUR cannot be paid online (`below_minimum`: pay at the counter, or with credit),
   more than the maximum neither (`above_maximum`); nothing is written then, not even the
   credit. One attempt at a time per invoice: while one is pending its PayFiP page is
   offered again (`payment_in_progress` once that page is gone);
4. a `Payment` row (invoice set, no basket; refdet = the invoice number without its
   dash, attempt n) for what remains, and the history's "online payment started", in one
   transaction; then, outside any transaction, creerPaiementSecurise. PayFiP down: the
   payment fails (history "online payment not completed"), the credit applied stays
   applied, `payfip_unavailable`.

payments.py takes it from there: a paid answer applies the money to the invoice
(settling.apply_online_payment: what the invoice no longer needs becomes credit), other
answers change nothing on the invoice. `send_invoice_ticket()` is the payment ticket:
e-mailed and kept in "Mes documents" (billing/tickets.py sends it for invoice payments).
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portail.accounts import emails
from portail.accounts.models import User
from portail.billing import credits
from portail.billing import payments as payment_service
from portail.billing.checkout import create_on_payfip, payer_email
from portail.billing.invoicing import history, settling
from portail.billing.invoicing.documents import invoice_filename, invoice_pdf
from portail.billing.invoicing.settling import InvoiceRefused
from portail.billing.models import (
    PAYFIP_MAX_CENTS,
    PAYFIP_MIN_CENTS,
    Invoice,
    InvoiceAction,
    InvoicePayment,
    Payment,
    PaymentState,
)
from portail.core.models import Organisation
from portail.core.money import format_cents
from portail.families import messaging
from portail.families.models import Document
from portail.payfip.validators import normalise_objet

logger = logging.getLogger("portail.billing")

# CheckoutResult.status
PAID = "paid"
AWAITING_PAYMENT = "awaiting_payment"

# InvoiceRefused codes (besides settling's).
BELOW_MINIMUM = "below_minimum"
ABOVE_MAXIMUM = "above_maximum"
NO_EMAIL = "no_email"
PAYMENT_IN_PROGRESS = "payment_in_progress"
PAYFIP_UNAVAILABLE = "payfip_unavailable"

TICKET_TEMPLATE = "billing/email/invoice_ticket"


@dataclass
class CheckoutResult:
    status: str  # "paid" | "awaiting_payment"
    invoice: Invoice
    amount_cents: int  # what PayFiP is asked for (0 when paid)
    credit_applied_cents: int  # credit applied by this checkout
    payment: Payment | None = None
    payment_url: str | None = None


def refdet(invoice: Invoice) -> str:
    """The debt reference PayFiP gets: the invoice number without its dash."""
    return invoice.number.replace("-", "")


def _objet(invoice: Invoice) -> str:
    org = Organisation.current()
    return f"{org.name if org else 'Portail Famille'} {invoice.number}"


def _online_refusal(remaining_cents: int) -> InvoiceRefused | None:
    if remaining_cents < PAYFIP_MIN_CENTS:
        return InvoiceRefused(
            BELOW_MINIMUM,
            _(
                "The amount left to pay (%(amount)s) is below the minimum of %(minimum)s for "
                "an online payment: please pay it at the counter."
            )
            % {"amount": format_cents(remaining_cents), "minimum": format_cents(PAYFIP_MIN_CENTS)},
        )
    if remaining_cents > PAYFIP_MAX_CENTS:
        return InvoiceRefused(
            ABOVE_MAXIMUM,
            _("The amount left to pay (%(amount)s) is above the maximum of an online payment.")
            % {"amount": format_cents(remaining_cents)},
        )
    return None


def _pending(row: Invoice, now: datetime.datetime) -> CheckoutResult:
    """An attempt is already pending: its PayFiP page again while it lives."""
    payment = row.payments.filter(state=PaymentState.PENDING).order_by("-attempt").first()
    url = payment_service.resume_url(payment, now=now) if payment is not None else None
    if url is None:
        raise InvoiceRefused(
            PAYMENT_IN_PROGRESS,
            _(
                "A payment of this invoice is being processed: its result will be known in a "
                "few minutes."
            ),
        )
    return CheckoutResult(AWAITING_PAYMENT, row, payment.amount_cents, 0, payment, url)


def start_checkout(
    invoice: Invoice,
    *,
    use_credit: bool,
    actor: User,
    channel: str,
    now: datetime.datetime | None = None,
) -> CheckoutResult:
    """Pay `invoice`: credit first if asked, then PayFiP for what remains (see the
    module's docstring). Raises InvoiceRefused (nothing written, except that an attempt
    PayFiP could not create is recorded as failed)."""
    now = now or timezone.now()
    with transaction.atomic():
        row = settling.lock_invoice(invoice)
        if row.status in settling.CLOSED_STATUSES:
            raise settling.nothing_due()
        if row.payments.filter(state=PaymentState.PENDING).exists():
            return _pending(row, now)
        remaining = row.remaining_cents
        credit = min(credits.available_cents(row.household_id), remaining) if use_credit else 0
        if credit < remaining:
            refusal = _online_refusal(remaining - credit)
            if refusal is not None:
                raise refusal
        if credit:
            settling.apply_credit_locked(
                row, actor=actor, channel=channel, now=now, max_cents=credit
            )
        if row.remaining_cents == 0:
            return CheckoutResult(PAID, row, 0, credit)
        mel = payer_email(row.household, actor)
        if mel is None:
            raise InvoiceRefused(
                NO_EMAIL,
                _(
                    "Online payment needs a valid e-mail address for this household: please "
                    "contact the service."
                ),
            )
        payment = _new_payment(row, mel, actor, channel, now)
    result = CheckoutResult(AWAITING_PAYMENT, row, payment.amount_cents, credit, payment)
    result.payment_url = create_on_payfip(payment, now, unavailable=_unavailable)
    return result


def _new_payment(
    row: Invoice, mel: str, actor: User, channel: str, now: datetime.datetime
) -> Payment:
    """The payment row for what remains, and the history (household and invoice locked)."""
    attempt = (row.payments.aggregate(last=Max("attempt"))["last"] or 0) + 1
    amount = row.remaining_cents
    payment = Payment.objects.create(
        invoice=row,
        basket=None,
        household_id=row.household_id,
        attempt=attempt,
        refdet=refdet(row),
        state=PaymentState.PENDING,
        amount_cents=amount,
        reservations_cents=amount,
        cancellations_cents=0,
        credit_applied_cents=0,
        credit_hold_cents=0,
        numcli=settings.PAYFIP_NUMCLI,
        exer=timezone.localdate(now).year,
        mel=mel,
        objet=normalise_objet(_objet(row)),
        actor=actor,
        channel=channel,
        created_at=now,
    )
    history.record(
        row,
        action=InvoiceAction.ONLINE_STARTED,
        actor=actor,
        channel=channel,
        amount_cents=amount,
        detail=f"{payment.refdet} #{attempt}",
        at=now,
    )
    return payment


def _unavailable() -> InvoiceRefused:
    return InvoiceRefused(
        PAYFIP_UNAVAILABLE,
        _(
            "The online payment service is not available at the moment. Nothing was paid: "
            "please try again in a few minutes."
        ),
    )


# --- the payment ticket ------------------------------------------------------------------


def _url(name: str, *args) -> str:
    try:
        return emails.absolute_url(reverse(name, args=args))
    except NoReverseMatch:  # the families' invoice pages are not mounted (tests' URLs)
        return ""


def send_invoice_ticket(payment: Payment) -> Document:
    """The ticket of an invoice's PayFiP payment just confirmed: e-mailed to the
    household's guardians and kept in "Mes documents" (kind payment_ticket), with the
    invoice's PDF as it now stands attached."""
    payment = Payment.objects.select_related("invoice", "household").get(pk=payment.pk)
    invoice = payment.invoice
    household = payment.household
    applied = (
        InvoicePayment.objects.filter(payment=payment)
        .values_list("amount_cents", flat=True)
        .first()
        or 0
    )
    context = {
        "payment": payment,
        "invoice": invoice,
        "household": household,
        "organisation": Organisation.current(),
        "amount": format_cents(payment.amount_cents),
        "applied": format_cents(applied),
        "surplus": format_cents(payment.amount_cents - applied),
        "has_surplus": payment.amount_cents > applied,
        "remaining": format_cents(invoice.remaining_cents),
        "paid_at": timezone.localtime(payment.paid_at) if payment.paid_at else None,
        "invoice_url": _url("billing:invoice", invoice.pk),
        "documents_url": _url("families:documents"),
    }

    def write() -> tuple[str, str]:
        subject = render_to_string(f"{TICKET_TEMPLATE}_subject.txt", context)
        body = render_to_string(f"{TICKET_TEMPLATE}_body.txt", context)
        return " ".join(subject.split()), body.strip() + "\n"

    # The invoice as it is now (paid, remaining), drawn by core/pdf/, in the language of
    # the household's first guardian (one file for the household).
    with translation.override(messaging.household_language(household)):
        attachment = (invoice_filename(invoice), invoice_pdf(invoice), "application/pdf")
    return messaging.send_to_household_in_languages(
        household, kind=Document.Kind.PAYMENT_TICKET, write=write, attachments=[attachment]
    )
