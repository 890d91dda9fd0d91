"""The payment ticket ("ticket de paiement") and the validation e-mail.

The seed: "Lors de la validation de votre paiement, vous recevrez impérativement un ticket
de paiement par mail ; celui-ci validera votre réservation." Sent to the household's
guardians and kept in "Mes documents", with the ticket's PDF attached (ticket_pdf.py: PAID,
the amount, the credit used, the reference and date, each day and what became of it):

- a PayFiP payment confirmed: `payment_confirmed` (once per payment, after its commit)
  → `send_payment_ticket()`, kind payment_ticket (an invoice's payment: its own ticket,
  invoicing.online.send_invoice_ticket());
- a basket validated without payment (OK) or paid at the counter: `basket_validated`
  (once per basket, after its commit) → `send_basket_ticket()`: payment_ticket for the
  counter, basket_pdf (the basket's detail) for OK.

Each guardian gets the text in their own language (messaging.send_to_household_in_languages;
a co-parent who never chose one, the portal's default); the copy kept in "Mes documents" is
one document holding each version, and the PDF is in the first guardian's language. The
content comes from receipts.receipt(), read back from the database.

Receivers never raise into the payment (payments.py sends the signals with send_robust,
and a failure to send mail is logged by messaging).
"""

import logging

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from portail.accounts import emails
from portail.billing import credits
from portail.billing.invoicing import online
from portail.billing.models import Payment
from portail.billing.receipts import COUNTER, Receipt, receipt
from portail.billing.ticket_pdf import render_ticket_pdf, ticket_filename
from portail.core.models import Organisation
from portail.families import messaging
from portail.families.models import Document
from portail.reservations.models import Basket, BasketStatus

logger = logging.getLogger("portail.billing")

TEMPLATE = "billing/email/ticket"


def _ticket_pdf(result: Receipt, language: str) -> tuple[str, bytes, str]:
    with translation.override(language):
        content = render_ticket_pdf(result)
    return ticket_filename(result), content, "application/pdf"


def send_ticket(result: Receipt, *, kind: str) -> Document:
    """E-mail `result` to the basket's household and keep it in "Mes documents"."""
    basket = result.basket
    household = basket.household
    context = {
        "receipt": result,
        "household": household,
        "organisation": Organisation.current(),
        "credit_available_cents": credits.available_cents(household),
        "documents_url": emails.absolute_url(reverse("families:documents")),
        "planning_url": emails.absolute_url(reverse("reservations:planning")),
    }

    def write() -> tuple[str, str]:
        subject = render_to_string(f"{TEMPLATE}_subject.txt", context)
        body = render_to_string(f"{TEMPLATE}_body.txt", context)
        return " ".join(subject.split()), body.strip() + "\n"

    attachment = _ticket_pdf(result, messaging.household_language(household))
    return messaging.send_to_household_in_languages(
        household, kind=kind, write=write, attachments=[attachment]
    )


def send_payment_ticket(payment: Payment) -> Document:
    """The ticket of a PayFiP payment just confirmed (paid)."""
    payment = Payment.objects.select_related("basket__household").get(pk=payment.pk)
    return send_ticket(receipt(payment.basket, payment), kind=Document.Kind.PAYMENT_TICKET)


def send_basket_ticket(basket: Basket) -> Document | None:
    """The e-mail of a basket validated without payment (OK) or paid at the counter."""
    basket = Basket.objects.select_related("household").get(pk=basket.pk)
    if basket.status not in (BasketStatus.VALIDATED, BasketStatus.PAID):
        return None
    result = receipt(basket)
    kind = Document.Kind.PAYMENT_TICKET if result.kind == COUNTER else Document.Kind.BASKET_PDF
    return send_ticket(result, kind=kind)


def on_payment_confirmed(sender, payment: Payment, settlement=None, **kwargs) -> None:
    """`payment_confirmed` receiver (once per payment, after the commit): the basket's
    ticket, or the invoice's (invoicing/online.py)."""
    if payment.invoice_id is not None:
        online.send_invoice_ticket(payment)
        return
    send_payment_ticket(payment)


def on_basket_validated(sender, basket: Basket, settlement=None, **kwargs) -> None:
    """`basket_validated` receiver (once per basket, after the commit)."""
    send_basket_ticket(basket)
