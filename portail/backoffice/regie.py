"""The money side for the régie (gestionnaire only): PayFiP payments by state, a re-check
with PayFiP, and the list of money received over a period.

Money received = PayFiP payments in state `paid` (dated by paid_at, PayFiP's transaction
time) and payments at the counter (billing.CounterPayment, dated when received). The
régie reconciles the first with the DGFiP's statements (by refdet and idOp) and the
second with its till (by means and reference).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from portail.accounts.models import User
from portail.backoffice import audit
from portail.backoffice.households import Refused
from portail.backoffice.models import StaffActionKind
from portail.billing import payments as billing_payments
from portail.billing.models import (
    COUNTER_METHODS,
    FINAL_STATES,
    CounterMeans,
    CounterPayment,
    InvoicePayment,
    Payment,
    PaymentState,
)

# The longest period one export covers.
MAX_EXPORT_DAYS = 366
# refresh_payment()'s source for a check asked by staff (billing may name it "staff").
STAFF_SOURCE = getattr(billing_payments, "SOURCE_STAFF", billing_payments.SOURCE_POLL)


def day_bounds(
    start: datetime.date, end: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    """From `start` 00:00 to the day after `end` 00:00, Paris time."""
    tz = timezone.get_default_timezone()
    return (
        datetime.datetime.combine(start, datetime.time.min, tz),
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tz),
    )


def payments(
    *,
    state: str = "",
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> QuerySet[Payment]:
    """PayFiP payments, newest first, of one state ("" for all), created in the period."""
    rows = Payment.objects.select_related("basket", "invoice", "household").order_by(
        "-created_at", "-pk"
    )
    if state:
        rows = rows.filter(state=state)
    if start is not None and end is not None:
        since, until = day_bounds(start, end)
        rows = rows.filter(created_at__gte=since, created_at__lt=until)
    return rows


def state_counts() -> dict[str, int]:
    """How many payments are in each state (every state listed, 0 included)."""
    found = dict(Payment.objects.order_by().values_list("state").annotate(n=Count("pk")))
    return {state: found.get(state, 0) for state in PaymentState.values}


def recheck(payment: Payment, *, actor: User) -> Payment:
    """Ask PayFiP about `payment` now and apply its answer (billing.payments.refresh_payment);
    the payment as it is afterwards. Raises Refused for a payment without idOp or already
    final. Never inside transaction.atomic() (a network call)."""
    if not payment.idop:
        raise Refused("", _("This payment was never created on PayFiP: there is nothing to check."))
    if payment.state in FINAL_STATES:
        raise Refused(
            "",
            _("This payment is already final (%(state)s).")
            % {"state": payment.get_state_display()},
        )
    before = payment.get_state_display()
    refreshed = billing_payments.refresh_payment(payment.idop, source=STAFF_SOURCE)
    refreshed = refreshed or Payment.objects.get(pk=payment.pk)
    audit.log_action(
        actor=actor,
        household=refreshed.household,
        kind=StaffActionKind.PAYMENT_CHECKED,
        summary=_("Payment %(refdet)s checked with PayFiP: %(before)s → %(after)s.")
        % {"refdet": refreshed.refdet, "before": before, "after": refreshed.get_state_display()},
    )
    return refreshed


@dataclass(frozen=True)
class Receipt:
    """One sum of money received, as the régie's export lists it."""

    at: datetime.datetime
    source: str  # "payfip" | "counter"
    means: str  # "PayFiP (card)" or the counter's means, translated
    reference: str  # refdet, or the basket reference for the counter
    idop: str  # PayFiP's operation id ("" at the counter)
    authorisation: str  # PayFiP's numauto, or the counter's reference (cheque number...)
    household: str
    household_id: int
    basket: str
    amount_cents: int


