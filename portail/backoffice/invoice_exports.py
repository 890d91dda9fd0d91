"""The régie's CSV files of invoices (gestionnaire only, from the invoices page):
- the invoices issued over a period (by issue date), with their amounts and status;
- the money applied to invoices over a period (by the time it was received): counter
  payments, PayFiP payments, the household's credit used, with totals by means.

Written by exports.csv_bytes (the one CSV writer: UTF-8 with a byte order mark,
semicolons, no cell ever read as a formula). Amounts come twice, in cents and as money.
The columns are listed in docs/invoices.md ("Staff: invoices, reminders, export").
"""

import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portail.backoffice.exports import csv_bytes
from portail.backoffice.households import Refused
from portail.backoffice.regie import MAX_EXPORT_DAYS, day_bounds
from portail.billing.models import Invoice, InvoicePayment
from portail.core.money import format_cents


def check_period(start: datetime.date, end: datetime.date) -> None:
    if end < start:
        raise Refused("end", _("The end of the period is before its start."))
    if (end - start).days >= MAX_EXPORT_DAYS:
        raise Refused(
            "end", _("At most %(days)d days at once, please.") % {"days": MAX_EXPORT_DAYS}
        )


def _date(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def _period(start: datetime.date, end: datetime.date) -> str:
    return _("From %(start)s to %(end)s") % {
        "start": formats.date_format(start, "SHORT_DATE_FORMAT"),
        "end": formats.date_format(end, "SHORT_DATE_FORMAT"),
    }


def _money(cents: int) -> list[object]:
    return [cents, format_cents(cents)]


def invoices_csv(start: datetime.date, end: datetime.date) -> bytes:
    """The invoices issued from `start` to `end` (both included), by number."""
    check_period(start, end)
    rows = (
        Invoice.objects.filter(issued_on__gte=start, issued_on__lte=end)
        .select_related("household")
        .order_by("year", "seq")
    )

    def lines():
        yield [
            _("Invoice number"),
            _("Issue date"),
            _("Due date"),
            _("Period start"),
            _("Period end"),
            _("Household"),
            _("Household number"),
            _("Status"),
            _("Total (cents)"),
            _("Total"),
            _("Paid (cents)"),
            _("Paid"),
            _("Cancelled by credit notes (cents)"),
            _("Cancelled by credit notes"),
            _("Given back as credit (cents)"),
            _("Given back as credit"),
            _("Remaining (cents)"),
            _("Remaining"),
            _("Reminders sent"),
        ]
        sums = [0, 0, 0, 0, 0]
        count = 0
        for invoice in rows.iterator(chunk_size=500):
            amounts = [
                invoice.total_cents,
                invoice.paid_cents,
                invoice.cancelled_cents,
                invoice.refunded_cents,
                invoice.remaining_cents,
            ]
            sums = [a + b for a, b in zip(sums, amounts, strict=True)]
            count += 1
            yield [
                invoice.number,
                _date(invoice.issued_on),
                _date(invoice.due_on),
                _date(invoice.period_start),
                _date(invoice.period_end),
                invoice.household.name,
                invoice.household_id,
                invoice.get_status_display(),
                *(value for cents in amounts for value in _money(cents)),
                invoice.reminders_sent,
            ]
        yield []
        yield [_period(start, end)]
        yield [
            ngettext("Total of %(count)d invoice", "Total of %(count)d invoices", count)
            % {"count": count},
            *([""] * 7),
            *(value for cents in sums for value in _money(cents)),
            "",
        ]

    return csv_bytes(lines())


def invoice_payments_csv(start: datetime.date, end: datetime.date) -> bytes:
    """The money applied to invoices from `start` to `end` (Paris days), oldest first,
    with totals by means of payment."""
    check_period(start, end)
    since, until = day_bounds(start, end)
    rows = (
        InvoicePayment.objects.filter(received_at__gte=since, received_at__lt=until)
        .select_related("invoice", "household", "payment")
        .order_by("received_at", "pk")
    )

    def lines():
        yield [
            _("Date"),
            _("Time"),
            _("Invoice number"),
            _("Household"),
            _("Household number"),
            _("Means of payment"),
            _("Debt reference (refdet)"),
            _("PayFiP operation id (idOp)"),
            _("Authorisation number or reference"),
            _("Recorded by"),
            _("Amount (cents)"),
            _("Amount"),
        ]
        by_means: dict[str, list[int]] = {}
        total = 0
        for row in rows.iterator(chunk_size=500):
            at = timezone.localtime(row.received_at)
            means = row.get_method_display()
            online = row.payment
            item = by_means.setdefault(means, [0, 0])
            item[0] += 1
            item[1] += row.amount_cents
            total += row.amount_cents
            yield [
                at.strftime("%d/%m/%Y"),
                at.strftime("%H:%M"),
                row.invoice.number,
                row.household.name,
                row.household_id,
                means,
                online.refdet if online is not None else "",
                online.idop if online is not None else "",
                online.numauto if online is not None else row.reference,
                row.actor_label,
                *_money(row.amount_cents),
            ]
        yield []
        yield [_period(start, end)]
        yield [
            _("Total by means of payment"),
            *([""] * 8),
            _("Count"),
            _("Amount (cents)"),
            _("Amount"),
        ]
        for means, (count, cents) in by_means.items():
            yield [means, *([""] * 8), count, *_money(cents)]
        yield [
            _("Total"),
            *([""] * 8),
            sum(n for n, _cents in by_means.values()),
            *_money(total),
        ]

    return csv_bytes(lines())
