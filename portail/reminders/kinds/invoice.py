"""`invoice_due`: an invoice not fully paid whose due date is within
PORTAIL_REMINDER_INVOICE_DAYS days (today included). Once per invoice and due date.

This is the notice before the due date; the reminders after it (relances,
PORTAIL_INVOICE_REMINDER_DAYS) are billing's own (`portail send_invoice_reminders`) and
are not turned off here."""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portail.accounts.emails import absolute_url
from portail.billing.invoicing.reminders import OPEN_STATUSES
from portail.billing.models import Invoice
from portail.reminders.registry import Notice, ReminderKind, register, rendered

CODE = "invoice_due"


def find(now: datetime.datetime) -> list[Notice]:
    today = timezone.localdate(now)
    until = today + datetime.timedelta(days=settings.PORTAIL_REMINDER_INVOICE_DAYS)
    invoices = Invoice.objects.filter(
        status__in=OPEN_STATUSES, due_on__gte=today, due_on__lte=until
    ).order_by("due_on", "pk")
    return [_notice(invoice) for invoice in invoices]


def _notice(invoice: Invoice) -> Notice:
    context = {
        "invoice": invoice,
        "remaining_cents": invoice.remaining_cents,
        "pay_url": absolute_url(reverse("billing:invoice_pay", args=[invoice.pk])),
    }

    def still_due() -> bool:
        return Invoice.objects.filter(pk=invoice.pk, status__in=OPEN_STATUSES).exists()

    return Notice(
        household_id=invoice.household_id,
        key=f"{invoice.pk}@{invoice.due_on.isoformat()}",
        write=rendered("reminders/email/invoice_due", context),
        still_due=still_due,
    )


KIND = register(
    ReminderKind(
        code=CODE,
        label=_("An invoice is soon due"),
        help_text=_("A few days before an invoice not paid yet is due."),
        find=find,
        order=30,
    )
)
