"""An issued invoice to pay, and what the settling tests read back.

The invoice comes from a real billing run (tests/invoices/world.py): three days booked
on the leisure centre (invoiced on booking, 8,00 EUR each), 24,00 EUR in all.
"""

from django.db.models import Sum

from portail.backoffice.permissions import GESTIONNAIRE, grant_role
from portail.billing import credits
from portail.billing.models import Invoice, InvoiceEvent
from tests import factories
from tests.invoices import world as invoices_world
from tests.invoices.world import FRI, MON, THU, World

TOTAL = 3 * invoices_world.LEISURE_PRICE


def invoice_world(**kwargs) -> tuple[World, Invoice]:
    world = invoices_world.build(**kwargs)
    for day in (MON, THU, FRI):
        invoices_world.booked(world, world.child, day, activity=world.leisure)
    invoice = invoices_world.issued_invoice(world)
    assert invoice.total_cents == TOTAL
    return world, invoice


def gestionnaire(email: str | None = None):
    user = factories.staff(email=email)
    grant_role(user, GESTIONNAIRE)
    return user


def fresh(invoice: Invoice) -> Invoice:
    return Invoice.objects.get(pk=invoice.pk)


def actions(invoice: Invoice) -> list[tuple[str, int | None]]:
    """The invoice's history after its issue: (action, amount), oldest first."""
    return list(
        InvoiceEvent.objects.filter(invoice=invoice)
        .exclude(action="issued")
        .order_by("at", "pk")
        .values_list("action", "amount_cents")
    )


def applied_cents(invoice: Invoice) -> int:
    return invoice.payments_applied.aggregate(total=Sum("amount_cents"))["total"] or 0


def balance(world: World) -> int:
    return credits.balance_cents(world.household)
