"""Reminders (relances) of invoices not paid on time, e-mailed to the household.

`settings.PORTAIL_INVOICE_REMINDER_DAYS` (default 7 and 30) lists the delays, in days
after the due date: reminder k is due on `due_on + delay_k` for an invoice still unpaid
or partially paid that has had fewer than k reminders. `send_reminders()` (the daily
command `portail send_invoice_reminders`) sends each reminder due once: when several are
due at once (the command did not run for a while), only the latest is sent, and counts
for the earlier ones.

Each invoice is handled in its own transaction, with its row locked and everything read
again under the lock: two runs at the same moment send one reminder, and running twice
sends nothing more. The e-mail goes through families.messaging (kept in "Mes
documents"), each guardian in their own language; the invoice's history
says so (history.record, action REMINDER, channel "system").
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portail.accounts import emails
from portail.billing.invoicing import history
from portail.billing.models import Invoice, InvoiceAction, InvoiceStatus
from portail.core.locking import locked
from portail.core.models import Organisation
from portail.families import messaging
from portail.families.models import Document, Household
from portail.reservations.models import Channel

logger = logging.getLogger(__name__)

OPEN_STATUSES = (InvoiceStatus.UNPAID.value, InvoiceStatus.PARTIALLY_PAID.value)
TEMPLATE = "billing/email/invoice_reminder"


def delays() -> tuple[int, ...]:
    """The reminders' delays in days after the due date, increasing."""
    return tuple(settings.PORTAIL_INVOICE_REMINDER_DAYS)


def reminder_due(invoice: Invoice, today: datetime.date, days: tuple[int, ...]) -> int:
    """The number (1, 2...) of the latest reminder due on `today` for `invoice`, 0 when
    none is due or it was already sent."""
    if invoice.status not in OPEN_STATUSES:
        return 0
    due = 0
    for number, delay in enumerate(days, start=1):
        if invoice.due_on + datetime.timedelta(days=delay) <= today:
            due = number
    return due if due > invoice.reminders_sent else 0


def candidates(today: datetime.date, days: tuple[int, ...]) -> list[int]:
    """Ids of the invoices that may owe a reminder (checked again one by one, locked)."""
    if not days:
        return []
    return list(
        Invoice.objects.filter(
            status__in=OPEN_STATUSES,
            due_on__lte=today - datetime.timedelta(days=days[0]),
            reminders_sent__lt=len(days),
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def send_reminders(*, now: datetime.datetime | None = None) -> int:
    """Send every reminder due today; how many were sent."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    days = delays()
    sent = 0
    for pk in candidates(today, days):
        if send_one(pk, today=today, now=now, days=days):
            sent += 1
    return sent


def send_one(
    pk: int, *, today: datetime.date, now: datetime.datetime, days: tuple[int, ...]
) -> bool:
    """The reminder due for invoice `pk`, if one still is under the row's lock."""
    with transaction.atomic():
        rows = locked(Invoice.objects.filter(pk=pk))
        if not rows:
            return False
        invoice = rows[0]
        number = reminder_due(invoice, today, days)
        if not number:
            return False
        household = Household.objects.get(pk=invoice.household_id)
        document = _send(invoice, household, number, days)
        invoice.reminders_sent = number
        invoice.last_reminder_at = now
        invoice.save(update_fields=["reminders_sent", "last_reminder_at"])
        with translation.override(settings.LANGUAGE_CODE):
            detail = _("Reminder %(number)d e-mailed to %(recipients)s") % {
                "number": number,
                "recipients": document.recipient or _("nobody (no active login)"),
            }
        history.record(
            invoice,
            action=InvoiceAction.REMINDER,
            actor=None,
            channel=Channel.SYSTEM,
            amount_cents=invoice.remaining_cents,
            detail=detail,
            at=now,
        )
    return True


def _send(invoice: Invoice, household: Household, number: int, days: tuple[int, ...]) -> Document:
    context = {
        "invoice": invoice,
        "household": household,
        "number": number,
        "last": number == len(days),
        "remaining_cents": invoice.remaining_cents,
        "paid_cents": invoice.paid_cents - invoice.refunded_cents,
        "pay_url": emails.absolute_url(reverse("billing:invoice_pay", args=[invoice.pk])),
        "organisation": Organisation.current(),
    }

    def write() -> tuple[str, str]:
        subject = render_to_string(f"{TEMPLATE}_subject.txt", context)
        return subject, render_to_string(f"{TEMPLATE}_body.txt", context).strip() + "\n"

    return messaging.send_to_household_in_languages(
        household, kind=Document.Kind.MESSAGE, write=write
    )