@dataclass
class Receipts:
    start: datetime.date
    end: datetime.date
    rows: list[Receipt] = field(default_factory=list)

    @property
    def total_cents(self) -> int:
        return sum(r.amount_cents for r in self.rows)

    @property
    def payfip_cents(self) -> int:
        return sum(r.amount_cents for r in self.rows if r.source == "payfip")

    @property
    def counter_cents(self) -> int:
        return sum(r.amount_cents for r in self.rows if r.source == "counter")

    def totals(self) -> list[tuple[str, int, int]]:
        """(means, how many, total cents) per means, PayFiP first."""
        found: dict[str, list[int]] = {}
        for row in self.rows:
            item = found.setdefault(row.means, [0, 0])
            item[0] += 1
            item[1] += row.amount_cents
        return [(means, n, cents) for means, (n, cents) in found.items()]


def _counter_receipt(c: CounterPayment) -> Receipt:
    """A basket paid at the counter, as a receipt (basket, household selected)."""
    return Receipt(
        at=c.created_at,
        source="counter",
        means=str(dict(CounterMeans.choices).get(c.means, c.means)),
        reference=c.basket.reference,
        idop="",
        authorisation=c.reference,
        household=c.household.name,
        household_id=c.household_id,
        basket=c.basket.reference,
        amount_cents=c.amount_cents,
    )


def receipts(start: datetime.date, end: datetime.date) -> Receipts:
    """Money received from `start` to `end` (Paris days), oldest first. Two queries."""
    if end < start:
        raise Refused("end", _("The end of the period is before its start."))
    if (end - start).days >= MAX_EXPORT_DAYS:
        raise Refused(
            "end", _("At most %(days)d days at once, please.") % {"days": MAX_EXPORT_DAYS}
        )
    since, until = day_bounds(start, end)
    report = Receipts(start, end)
    payfip = _("PayFiP (online)")
    for p in (
        Payment.objects.filter(state=PaymentState.PAID, paid_at__gte=since, paid_at__lt=until)
        .select_related("basket", "invoice", "household")
        .order_by("paid_at", "pk")
    ):
        report.rows.append(
            Receipt(
                at=p.paid_at,
                source="payfip",
                means=payfip,
                reference=p.refdet,
                idop=p.idop,
                authorisation=p.numauto,
                household=p.household.name,
                household_id=p.household_id,
                # A payment is for a basket or for an invoice (its number then).
                basket=p.basket.reference if p.basket_id else p.invoice.number,
                amount_cents=p.amount_cents,
            )
        )
    for c in (
        CounterPayment.objects.filter(created_at__gte=since, created_at__lt=until)
        .select_related("basket", "household")
        .order_by("created_at", "pk")
    ):
        report.rows.append(_counter_receipt(c))
    report.rows.sort(key=lambda r: (r.at, r.source))
    return report


# The payments page lists at most this many counter payments (the export has them all).
COUNTER_LIST_MAX = 200


def counter_payments(start: datetime.date, end: datetime.date) -> list[Receipt]:
    """Money received at the counter from `start` to `end` (Paris days), newest first:
    for baskets (CounterPayment) and for invoices (InvoicePayment by a counter method).
    Two queries, at most COUNTER_LIST_MAX rows of each."""
    since, until = day_bounds(start, end)
    rows = [
        _counter_receipt(c)
        for c in CounterPayment.objects.filter(created_at__gte=since, created_at__lt=until)
        .select_related("basket", "household")
        .order_by("-created_at", "-pk")[:COUNTER_LIST_MAX]
    ]
    rows += [
        Receipt(
            at=p.received_at,
            source="counter",
            means=p.get_method_display(),
            reference=p.invoice.number,
            idop="",
            authorisation=p.reference,
            household=p.household.name,
            household_id=p.household_id,
            basket=p.invoice.number,
            amount_cents=p.amount_cents,
        )
        for p in InvoicePayment.objects.filter(
            method__in=COUNTER_METHODS, received_at__gte=since, received_at__lt=until
        )
        .select_related("invoice", "household")
        .order_by("-received_at", "-pk")[:COUNTER_LIST_MAX]
    ]
    rows.sort(key=lambda r: r.at, reverse=True)
    return rows[:COUNTER_LIST_MAX]
