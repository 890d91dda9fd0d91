"""What the families' pages, the API and the home page read of a household's invoices.

Every query is scoped to the household first, so another household's invoice looks
exactly like one that does not exist (`invoice_for_household` raises Http404 for both).
An invoice's lines (with their child, session and activity), payments, credit notes and
history come in a fixed number of queries whatever their number
(tests/invoices/family/ counts them).
"""

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from portail.billing.models import (
    CreditNote,
    Invoice,
    InvoiceEvent,
    InvoiceLine,
    InvoicePayment,
    InvoiceStatus,
)
from portail.families.models import Household

# Invoices with something still to pay.
UNPAID_STATUSES = (InvoiceStatus.UNPAID, InvoiceStatus.PARTIALLY_PAID)


def household_invoices(household: Household) -> QuerySet[Invoice]:
    """Every invoice of the household, newest first (one query, no related rows)."""
    return Invoice.objects.filter(household=household).order_by("-issued_on", "-number")


def unpaid_invoices(household: Household) -> QuerySet[Invoice]:
    """The household's invoices still to pay (unpaid or partially paid), oldest due first."""
    return Invoice.objects.filter(household=household, status__in=UNPAID_STATUSES).order_by(
        "due_on", "number"
    )


def with_lines(invoices: QuerySet[Invoice]) -> QuerySet[Invoice]:
    """`invoices` with their lines (child, day, activity) prefetched: one more query."""
    lines = InvoiceLine.objects.select_related("child", "session__activity").order_by(
        "session__date", "child__first_name", "child_id", "pk"
    )
    return invoices.prefetch_related(Prefetch("lines", queryset=lines))


def with_everything(invoices: QuerySet[Invoice]) -> QuerySet[Invoice]:
    """`invoices` with lines, payments, credit notes and history: four more queries."""
    return with_lines(invoices).prefetch_related(
        Prefetch(
            "payments_applied",
            queryset=InvoicePayment.objects.order_by("received_at", "pk"),
        ),
        Prefetch("credit_notes", queryset=CreditNote.objects.order_by("created_at", "pk")),
        Prefetch("events", queryset=InvoiceEvent.objects.order_by("at", "pk")),
    )


def invoice_for_household(household: Household, pk: int) -> Invoice:
    """The household's invoice `pk` with everything prefetched; Http404 for an invoice that
    does not exist or belongs to another household (the same answer)."""
    invoice = with_everything(Invoice.objects.filter(household=household, pk=pk)).first()
    if invoice is None:
        raise Http404("No such invoice.")
    return invoice
