"""What a basket became: the figures and days shown after OK or PAYER.

The return page, the "validated" page, the ticket e-mail and the API's basket history all
read the same thing: which requests were confirmed, which were not (their price went to
the credit), which cancellations were made (and the credit they gave), the money paid,
the credit used. It is read back from the database (bookings, basket lines and the credit
ledger), never from memory, so a page shown twice or a ticket sent after the commit
says exactly what was written.

- `receipt(basket, payment=None)`: a settled basket's outcome (see `Receipt`);
- `basket_summary(basket)`: the basket's lines and totals for any status: an open or
  awaiting basket's live quote (billing.quote.summarize), a closed one's figures
  as they were settled;
- `entry_reason(entry)`: a ledger row in words, for the credit history.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from django.db.models import Sum
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portail.billing import credits
from portail.billing.models import (
    CounterMeans,
    CounterPayment,
    CreditEntry,
    CreditKind,
    Payment,
    PaymentState,
)
from portail.billing.quote import BasketSummary, summarize
from portail.families.models import Child
from portail.reservations.models import (
    Basket,
    BasketLine,
    BasketStatus,
    Booking,
    BookingStatus,
    LineKind,
)

# Baskets whose quote is still live (billing.quote.summarize).
LIVE_STATUSES = (BasketStatus.OPEN, BasketStatus.AWAITING_PAYMENT)
SETTLED_STATUSES = (BasketStatus.PAID, BasketStatus.VALIDATED)

# Receipt.kind
ONLINE = "online"  # paid on PayFiP
COUNTER = "counter"  # paid at the service's counter
VALIDATED = "validated"  # nothing to pay (OK)


@dataclass(frozen=True)
class Day:
    """One child's day in a receipt."""

    child: Child
    activity: str
    date: datetime.date
    start: datetime.time
    price_cents: int
    late: bool = False
    invoiced: bool = False  # invoiced after the fact: nothing paid or credited for it here


@dataclass(frozen=True)
class ChildDays:
    child: Child
    days: list[Day]


@dataclass
class Receipt:
    basket: Basket
    kind: str  # ONLINE | COUNTER | VALIDATED
    payment: Payment | None = None  # the PayFiP payment (ONLINE)
    counter_means: str = ""  # COUNTER: cash | cheque | card
    amount_paid_cents: int = 0
    credit_used_cents: int = 0
    cancellation_credit_cents: int = 0
    surplus_cents: int = 0  # money that became credit (days not confirmed, paid twice...)
    settled_at: datetime.datetime | None = None
    confirmed: list[Day] = field(default_factory=list)
    not_confirmed: list[Day] = field(default_factory=list)
    cancelled: list[Day] = field(default_factory=list)

    @property
    def reference(self) -> str:
        """The "référence de la dette" of an online payment, else the basket's reference."""
        return self.payment.refdet if self.payment is not None else self.basket.reference

    @property
    def means_label(self) -> str:
        """How it was paid, in the active language ("" when nothing was paid)."""
        if self.kind == COUNTER:
            return str(CounterMeans(self.counter_means).label)
        if self.kind == ONLINE and self.payment is not None:
            if self.payment.resultrans == "V":
                return str(gettext_lazy("Online (PayFiP), by direct debit"))
            return str(gettext_lazy("Online (PayFiP), by card"))
        return ""

    @property
    def confirmed_by_child(self) -> list[ChildDays]:
        return by_child(self.confirmed)

    @property
    def not_confirmed_by_child(self) -> list[ChildDays]:
        return by_child(self.not_confirmed)

    @property
    def cancelled_by_child(self) -> list[ChildDays]:
        return by_child(self.cancelled)


def by_child(days: Iterable[Day]) -> list[ChildDays]:
    """Days grouped per child (children by first name), each child's days in date order."""
    groups: dict[int, ChildDays] = {}
    for day in sorted(days, key=lambda d: (d.child.first_name, d.child.pk, d.date, d.start)):
        groups.setdefault(day.child.pk, ChildDays(day.child, [])).days.append(day)
    return list(groups.values())


