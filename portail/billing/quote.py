"""What a basket costs once the credit is applied: the totals the basket page shows.

amount due = reservations − credit applied, where
credit applied = min(credit available + this basket's cancellations, reservations).

The basket's own cancellations count: they turn into credit when the basket is validated,
and that credit pays its own bookings first. "Credit available" is the household's credit
before this basket (balance minus what pending payments hold, see credits.py). Amount due
0: the button is OK (validated at once); 1 to 99 cents: cannot be paid online (PayFiP's
minimum is 1,00 EUR); from 1,00 EUR: PAYER.

A basket awaiting payment shows the figures its pending payment was created with (the
basket cannot change meanwhile).
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, QuerySet

from portail.billing import credits
from portail.billing.models import PAYFIP_MAX_CENTS, PAYFIP_MIN_CENTS, Payment, PaymentState
from portail.reservations.models import (
    Attendance,
    Basket,
    BasketLine,
    BasketStatus,
    BookingStatus,
    LineKind,
)


@dataclass(frozen=True)
class Quote:
    reservations_total_cents: int  # the basket's requests (PRE-RESERVATION lines)
    cancellations_total_cents: int  # its cancellations (ANNULATION lines), positive
    credit_available_cents: int  # the household's credit before this basket
    credit_applied_cents: int  # credit (earlier + this basket's cancellations) used here
    amount_due_cents: int  # what is left to pay

    @property
    def credit_hold_cents(self) -> int:
        """The part of the credit applied that comes from before this basket."""
        return max(0, self.credit_applied_cents - self.cancellations_total_cents)

    @property
    def credit_left_cents(self) -> int:
        """The household's credit once this basket is validated or paid."""
        return (
            self.credit_available_cents + self.cancellations_total_cents - self.credit_applied_cents
        )

    @property
    def validates_without_payment(self) -> bool:
        """OK instead of PAYER: nothing to pay (a cancellation-only basket included)."""
        return self.amount_due_cents == 0

    @property
    def below_minimum(self) -> bool:
        """Something to pay, but less than PayFiP's minimum of 1,00 EUR."""
        return 0 < self.amount_due_cents < PAYFIP_MIN_CENTS

    @property
    def above_maximum(self) -> bool:
        return self.amount_due_cents > PAYFIP_MAX_CENTS


def apply_credit(
    reservations_cents: int, cancellations_cents: int, available_cents: int
) -> tuple[int, int]:
    """(credit applied, amount due): the one rule, shared by every caller."""
    applied = min(available_cents + cancellations_cents, reservations_cents)
    return applied, reservations_cents - applied


def pending_payment(basket: Basket) -> Payment | None:
    if basket.status != BasketStatus.AWAITING_PAYMENT:
        return None
    return basket.payments.filter(state=PaymentState.PENDING).order_by("-attempt").first()


def line_facts(lines: QuerySet) -> QuerySet:
    """`lines` (BasketLine rows) annotated with what quote() needs of each: the status of
    its booking (`booking_status`) and whether attendance was recorded on its day
    (`attended`). summarize() reads them along with the rest of each line."""
    attended = Attendance.objects.filter(
        child_id=OuterRef("child_id"), session_id=OuterRef("session_id")
    )
    return lines.annotate(attended=Exists(attended), booking_status=F("booking__status"))


def quote(basket: Basket, lines: Iterable[BasketLine] | None = None) -> Quote:
    """The basket's totals with the credit applied (what summarize() and the checkout use).

    Only cancellation lines whose booking is still reserved count: a booking cancelled
    meanwhile (by the service, or by another basket) gives no second credit. Nor does a
    day whose attendance was recorded since: settle() does not apply that cancellation.
    `lines`: the basket's lines already read through line_facts() (else read here).
    """
    payment = pending_payment(basket)
    if payment is not None:
        return Quote(
            reservations_total_cents=payment.reservations_cents,
            cancellations_total_cents=payment.cancellations_cents,
            credit_available_cents=credits.available_cents(basket.household_id)
            + payment.credit_hold_cents,
            credit_applied_cents=payment.credit_applied_cents,
            amount_due_cents=payment.amount_cents,
        )
    if lines is None:
        lines = line_facts(basket.lines.order_by()).only("kind", "unit_price_cents")
    reservations = 0
    cancellations = 0
    for line in lines:
        if line.kind == LineKind.RESERVATION:
            reservations += line.unit_price_cents
        elif line.booking_status == BookingStatus.RESERVED and not line.attended:
            cancellations += line.unit_price_cents
    available = credits.available_cents(basket.household_id)
    applied, due = apply_credit(reservations, cancellations, available)
    return Quote(
        reservations_total_cents=reservations,
        cancellations_total_cents=cancellations,
        credit_available_cents=available,
        credit_applied_cents=applied,
        amount_due_cents=due,
    )
