"""Paying an invoice on PayFiP (the simulator): start it as the family does, and what
the tests read back."""

from django.db.models import Sum

from portail.billing import credits
from portail.billing.invoicing import online
from portail.billing.models import CreditKind, Invoice, InvoicePayment, Payment
from portail.reservations.models import Channel
from tests.invoices.settling.world import TOTAL, fresh, gestionnaire, invoice_world  # noqa: F401


def start(world, invoice, *, use_credit=False) -> online.CheckoutResult:
    return online.start_checkout(
        invoice, use_credit=use_credit, actor=world.guardian.user, channel=Channel.WEB
    )


def grant(world, cents: int) -> None:
    credits.adjust(world.household, cents, reason="Geste", actor=gestionnaire())


def online_applied(invoice: Invoice) -> list[tuple[int, int]]:
    """(payment id, amount) of the online money counted on the invoice."""
    return list(
        InvoicePayment.objects.filter(invoice=invoice, method="online").values_list(
            "payment_id", "amount_cents"
        )
    )


def surplus_cents(payment: Payment) -> int:
    return (
        payment.credit_entries.filter(kind=CreditKind.PAYMENT_SURPLUS).aggregate(
            total=Sum("amount_cents")
        )["total"]
        or 0
    )