def _day(line: BasketLine) -> Day:
    return Day(
        child=line.child,
        activity=line.session.activity.name,
        date=line.session.date,
        start=line.session.activity.start_time,
        price_cents=line.unit_price_cents,
        late=line.late,
        invoiced=line.booking.invoiced,
    )


def _ledger_sum(**filters) -> int:
    return CreditEntry.objects.filter(**filters).aggregate(total=Sum("amount_cents"))["total"] or 0


def _counter_payment(basket: Basket) -> CounterPayment | None:
    return CounterPayment.objects.filter(basket=basket).first()


def _settled_by_earlier_money(payment: Payment) -> bool:
    """True when another payment (or the counter) had already settled this payment's
    basket: all of this payment's money then went to the credit."""
    earlier = Payment.objects.filter(basket_id=payment.basket_id, state=PaymentState.PAID).exclude(
        pk=payment.pk
    )
    if payment.settled_at is not None:
        earlier = earlier.filter(settled_at__lt=payment.settled_at)
    return earlier.exists() or _counter_payment(payment.basket) is not None


def receipt(basket: Basket, payment: Payment | None = None) -> Receipt:
    """What settling `basket` did (by `payment` when given: a PayFiP payment of it).

    Confirmed requests are the basket's bookings now reserved (or cancelled later, which
    only a reserved booking can be); the others were not confirmed. Cancellations are the
    ones the ledger credited for this basket. For a payment that arrived after its basket
    was settled by another one, nothing is confirmed by it: its money is credit.
    """
    counter = None
    if payment is not None:
        kind = ONLINE
    else:
        counter = _counter_payment(basket)
        payment = (
            None
            if counter is not None
            else basket.payments.filter(state=PaymentState.PAID).order_by("settled_at").first()
        )
        kind = COUNTER if counter is not None else ONLINE if payment is not None else VALIDATED
    result = Receipt(basket=basket, kind=kind, payment=payment)
    if counter is not None:
        result.counter_means = counter.means
        result.amount_paid_cents = counter.amount_cents
        result.settled_at = counter.created_at
    elif payment is not None:
        result.amount_paid_cents = payment.amount_cents if payment.state == PaymentState.PAID else 0
        result.settled_at = payment.paid_at or payment.settled_at
        result.surplus_cents = _ledger_sum(payment=payment, kind=CreditKind.PAYMENT_SURPLUS)
        if _settled_by_earlier_money(payment):
            return result
    else:
        result.settled_at = basket.updated_at

    ledger_filter = {"basket": basket}
    if payment is not None and kind == ONLINE:
        ledger_filter["payment"] = payment
    result.credit_used_cents = -_ledger_sum(kind=CreditKind.CHECKOUT, **ledger_filter)
    if kind != ONLINE:
        result.surplus_cents = _ledger_sum(kind=CreditKind.PAYMENT_SURPLUS, basket=basket)

    lines = list(
        basket.lines.select_related("child", "session__activity", "booking").order_by(
            "session__date", "session__activity__start_time", "child__first_name", "pk"
        )
    )
    credited = dict(
        CreditEntry.objects.filter(basket=basket, kind=CreditKind.CANCELLATION).values_list(
            "booking_id", "amount_cents"
        )
    )
    for line in lines:
        if line.kind == LineKind.CANCELLATION:
            if line.booking.invoiced and line.booking.status == BookingStatus.CANCELLED:
                result.cancelled.append(_day(line))  # cancelled, nothing to credit
            elif line.booking_id in credited:
                result.cancelled.append(replace(_day(line), price_cents=credited[line.booking_id]))
                result.cancellation_credit_cents += credited[line.booking_id]
            continue
        booking: Booking = line.booking
        if booking.basket_id == basket.pk and booking.status in (
            BookingStatus.RESERVED,
            BookingStatus.CANCELLED,
        ):
            result.confirmed.append(_day(line))
        else:
            result.not_confirmed.append(_day(line))
    return result


