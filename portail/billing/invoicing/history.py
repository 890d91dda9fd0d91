"""The one writer of an invoice's history (InvoiceEvent): who, when, what, channel.

Every service that changes an invoice (issued by a run, money applied, credit note,
reminder, online payment started or not completed) calls `record()` in the transaction
that makes the change; the staff's invoice page and the family's show it.
"""

import datetime

from django.utils import timezone

from portail.accounts.models import User
from portail.billing.models import Invoice, InvoiceEvent


def record(
    invoice: Invoice,
    *,
    action: str,
    actor: User | None,
    channel: str,
    amount_cents: int | None = None,
    detail: str = "",
    at: datetime.datetime | None = None,
) -> InvoiceEvent:
    return InvoiceEvent.objects.create(
        invoice=invoice,
        action=action,
        amount_cents=amount_cents,
        detail=detail[:300],
        actor=actor,
        actor_label=actor.email if actor is not None else "",
        channel=channel,
        at=at or timezone.now(),
    )


def record_many(events: list[InvoiceEvent]) -> None:
    """Several events at once (a billing run's "issued"), built by the caller."""
    InvoiceEvent.objects.bulk_create(events)
