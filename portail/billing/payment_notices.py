"""Telling people what a PayFiP payment did: the staff when PayFiP's answer does not
match what was sent, the family (and the staff) when the money did not all go where it
was meant to (a basket that had lapsed or was settled, an invoice paid meanwhile).

Called by payments.py after the commit of the transaction that applied the answer.
"""

import logging

from django.core.mail import mail_managers
from django.utils import formats
from django.utils.translation import gettext as _

from portail.billing.models import Payment
from portail.billing.settlement import Settlement
from portail.core.money import format_cents
from portail.families import messaging
from portail.families.models import Document
from portail.reservations.models import Booking

logger = logging.getLogger("portail.billing")


def alert_mismatch(payment: Payment, problems: list[str]) -> None:
    text = (
        f"PayFiP's answer for payment {payment.refdet} (idOp {payment.idop}, household "
        f"{payment.household_id}) does not match what was sent: {'; '.join(problems)}. "
        "Nothing was confirmed; check the payment in the administration."
    )
    logger.error(text)
    mail_managers(f"PayFiP mismatch on {payment.refdet}", text, fail_silently=True)


def tell_incomplete(payment: Payment, settlement: Settlement) -> None:
    """A payment whose money did not all go to bookings: tell the family and the staff."""
    if payment.invoice_id is not None:
        _tell_invoice_surplus(payment, settlement.surplus_cents)
        return
    household = payment.household

    def write() -> tuple[str, str]:
        lines = [
            _("Your payment %(reference)s of %(amount)s was received.")
            % {"reference": payment.refdet, "amount": format_cents(payment.amount_cents)}
        ]
        if settlement.confirmed:
            lines.append(_("Confirmed days:"))
            lines += [f"- {_day(b)}" for b in settlement.confirmed]
        if settlement.not_confirmed:
            lines.append(
                _(
                    "These days could not be confirmed (the reservation had lapsed and the "
                    "place was taken, or the day was closed):"
                )
            )
            lines += [f"- {_day(b)}" for b, _reason in settlement.not_confirmed]
        if settlement.surplus_cents:
            lines.append(
                _(
                    "%(amount)s was added to your credit: it will be deducted automatically "
                    "from your next reservation."
                )
                % {"amount": format_cents(settlement.surplus_cents)}
            )
        return _("Your payment %(reference)s") % {"reference": payment.refdet}, "\n".join(lines)

    messaging.send_to_household_in_languages(household, kind=Document.Kind.MESSAGE, write=write)
    text = (
        f"Payment {payment.refdet} (household {household.pk}, {household.name}) of "
        f"{payment.amount_cents} cents arrived after its basket had lapsed or was settled: "
        f"{len(settlement.confirmed)} booking(s) confirmed, "
        f"{len(settlement.not_confirmed)} not confirmed, "
        f"{settlement.surplus_cents} cents added to the household's credit."
    )
    logger.warning(text)
    mail_managers(f"Late PayFiP payment {payment.refdet}", text, fail_silently=True)


def _day(booking: Booking) -> str:
    session = booking.session
    return _("%(child)s – %(activity)s, %(date)s") % {
        "child": booking.child.first_name,
        "activity": session.activity.name,
        "date": formats.date_format(session.date, "SHORT_DATE_FORMAT"),
    }


def _tell_invoice_surplus(payment: Payment, surplus_cents: int) -> None:
    """A payment of an invoice that came late, or found it (partly) paid or cancelled."""
    household = payment.household
    number = payment.invoice.number
    applied = payment.amount_cents - surplus_cents

    def write() -> tuple[str, str]:
        lines = [
            _("Your payment %(reference)s of %(amount)s was received.")
            % {"reference": payment.refdet, "amount": format_cents(payment.amount_cents)}
        ]
        if applied:
            lines.append(
                _("%(amount)s was counted on invoice %(number)s.")
                % {"amount": format_cents(applied), "number": number}
            )
        if surplus_cents:
            lines.append(
                _(
                    "Invoice %(number)s had been paid or cancelled meanwhile: %(amount)s was "
                    "added to your credit. It will be deducted automatically from your next "
                    "reservation or invoice."
                )
                % {"number": number, "amount": format_cents(surplus_cents)}
            )
        return _("Your payment %(reference)s") % {"reference": payment.refdet}, "\n".join(lines)

    messaging.send_to_household_in_languages(household, kind=Document.Kind.MESSAGE, write=write)
    text = (
        f"Payment {payment.refdet} (household {household.pk}, {household.name}) of "
        f"{payment.amount_cents} cents for invoice {number} arrived late or after the invoice "
        f"was paid or cancelled: {applied} cents counted on the invoice, {surplus_cents} "
        "cents added to the household's credit."
    )
    logger.warning(text)
    mail_managers(f"Late PayFiP payment {payment.refdet}", text, fail_silently=True)
