"""What the basket page shows about paying: the button, and a payment in progress.

The basket page (views.py) stays thin: it asks `checkout_offer(summary)`
which button to draw (PAYER, OK, or none with the reason), and
`payment_in_progress(household)` whether a PayFiP payment is under way, with the link
back to PayFiP's page while it lives and the link that checks its result.
"""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portail.billing import payments
from portail.billing.models import PAYFIP_MAX_CENTS, PAYFIP_MIN_CENTS, Payment
from portail.billing.quote import BasketSummary
from portail.core.money import format_cents
from portail.families.models import Household

# CheckoutOffer.action
PAY = "pay"  # PAYER: something to pay, within PayFiP's limits
OK = "ok"  # nothing to pay: OK validates at once
BELOW_MINIMUM = "below_minimum"  # 1 to 99 cents: cannot be paid online
ABOVE_MAXIMUM = "above_maximum"


@dataclass(frozen=True)
class CheckoutOffer:
    action: str
    amount_due_cents: int  # sent back as expected_due_cents by the PAYER / OK form
    credit_left_cents: int  # the household's credit once the basket is validated or paid
    cancellation_only: bool
    message: str = ""  # why there is no button (below the minimum, above the maximum)
    # Nothing to pay because every day asked for is invoiced after the fact.
    invoiced_only: bool = False


def checkout_offer(summary: BasketSummary) -> CheckoutOffer:
    """The button under the basket: PAYER, OK, or none (and why)."""
    due = summary.amount_due_cents
    credit_left = (
        summary.credit_available_cents
        + summary.cancellations_total_cents
        - summary.credit_applied_cents
    )
    cancellation_only = bool(summary.lines) and all(line.quantity < 0 for line in summary.lines)
    invoiced_only = (
        not cancellation_only
        and summary.invoiced_total_cents > 0
        and summary.reservations_total_cents == 0
    )
    common = {
        "invoiced_only": invoiced_only,
        "amount_due_cents": due,
        "credit_left_cents": credit_left,
        "cancellation_only": cancellation_only,
    }
    if due == 0:
        return CheckoutOffer(OK, **common)
    if due < PAYFIP_MIN_CENTS:
        message = _(
            "The amount to pay (%(amount)s) is below the minimum of %(minimum)s for an "
            "online payment. Add days to your basket, or validate it later when your "
            "credit covers it."
        ) % {"amount": format_cents(due), "minimum": format_cents(PAYFIP_MIN_CENTS)}
        return CheckoutOffer(BELOW_MINIMUM, message=message, **common)
    if due > PAYFIP_MAX_CENTS:
        message = _("The amount to pay (%(amount)s) is above the maximum of an online payment.") % {
            "amount": format_cents(due)
        }
        return CheckoutOffer(ABOVE_MAXIMUM, message=message, **common)
    return CheckoutOffer(PAY, **common)


def return_url(payment: Payment) -> str:
    """The page that checks a payment's result and tells it (payfip:return?idop=...)."""
    return f"{reverse('payfip:return')}?{urlencode({'idop': payment.idop})}"


@dataclass(frozen=True)
class PaymentInProgress:
    payment: Payment
    resume_url: str | None  # PayFiP's page, while it is still usable
    page_until: datetime.datetime | None  # when that page stops being usable
    check_url: str  # "" while PayFiP has not given the payment's idOp yet
    abandoned: bool  # PayFiP said the parent left its page (final after a few minutes)


def payment_in_progress(
    household: Household, *, now: datetime.datetime | None = None
) -> PaymentInProgress | None:
    """The household's pending PayFiP payment, as the basket page tells it; else None."""
    now = now or timezone.now()
    payment = payments.current_payment(household)
    if payment is None:
        return None
    abandoned = payment.resultrans == "A"
    resume = None if abandoned else payments.resume_url(payment, now=now)
    until = payment.created_at + datetime.timedelta(minutes=settings.PAYFIP_PAGE_MINUTES)
    return PaymentInProgress(
        payment=payment,
        resume_url=resume,
        page_until=timezone.localtime(until) if resume else None,
        check_url=return_url(payment) if payment.idop else "",
        abandoned=abandoned,
    )
