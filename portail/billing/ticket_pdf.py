"""The payment ticket's PDF: what a settled basket became, kept by the family.

Built from the receipt (receipts.py, read back from the database), not from the basket's
lines: a paid basket's days are booked ("RESERVED"), not "PRE-RESERVATION" any more. Under
the collectivité's name and address and the title, a stamp says PAID with the amount
paid, the credit used, how, the payment's reference and date (or VALIDATED when nothing
was to pay); then each day with what became of it, and the totals. The layout is
core.pdf.basket's, shared with the basket's own PDF.
"""

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from portail.billing.receipts import VALIDATED, Day, Receipt
from portail.core.money import format_cents
from portail.core.pdf.basket import BasketPdf, BasketPdfLine, Stamp
from portail.core.pdf.basket import render_basket_pdf as render
from portail.reservations.basket_pdf import issuer_lines


def ticket_filename(result: Receipt) -> str:
    return f"ticket-{result.basket.reference}.pdf"


def _line(day: Day, status: str, *, sign: int = 1) -> BasketPdfLine:
    activity = f"{day.activity} – {_('Invoiced later')}" if day.invoiced else day.activity
    return BasketPdfLine(
        status=status,
        activity=activity,
        child=f"{day.child.last_name} {day.child.first_name}",
        date=day.date,
        time=day.start.strftime("%H:%M"),
        quantity=sign,
        unit_price_cents=day.price_cents,
        total_cents=sign * day.price_cents,
    )


def _sum(days: list[Day], *, invoiced: bool = False) -> int | None:
    prices = [day.price_cents for day in days if day.invoiced == invoiced]
    return sum(prices) if prices else None


def _stamp(result: Receipt) -> Stamp:
    lines = []
    if result.kind != VALIDATED:
        lines.append(
            _("Amount paid: %(amount)s") % {"amount": format_cents(result.amount_paid_cents)}
        )
    if result.credit_used_cents:
        lines.append(
            _("Credit used: %(amount)s") % {"amount": format_cents(result.credit_used_cents)}
        )
    if result.cancellation_credit_cents:
        lines.append(
            _("Cancellations credited to your account: %(amount)s")
            % {"amount": format_cents(result.cancellation_credit_cents)}
        )
    if result.surplus_cents:
        lines.append(
            _("Credited to your account (days not confirmed): %(amount)s")
            % {"amount": format_cents(result.surplus_cents)}
        )
    if result.means_label:
        lines.append(_("Paid: %(means)s") % {"means": result.means_label})
    lines.append(_("Payment reference: %(reference)s") % {"reference": result.reference})
    if result.settled_at is not None:
        when = formats.date_format(timezone.localtime(result.settled_at), "SHORT_DATETIME_FORMAT")
        lines.append(
            (_("Validated on %(when)s") if result.kind == VALIDATED else _("Paid on %(when)s"))
            % {"when": when}
        )
    title = (
        pgettext("ticket stamp", "VALIDATED")
        if result.kind == VALIDATED
        else pgettext("ticket stamp", "PAID")
    )
    return Stamp(title=title, lines=lines)


def ticket_document(result: Receipt) -> BasketPdf:
    """What the ticket's PDF prints, in the active language."""
    reserved = pgettext("ticket line", "RESERVED")
    not_confirmed = pgettext("ticket line", "NOT CONFIRMED (credited)")
    cancelled = pgettext("ticket line", "CANCELLED")
    lines = (
        [_line(day, reserved) for day in result.confirmed]
        + [_line(day, not_confirmed) for day in result.not_confirmed]
        + [_line(day, cancelled, sign=-1) for day in result.cancelled]
    )
    lines.sort(key=lambda line: (line.child, line.date, line.time, line.status))
    return BasketPdf(
        title=_("Basket validated") if result.kind == VALIDATED else _("Payment ticket"),
        reference=result.basket.reference,
        household=result.basket.household.name,
        lines=lines,
        reservations_total_cents=_sum(result.confirmed),
        cancellations_total_cents=_sum(result.cancelled),
        invoiced_total_cents=_sum(result.confirmed, invoiced=True),
        issuer=issuer_lines(),
        stamp=_stamp(result),
    )


def render_ticket_pdf(result: Receipt) -> bytes:
    return render(ticket_document(result))
