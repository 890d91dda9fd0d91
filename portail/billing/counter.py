"""Payment at the service's counter: cash, cheque, or a card on the counter's terminal.

When a family pays the service directly, staff settle its open basket without PayFiP:
the amount due (the basket's quote, credit applied) is recorded as a CounterPayment with
its means, and the basket is settled exactly as a PayFiP payment settles it
(settlement.settle: cancellations credited, requests confirmed, credit used, history
written), with status `paid`. Under the household's row lock, like every basket change.

The CounterPayment model lives in billing/models.py (its table is still named
backoffice_counterpayment, from when the back office owned it).
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portail.accounts.models import User
from portail.billing import payments as payment_service
from portail.billing.models import CounterMeans, CounterPayment
from portail.billing.quote import Quote, quote
from portail.billing.settlement import Settlement, settle
from portail.core.money import format_cents
from portail.reservations import holds
from portail.reservations.models import Basket, BasketStatus, Channel, HistoryDetail

# History detail of the requests confirmed by a counter payment (HistoryEntry.detail).
DETAIL_COUNTER_PAID = HistoryDetail.PAID_AT_COUNTER

# CounterRefused codes.
NO_BASKET = "no_basket"
EMPTY = "empty"
CHANGED = "changed"
NOTHING_TO_PAY = "nothing_to_pay"
BAD_MEANS = "means"

REFERENCE_MAX_LENGTH = 100


class CounterRefused(Exception):
    """Nothing was recorded; `message` is in the active language."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class CounterResult:
    payment: CounterPayment
    settlement: Settlement
    quote: Quote


def record_counter_payment(
    basket: Basket,
    *,
    means: str,
    actor: User,
    reference: str = "",
    expected_due_cents: int | None = None,
    now: datetime.datetime | None = None,
) -> CounterResult:
    """Record the amount due of `basket` (the household's open basket) as paid at the
    counter with `means` ("cash", "cheque", "card"), and settle the basket (`paid`).

    `expected_due_cents`: the amount the staff member saw and collected; if the basket
    now costs something else the payment is refused ("changed"). Raises CounterRefused
    (nothing written) when the basket is no longer open (expired, paid, being paid
    online), empty, has nothing to pay (validate it instead), or the means is unknown;
    PermissionDenied unless `actor` is staff.
    """
    if actor is None or not actor.is_staff:
        raise PermissionDenied("Only staff record payments at the counter")
    if means not in CounterMeans.values:
        raise CounterRefused(BAD_MEANS, _("Choose how the family paid."))
    reference = (reference or "").strip()[:REFERENCE_MAX_LENGTH]
    now = now or timezone.now()
    household = basket.household
    with transaction.atomic():
        holds.lock_household(household)
        current = holds.current_open(household, now)
        if current is None or current.pk != basket.pk:
            raise CounterRefused(
                NO_BASKET,
                _("This basket is no longer open (expired, paid or being paid online)."),
            )
        if not current.lines.exists():
            raise CounterRefused(EMPTY, _("The basket is empty."))
        totals = quote(current)
        if expected_due_cents is not None and expected_due_cents != totals.amount_due_cents:
            raise CounterRefused(
                CHANGED,
                _("The amount due is now %(amount)s: check the basket again.")
                % {"amount": format_cents(totals.amount_due_cents)},
            )
        if totals.amount_due_cents == 0:
            raise CounterRefused(
                NOTHING_TO_PAY, _("There is nothing to pay: validate the basket instead.")
            )
        payment = CounterPayment.objects.create(
            household=household,
            basket=current,
            means=means,
            reference=reference,
            amount_cents=totals.amount_due_cents,
            reservations_cents=totals.reservations_total_cents,
            cancellations_cents=totals.cancellations_total_cents,
            credit_applied_cents=totals.credit_applied_cents,
            actor=actor,
            actor_label=actor.email,
            created_at=now,
        )
        outcome = settle(
            current,
            money_cents=totals.amount_due_cents,
            credit_budget_cents=totals.credit_applied_cents,
            apply_cancellations=True,
            final_status=BasketStatus.PAID,
            detail=DETAIL_COUNTER_PAID,
            actor=actor,
            channel=Channel.BACKOFFICE,
            at=now,
        )
        payment_service.notify_validated(current, outcome)
    return CounterResult(payment, outcome, totals)
