"""Invoices for the gestionnaire: the list with its filters and totals, one invoice with
everything that happened to it. Reads only: money is applied to an invoice by
billing.invoicing.settling (counter payments, the household's credit, credit notes),
which the pages call (views/invoices.py).

Statuses are the invoice's own (unpaid, partially paid, paid, cancelled); "overdue" is a
filter, not a status: an invoice unpaid or partially paid whose due date has passed (the
due date is the last day to pay: overdue from the next day, Paris time).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from portail.billing import credits
from portail.billing.models import (
    CreditNote,
    Invoice,
    InvoiceEvent,
    InvoiceLine,
    InvoicePayment,
    InvoiceStatus,
)
from portail.reservations.models import Channel

OVERDUE = "overdue"
OPEN_STATUSES = (InvoiceStatus.UNPAID.value, InvoiceStatus.PARTIALLY_PAID.value)
# Words of a search (household, child or guardian name, e-mail, invoice number).
MAX_SEARCH_WORDS = 5

_REMAINING = F("total_cents") - F("paid_cents") - F("cancelled_cents") + F("refunded_cents")


def overdue_q(today: datetime.date) -> Q:
    """Unpaid or partially paid, due before `today`."""
    return Q(status__in=OPEN_STATUSES, due_on__lt=today)


def is_overdue(invoice: Invoice, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return invoice.status in OPEN_STATUSES and invoice.due_on < today


def invoices(
    *,
    status: str = "",
    query: str = "",
    household_id: int | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    today: datetime.date | None = None,
) -> QuerySet[Invoice]:
    """Invoices, newest first: of one status (or OVERDUE, or "" for all), matching every
    word of `query`, of one household, issued from `start` to `end` (both included)."""
    rows = Invoice.objects.select_related("household")
    if status == OVERDUE:
        rows = rows.filter(overdue_q(today or timezone.localdate()))
    elif status:
        rows = rows.filter(status=status)
    if household_id is not None:
        rows = rows.filter(household_id=household_id)
    if start is not None:
        rows = rows.filter(issued_on__gte=start)
    if end is not None:
        rows = rows.filter(issued_on__lte=end)
    words = query.split()[:MAX_SEARCH_WORDS]
    if words:
        matching = Invoice.objects.all()
        for word in words:
            matching = matching.filter(
                Q(number__icontains=word)
                | Q(household__name__icontains=word)
                | Q(household__email__icontains=word)
                | Q(household__children__first_name__icontains=word)
                | Q(household__children__last_name__icontains=word)
                | Q(household__guardians__user__email__icontains=word)
                | Q(household__guardians__user__last_name__icontains=word)
            )
        rows = rows.filter(pk__in=matching.values("pk"))
    return rows.order_by("-issued_on", "-number")


@dataclass(frozen=True)
class Totals:
    count: int
    total_cents: int
    paid_cents: int
    cancelled_cents: int
    remaining_cents: int


def totals(rows: QuerySet[Invoice]) -> Totals:
    """The sums of the listed invoices (one query); remaining is what households still
    owe (total - paid - cancelled + given back as credit)."""
    found = rows.order_by().aggregate(
        count=Count("pk"),
        total=Coalesce(Sum("total_cents"), 0),
        paid=Coalesce(Sum("paid_cents"), 0),
        cancelled=Coalesce(Sum("cancelled_cents"), 0),
        remaining=Coalesce(Sum(_REMAINING), 0),
    )
    return Totals(
        count=found["count"],
        total_cents=found["total"],
        paid_cents=found["paid"],
        cancelled_cents=found["cancelled"],
        remaining_cents=found["remaining"],
    )


def status_counts(today: datetime.date | None = None) -> list[tuple[str, str, int]]:
    """(status, label, how many) for every status, then overdue (one query)."""
    today = today or timezone.localdate()
    aggregates = {
        value: Count("pk", filter=Q(status=value)) for value, _label in InvoiceStatus.choices
    }
    aggregates[OVERDUE] = Count("pk", filter=overdue_q(today))
    found = Invoice.objects.order_by().aggregate(**aggregates)
    rows = [(value, str(label), found[value]) for value, label in InvoiceStatus.choices]
    rows.append((OVERDUE, _("Overdue"), found[OVERDUE]))
    return rows


@dataclass
class InvoiceFile:
    """One invoice with everything the staff's page shows."""

    invoice: Invoice
    lines: list[InvoiceLine]
    payments: list[InvoicePayment]
    credit_notes: list[CreditNote]
    events: list[InvoiceEvent]
    credit_available_cents: int
    overdue: bool

    @property
    def remaining_cents(self) -> int:
        return self.invoice.remaining_cents

    @property
    def is_open(self) -> bool:
        return self.invoice.status in OPEN_STATUSES

    @property
    def cancellable_cents(self) -> int:
        """What a credit note may still cancel: the total less what notes cancelled."""
        return self.invoice.total_cents - self.invoice.cancelled_cents


def invoice_file(invoice: Invoice, today: datetime.date | None = None) -> InvoiceFile:
    channels = dict(Channel.choices)
    events = list(invoice.events.order_by("at", "pk"))
    for event in events:
        event.channel_label = str(channels.get(event.channel, event.channel))
    return InvoiceFile(
        invoice=invoice,
        lines=list(
            invoice.lines.select_related("child", "session__activity").order_by(
                "session__date", "child__first_name", "pk"
            )
        ),
        payments=list(invoice.payments_applied.order_by("received_at", "pk")),
        credit_notes=list(invoice.credit_notes.order_by("created_at", "pk")),
        events=events,
        credit_available_cents=credits.available_cents(invoice.household_id),
        overdue=is_overdue(invoice, today),
    )
