"""The credit ledger (avoirs): one append-only list of movements per household.

Credit comes from a cancellation made in time (when its basket is validated or paid), a
day closed by the service, a payment that could not be used for bookings (or for its
invoice, already paid), a credit note on an invoice already paid, or a staff adjustment
(with its reason); a checkout or an invoice uses it (billing/invoicing/settling.py).
Every row is written by `add_credit()` here, under the lock on the household's row, which
is also the lock every basket change takes: so the balance read before writing is the
balance, and it never goes below zero.

Balance and availability:
- `balance_cents()`: the sum of the ledger (the last row's balance_after_cents);
- `held_cents()`: the part of it kept aside by pending PayFiP payments (the credit their
  basket applies, taken from the ledger only once the payment is confirmed);
- `available_cents()`: balance minus held: what a new basket can use, and what the home
  page and the basket show.

Oldest first: credit is fungible (one balance), but which credits a use consumed is
computed from the ledger in FIFO order by `open_credits()`: every use (negative row) eats
the oldest credits still open. Nothing is stored for it, so it can never disagree with the
ledger.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Expression, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from portail.accounts.models import User
from portail.billing.models import (
    CREDITING_KINDS,
    DEBITING_KINDS,
    CreditEntry,
    CreditKind,
    Invoice,
    Payment,
    PaymentState,
)
from portail.core.locking import locked
from portail.families.models import Household
from portail.reservations.models import Basket, Booking

REASON_MAX_LENGTH = 500


class CreditRefused(Exception):
    """A ledger movement that is not allowed; nothing was written.

    code: "zero" | "wrong_sign" | "insufficient" | "no_reason" | "not_staff"
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _household_id(household: Household | int) -> int:
    return household if isinstance(household, int) else household.pk


def _ledger_newest_first(household_id: int) -> QuerySet[CreditEntry]:
    """The household's ledger rows, newest first: the first holds the balance."""
    return CreditEntry.objects.filter(household_id=household_id).order_by("-seq")


def _pending_holds(household_id: int) -> QuerySet[Payment]:
    """The household's pending payments: each keeps its credit_hold_cents aside."""
    return Payment.objects.filter(household_id=household_id, state=PaymentState.PENDING)


def balance_cents(household: Household | int) -> int:
    """The household's credit: the balance after its last ledger row (0 without any)."""
    last = (
        _ledger_newest_first(_household_id(household))
        .values_list("balance_after_cents", flat=True)
        .first()
    )
    return last or 0


def held_cents(household: Household | int, *, exclude_payment: Payment | None = None) -> int:
    """Credit kept aside by the household's pending payments (used once they are paid)."""
    rows = _pending_holds(_household_id(household))
    if exclude_payment is not None:
        rows = rows.exclude(pk=exclude_payment.pk)
    return rows.aggregate(total=Sum("credit_hold_cents"))["total"] or 0


def available_cents(household: Household | int) -> int:
    """The credit a new basket can use now: balance minus what pending payments hold.

    balance_cents() and held_cents() in one query (the basket page asks on every view)."""
    row = (
        Household.objects.filter(pk=_household_id(household))
        .values_list(available_column(OuterRef("pk")), flat=True)
        .first()
    )
    return max(0, row or 0)


def available_column(household: OuterRef) -> Expression:
    """available_cents() (before its floor at 0) as a column of another query: `household`
    names the household of that query's row, e.g. OuterRef("pk") on households. The
    planning and a submission read it with the household's open basket
    (reservations.holds.open_with_quotients, through reservations.credit_hook)."""
    balance = (
        CreditEntry.objects.filter(household_id=household)
        .order_by("-seq")
        .values("balance_after_cents")[:1]
    )
    held = (
        Payment.objects.filter(household_id=household, state=PaymentState.PENDING)
        .order_by()
        .values("household_id")
        .annotate(total=Sum("credit_hold_cents"))
        .values("total")
    )
    return Coalesce(Subquery(balance), 0) - Coalesce(Subquery(held), 0)


def entries(household: Household | int) -> list[CreditEntry]:
    """The household's ledger, oldest first."""
    return list(
        CreditEntry.objects.filter(household_id=_household_id(household))
        .select_related("basket", "booking__session__activity", "booking__child", "payment")
        .order_by("seq")
    )


