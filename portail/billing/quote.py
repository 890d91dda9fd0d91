"""What a basket costs once the credit is applied: the totals the basket page shows.

amount due = reservations − credit applied, where
credit applied = min(credit available + this basket's cancellations, reservations).

Only prepaid days count: a day of an activity invoiced on booking (Booking.invoiced) is
booked through the basket at its price, but that price is invoiced after the fact
(billing.invoicing), so it is in neither the reservations nor the cancellations; the
basket shows it apart (invoiced_total_cents). A basket of such days only validates with
OK, nothing to pay.

The basket's own cancellations count: they turn into credit when the basket is validated,
and that credit pays its own bookings first. "Credit available" is the household's credit
before this basket (balance minus what pending payments hold, see credits.py). Amount due
0: the button is OK (validated at once); 1 to 99 cents: cannot be paid online (PayFiP's
minimum is 1,00 EUR); from 1,00 EUR: PAYER.

A basket awaiting payment shows the figures its pending payment was created with (the
basket cannot change meanwhile).

summarize() gives the basket's summary (its lines, from reservations.summary, and these
totals) to every page that shows a basket: the parents' basket page, the API, the back
office, the tickets.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from portail.billing import credits
from portail.billing.models import PAYFIP_MAX_CENTS, PAYFIP_MIN_CENTS, Payment, PaymentState
from portail.reservations.models import (
    Basket,
    BasketLine,
    BasketStatus,
    BookingStatus,
    LineKind,
)
from portail.reservations.summary import (
    BasketContents,
    line_facts,
    summary_line,
    summary_rows,
)


@dataclass(frozen=True)
class Quote:
    reservations_total_cents: int  # the basket's requests (PRE-RESERVATION lines)
    cancellations_total_cents: int  # its cancellations (ANNULATION lines), positive
    credit_available_cents: int  # the household's credit before this basket
    credit_applied_cents: int  # credit (earlier + this basket's cancellations) used here
    amount_due_cents: int  # what is left to pay
    # Days invoiced after the fact asked for in this basket: not paid now.
    invoiced_total_cents: int = 0

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


def quote(
    basket: Basket, lines: Iterable[BasketLine] | None = None, *, available: int | None = None
) -> Quote:
    """The basket's totals with the credit applied (what summarize() and the checkout use).

    Only cancellation lines whose booking is still reserved count: a booking cancelled
    meanwhile (by the service, or by another basket) gives no second credit. Nor does a
    day whose attendance was recorded since: settle() does not apply that cancellation.
    `lines`: the basket's lines already read through line_facts() (else read here);
    `available`: the household's credit available as the caller read it with the basket
    (credits.available_column(), before its floor at 0), else read here.
    """
    if available is not None:
        available = max(0, available)
    payment = pending_payment(basket)
    if payment is not None:
        return Quote(
            reservations_total_cents=payment.reservations_cents,
            cancellations_total_cents=payment.cancellations_cents,
            credit_available_cents=(
                credits.available_cents(basket.household_id) if available is None else available
            )
            + payment.credit_hold_cents,
            credit_applied_cents=payment.credit_applied_cents,
            amount_due_cents=payment.amount_cents,
            invoiced_total_cents=invoiced_cents(lines) if lines is not None else 0,
        )
    if lines is None:
        # Not basket.lines: its rows would each read their deferred basket_id back (one
        # query per line) to be given the basket as a known related object.
        lines = line_facts(BasketLine.objects.filter(basket_id=basket.pk).order_by()).only(
            "kind", "unit_price_cents"
        )
    reservations = 0
    cancellations = 0
    invoiced = 0
    for line in lines:
        if line.invoiced:
            # Invoiced after the fact: nothing paid now, nothing to credit.
            invoiced += line.unit_price_cents if line.kind == LineKind.RESERVATION else 0
        elif line.kind == LineKind.RESERVATION:
            reservations += line.unit_price_cents
        elif line.booking_status == BookingStatus.RESERVED and not line.attended:
            cancellations += line.unit_price_cents
    if available is None:
        available = credits.available_cents(basket.household_id)
    applied, due = apply_credit(reservations, cancellations, available)
    return Quote(
        reservations_total_cents=reservations,
        cancellations_total_cents=cancellations,
        credit_available_cents=available,
        credit_applied_cents=applied,
        amount_due_cents=due,
        invoiced_total_cents=invoiced,
    )


def invoiced_cents(lines: Iterable[BasketLine]) -> int:
    """The price of the days invoiced after the fact that these lines (read through
    line_facts()) ask for: shown with the basket, paid later on an invoice."""
    return sum(
        line.unit_price_cents
        for line in lines
        if line.invoiced and line.kind == LineKind.RESERVATION
    )


@dataclass
class BasketSummary(BasketContents):
    """The basket's lines (reservations.summary) and its totals with the credit applied."""

    reservations_total_cents: int  # what the requests cost ("Montant total de la réservation")
    cancellations_total_cents: int  # positive: the credit they give once validated
    credit_available_cents: int  # the household's credit before this basket
    # The part of that credit, plus this basket's cancellations, used for its requests.
    credit_applied_cents: int
    amount_due_cents: int  # reservations - credit applied (0: the button is OK, not PAYER)
    # Days invoiced after the fact in the basket (their lines show their price): not paid now.
    invoiced_total_cents: int = 0


def summarize(
    basket: Basket, rows: list[BasketLine] | None = None, *, available: int | None = None
) -> BasketSummary:
    """The basket page's content and totals (quote(): the basket's own cancellations become
    credit when it is validated, and pay its own requests first). `rows`: the basket's
    lines as summary_rows() reads them, when the caller holds them already (a submission
    knows what it wrote: reservations.basket.rows_after_submission), and `available` the
    credit available when the caller read it with the basket (quote())."""
    rows = summary_rows(basket) if rows is None else rows
    totals = quote(basket, rows, available=available)
    return BasketSummary(
        basket=basket,
        lines=[summary_line(row) for row in rows],
        reservations_total_cents=totals.reservations_total_cents,
        cancellations_total_cents=totals.cancellations_total_cents,
        credit_available_cents=totals.credit_available_cents,
        credit_applied_cents=totals.credit_applied_cents,
        amount_due_cents=totals.amount_due_cents,
        invoiced_total_cents=totals.invoiced_total_cents,
    )