def basket_summary(basket: Basket) -> BasketSummary:
    """The basket's lines and totals, whatever its status.

    Open or awaiting payment: the live quote (what summarize() shows on the basket page).
    Closed (paid, validated, abandoned, expired): the totals of its lines, the credit it
    used (from the ledger) and nothing left to pay; "credit available" is then the
    household's credit now.
    """
    summary = summarize(basket)
    if basket.status in LIVE_STATUSES:
        return summary
    paid_lines = [line for line in summary.lines if not line.invoiced]
    reservations = sum(
        line.unit_price_cents for line in paid_lines if line.kind == LineKind.RESERVATION
    )
    cancellations = sum(
        line.unit_price_cents for line in paid_lines if line.kind == LineKind.CANCELLATION
    )
    used = -_ledger_sum(kind=CreditKind.CHECKOUT, basket=basket)
    return replace(
        summary,
        reservations_total_cents=reservations,
        cancellations_total_cents=cancellations,
        credit_available_cents=credits.available_cents(basket.household_id),
        credit_applied_cents=used,
        amount_due_cents=0,
    )


def amount_paid_cents(basket: Basket) -> int:
    """Money received for the basket: its paid PayFiP payments and any counter payment."""
    online = (
        basket.payments.filter(state=PaymentState.PAID).aggregate(total=Sum("amount_cents"))[
            "total"
        ]
        or 0
    )
    counter = _counter_payment(basket)
    return online + (counter.amount_cents if counter is not None else 0)


# --- the credit history ----------------------------------------------------------------


def _booking_label(booking: Booking | None) -> str:
    if booking is None:
        return ""
    return _("%(child)s – %(activity)s, %(date)s") % {
        "child": booking.child.first_name,
        "activity": booking.session.activity.name,
        "date": formats.date_format(booking.session.date, "SHORT_DATE_FORMAT"),
    }


def entry_reason(entry: CreditEntry) -> str:
    """A ledger row in words, in the active language ("Cancellation: Emy – ..., 06/04/2023").

    Expects the row's booking (child, session, activity), basket and payment loaded, as
    credits.entries() gives them.
    """
    day = _booking_label(entry.booking)
    if entry.kind == CreditKind.CANCELLATION:
        return _("Cancellation: %(day)s") % {"day": day}
    if entry.kind == CreditKind.CLOSURE:
        text = _("Day closed by the service: %(day)s") % {"day": day}
        return f"{text} ({entry.reason})" if entry.reason else text
    if entry.kind == CreditKind.JUSTIFIED_ABSENCE:
        text = _("Justified absence: %(day)s") % {"day": day}
        return f"{text} ({entry.reason})" if entry.reason else text
    if entry.kind == CreditKind.CHECKOUT:
        reference = entry.basket.reference if entry.basket else ""
        return _("Used for the basket %(reference)s") % {"reference": reference}
    if entry.kind == CreditKind.PAYMENT_SURPLUS:
        reference = (
            entry.payment.refdet
            if entry.payment
            else entry.basket.reference
            if entry.basket
            else ""
        )
        return _("Payment %(reference)s not used for bookings") % {"reference": reference}
    if entry.kind == CreditKind.ADJUSTMENT:
        return _("Adjustment by the service: %(reason)s") % {"reason": entry.reason}
    label = str(CreditKind(entry.kind).label) if entry.kind in CreditKind.values else entry.kind
    return f"{label} ({entry.reason})" if entry.reason else label


def ledger_entries(household) -> list[CreditEntry]:
    """The household's ledger, newest first (what the credit history page shows)."""
    rows = credits.entries(household)
    rows.reverse()
    return rows