@dataclass(frozen=True)
class OpenCredit:
    entry: CreditEntry
    remaining_cents: int


def open_credits(household: Household | int) -> list[OpenCredit]:
    """The credits not yet used, oldest first, with what is left of each (FIFO).

    Every negative row (a checkout, a negative adjustment) consumes the oldest positive
    rows first. The remainders add up to the balance.
    """
    queue: list[list] = []  # [entry, remaining]
    for entry in entries(household):
        if entry.amount_cents > 0:
            queue.append([entry, entry.amount_cents])
            continue
        to_use = -entry.amount_cents
        for item in queue:
            if to_use == 0:
                break
            used = min(item[1], to_use)
            item[1] -= used
            to_use -= used
    return [OpenCredit(entry, remaining) for entry, remaining in queue if remaining > 0]


def add_credit(
    household: Household,
    amount_cents: int,
    *,
    kind: str,
    reason: str,
    actor: User | None = None,
    basket: Basket | None = None,
    booking: Booking | None = None,
    payment: Payment | None = None,
    invoice: Invoice | None = None,
    at: datetime.datetime | None = None,
) -> CreditEntry:
    """Append one row to the household's ledger (positive adds credit, negative uses it).

    Takes the household's row lock (inside the caller's transaction if there is one, so
    the caller's checks and this write see the same balance). Raises CreditRefused
    (nothing written) for a zero amount, a sign that does not match the kind, a balance
    that would go below zero, or an adjustment without a reason. A negative adjustment may
    not use credit that a pending payment holds.
    """
    if kind not in CreditKind.values:
        raise ValueError(f"Unknown credit kind {kind!r}")
    if isinstance(amount_cents, bool) or not isinstance(amount_cents, int):
        raise TypeError("amount_cents must be an int")
    reason = (reason or "").strip()[:REASON_MAX_LENGTH]
    if amount_cents == 0:
        raise CreditRefused("zero", _("The amount cannot be zero."))
    if (kind in CREDITING_KINDS and amount_cents < 0) or (
        kind in DEBITING_KINDS and amount_cents > 0
    ):
        raise CreditRefused("wrong_sign", _("This kind of movement cannot have this sign."))
    if kind == CreditKind.ADJUSTMENT and not reason:
        raise CreditRefused("no_reason", _("An adjustment needs a reason."))
    with transaction.atomic():
        locked(Household.objects.filter(pk=household.pk))
        last = (
            CreditEntry.objects.filter(household=household)
            .order_by("-seq")
            .values_list("seq", "balance_after_cents")
            .first()
        )
        seq, balance = last if last else (0, 0)
        after = balance + amount_cents
        floor = held_cents(household) if kind == CreditKind.ADJUSTMENT else 0
        if amount_cents < 0 and after < floor:
            raise CreditRefused(
                "insufficient", _("The credit is not enough for this (it cannot go below zero).")
            )
        return CreditEntry.objects.create(
            household=household,
            seq=seq + 1,
            amount_cents=amount_cents,
            balance_after_cents=after,
            kind=kind,
            reason=reason,
            basket=basket,
            booking=booking,
            payment=payment,
            invoice=invoice,
            actor=actor,
            actor_label=actor.email if actor is not None else "",
            created_at=at or timezone.now(),
        )


def adjust(household: Household, amount_cents: int, *, reason: str, actor: User) -> CreditEntry:
    """A staff adjustment (gesture, correction, justified absence): either sign, with a
    reason; a negative one only down to zero (and not into credit a pending payment holds).
    Raises CreditRefused("not_staff") unless `actor` is staff."""
    if actor is None or not actor.is_staff:
        raise CreditRefused("not_staff", _("Only the service can adjust a credit."))
    return add_credit(
        household, amount_cents, kind=CreditKind.ADJUSTMENT, reason=reason, actor=actor
    )


def staff_granted_cents(household: Household | int) -> int:
    """The net sum of staff adjustments (used by audits and the money-conservation test)."""
    return (
        CreditEntry.objects.filter(
            household_id=_household_id(household), kind=CreditKind.ADJUSTMENT
        ).aggregate(total=Sum("amount_cents"))["total"]
        or 0
    )
