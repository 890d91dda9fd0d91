"""Money applied to an invoice, and credit notes (avoirs sur facture).

Every amount that reaches an invoice goes through `_apply_money()`, the one place that
moves `paid_cents` and writes the `InvoicePayment`; every change of amounts ends with
`_save_amounts()`, the one place that sets the status from the amounts (the database's
`invoice_status_matches_amounts` says the same):

- `cancelled`: credit notes cancel the whole total;
- `paid`: nothing remains (remaining = total - paid - cancelled + refunded);
- `partially_paid`: something remains and some money was kept (paid > refunded);
- `unpaid`: something remains and no money was kept.

Where the money comes from:
- `record_counter_payment()`: staff at the counter (cash, cheque, card, CESU, transfer),
  partial or whole, never more than what remains (`amount_too_large`);
- `apply_credit()`: the household's credit (avoir), as much as is available and due; the
  ledger gets one `invoice_payment` debit per use (credits.py, under the household lock);
- `apply_online_payment()`: a PayFiP payment confirmed (billing/payments.py calls it in
  the transaction that moves the payment to `paid`, once per payment). Money beyond what
  remains (the invoice was paid at the counter meanwhile, or cancelled) becomes household
  credit (`payment_surplus`): never lost, never counted twice.

`issue_credit_note()` cancels all or part of an invoice, with its reason and its own
gapless number (AV2026-000004). The part of it beyond what remains was already paid: it
goes back to the household's credit (`invoice_refund`) and to the invoice's
`refunded_cents`. `cancel_invoice()` is a credit note for everything not cancelled yet:
the invoice becomes `cancelled` and whatever had been paid on it becomes credit.

Locks, always in this order: the household's row (the lock every basket and ledger
change takes), then the invoice's, then the number sequence. Every change writes the
invoice's history (invoicing.history) in its transaction.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portail.accounts.models import User
from portail.billing import credits
from portail.billing.invoicing import history, numbering
from portail.billing.models import (
    COUNTER_METHODS,
    CREDIT_NOTE_PREFIX,
    CreditEntry,
    CreditKind,
    CreditNote,
    Invoice,
    InvoiceAction,
    InvoicePayment,
    InvoicePaymentMethod,
    InvoiceStatus,
    Payment,
)
from portail.core.locking import locked
from portail.core.money import format_cents
from portail.families.models import Household
from portail.reservations import holds

# InvoiceRefused codes.
NOTHING_DUE = "nothing_due"
AMOUNT_INVALID = "amount_invalid"
AMOUNT_TOO_LARGE = "amount_too_large"
METHOD_INVALID = "method_invalid"
REASON_REQUIRED = "reason_required"
NO_CREDIT = "no_credit"

REASON_MAX_LENGTH = 500
REFERENCE_MAX_LENGTH = 100
CLOSED_STATUSES = (InvoiceStatus.PAID, InvoiceStatus.CANCELLED)


class InvoiceRefused(Exception):
    """Nothing was written; `message` is in the active language.

    code: "nothing_due" | "amount_invalid" | "amount_too_large" | "method_invalid" |
    "reason_required" | "no_credit" (and online.py's: "below_minimum", "above_maximum",
    "no_email", "payment_in_progress", "payfip_unavailable")
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def nothing_due() -> InvoiceRefused:
    return InvoiceRefused(NOTHING_DUE, _("Nothing is due on this invoice."))


def lock_invoice(invoice: Invoice | int) -> Invoice:
    """Lock the household's row, then the invoice's (call inside transaction.atomic());
    the invoice as it is now."""
    pk = invoice if isinstance(invoice, int) else invoice.pk
    household_id = Invoice.objects.filter(pk=pk).values_list("household_id", flat=True).get()
    holds.lock_household(Household(pk=household_id))
    (row,) = locked(Invoice.objects.filter(pk=pk).select_related("household"))
    return row


def status_for(invoice: Invoice) -> str:
    """The status the amounts say (the database checks the same)."""
    if invoice.cancelled_cents >= invoice.total_cents:
        return InvoiceStatus.CANCELLED
    if invoice.remaining_cents == 0:
        return InvoiceStatus.PAID
    if invoice.paid_cents > invoice.refunded_cents:
        return InvoiceStatus.PARTIALLY_PAID
    return InvoiceStatus.UNPAID


def _save_amounts(invoice: Invoice) -> None:
    invoice.status = status_for(invoice)
    invoice.save(update_fields=["paid_cents", "cancelled_cents", "refunded_cents", "status"])


def _apply_money(
    invoice: Invoice,
    amount_cents: int,
    *,
    method: str,
    actor: User | None,
    channel: str,
    now: datetime.datetime,
    reference: str = "",
    payment: Payment | None = None,
    credit_entry: CreditEntry | None = None,
) -> InvoicePayment:
    """The one way money reaches an invoice (locked by the caller, amount checked)."""
    assert 0 < amount_cents <= invoice.remaining_cents
    invoice.paid_cents += amount_cents
    _save_amounts(invoice)
    applied = InvoicePayment.objects.create(
        invoice=invoice,
        household_id=invoice.household_id,
        amount_cents=amount_cents,
        method=method,
        reference=reference[:REFERENCE_MAX_LENGTH],
        payment=payment,
        credit_entry=credit_entry,
        actor=actor,
        actor_label=actor.email if actor is not None else "",
        channel=channel,
        received_at=now,
    )
    label = InvoicePaymentMethod(method).label
    history.record(
        invoice,
        action=InvoiceAction.PAYMENT,
        actor=actor,
        channel=channel,
        amount_cents=amount_cents,
        detail=f"{label} {reference}".strip(),
        at=now,
    )
    return applied


def _checked_amount(amount_cents) -> int:
    if isinstance(amount_cents, bool) or not isinstance(amount_cents, int) or amount_cents <= 0:
        raise InvoiceRefused(AMOUNT_INVALID, _("The amount must be a positive number of cents."))
    return amount_cents


def _too_large(remaining_cents: int) -> InvoiceRefused:
    return InvoiceRefused(
        AMOUNT_TOO_LARGE,
        _("The amount is more than what remains to pay on this invoice (%(remaining)s).")
        % {"remaining": format_cents(remaining_cents)},
    )


def record_counter_payment(
    invoice: Invoice,
    *,
    amount_cents: int,
    method: str,
    reference: str = "",
    actor: User | None,
    channel: str,
    now: datetime.datetime | None = None,
) -> InvoicePayment:
    """Money received at the counter for `invoice`, partial or whole (never more than
    what remains). Raises InvoiceRefused (nothing written)."""
    now = now or timezone.now()
    if method not in COUNTER_METHODS:
        raise InvoiceRefused(
            METHOD_INVALID,
            _("Unknown means of payment: choose cash, cheque, card, CESU or bank transfer."),
        )
    amount_cents = _checked_amount(amount_cents)
    with transaction.atomic():
        row = lock_invoice(invoice)
        if row.status in CLOSED_STATUSES:
            raise nothing_due()
        if amount_cents > row.remaining_cents:
            raise _too_large(row.remaining_cents)
        return _apply_money(
            row,
            amount_cents,
            method=method,
            reference=(reference or "").strip(),
            actor=actor,
            channel=channel,
            now=now,
        )


def apply_credit_locked(
    row: Invoice,
    *,
    actor: User | None,
    channel: str,
    now: datetime.datetime,
    max_cents: int | None = None,
) -> InvoicePayment | None:
    """The household's available credit applied to `row` (household and invoice locked)."""
    if row.status in CLOSED_STATUSES:
        return None
    amount = min(credits.available_cents(row.household_id), row.remaining_cents)
    if max_cents is not None:
        amount = min(amount, max_cents)
    if amount <= 0:
        return None
    entry = credits.add_credit(
        row.household,
        -amount,
        kind=CreditKind.INVOICE_PAYMENT,
        reason=row.number,
        actor=actor,
        invoice=row,
        at=now,
    )
    return _apply_money(
        row,
        amount,
        method=InvoicePaymentMethod.CREDIT,
        actor=actor,
        channel=channel,
        now=now,
        credit_entry=entry,
    )


def apply_credit(
    invoice: Invoice,
    *,
    actor: User | None,
    channel: str,
    now: datetime.datetime | None = None,
    max_cents: int | None = None,
) -> InvoicePayment | None:
    """The household's available credit (balance minus what pending basket payments hold)
    applied to `invoice`: min(available, remaining, max_cents); None when there is no
    credit to use. Raises InvoiceRefused("nothing_due") on a paid or cancelled invoice."""
    now = now or timezone.now()
    if max_cents is not None:
        max_cents = _checked_amount(max_cents)
    with transaction.atomic():
        row = lock_invoice(invoice)
        if row.status in CLOSED_STATUSES:
            raise nothing_due()
        return apply_credit_locked(row, actor=actor, channel=channel, now=now, max_cents=max_cents)


@dataclass(frozen=True)
class OnlineOutcome:
    """What a confirmed PayFiP payment did to its invoice."""

    applied_cents: int  # counted on the invoice
    surplus_cents: int  # became household credit (invoice already paid or cancelled)


def apply_online_payment(payment: Payment, *, now: datetime.datetime) -> OnlineOutcome:
    """A PayFiP payment just marked paid: its money on its invoice, what remains of it in
    the household's credit. Called by payments.py in the transaction that confirmed the
    payment, with the household and the payment locked: once per payment (the
    InvoicePayment is one-to-one with it, so a second call would fail, not count twice)."""
    row = lock_invoice(payment.invoice_id)
    applied = 0
    if row.status not in CLOSED_STATUSES:
        applied = min(payment.amount_cents, row.remaining_cents)
        _apply_money(
            row,
            applied,
            method=InvoicePaymentMethod.ONLINE,
            reference=payment.refdet,
            payment=payment,
            actor=payment.actor,
            channel=payment.channel,
            now=now,
        )
    surplus = payment.amount_cents - applied
    if surplus:
        credits.add_credit(
            row.household,
            surplus,
            kind=CreditKind.PAYMENT_SURPLUS,
            reason=row.number,
            payment=payment,
            invoice=row,
            at=now,
        )
        history.record(
            row,
            action=InvoiceAction.PAYMENT,
            actor=payment.actor,
            channel=payment.channel,
            amount_cents=0,
            detail=_("Online payment %(reference)s: %(amount)s added to the household's credit")
            % {"reference": payment.refdet, "amount": format_cents(surplus)},
            at=now,
        )
    return OnlineOutcome(applied_cents=applied, surplus_cents=surplus)


def online_not_completed(payment: Payment, *, now: datetime.datetime) -> None:
    """A PayFiP attempt for an invoice ended unpaid (refused, abandoned, expired, failed,
    mismatch): the invoice does not change; its history says so."""
    history.record(
        Invoice.objects.get(pk=payment.invoice_id),
        action=InvoiceAction.ONLINE_FAILED,
        actor=None,
        channel=payment.channel,
        amount_cents=payment.amount_cents,
        detail=f"{payment.refdet} {payment.state}",
        at=now,
    )


def _checked_reason(reason) -> str:
    reason = (reason or "").strip() if isinstance(reason, str) else ""
    if not reason:
        raise InvoiceRefused(REASON_REQUIRED, _("A credit note needs a reason."))
    return reason[:REASON_MAX_LENGTH]


def _credit_note(
    row: Invoice,
    amount_cents: int,
    reason: str,
    *,
    actor: User | None,
    channel: str,
    now: datetime.datetime,
) -> CreditNote:
    """Cancel `amount_cents` of `row` (household and invoice locked, amount checked)."""
    refund = max(0, amount_cents - row.remaining_cents)
    year = timezone.localdate(now).year
    (seq,) = numbering.take(CREDIT_NOTE_PREFIX, year)
    note = CreditNote.objects.create(
        invoice=row,
        year=year,
        seq=seq,
        number=numbering.format_number(CREDIT_NOTE_PREFIX, year, seq),
        amount_cents=amount_cents,
        refunded_cents=refund,
        reason=reason,
        actor=actor,
        actor_label=actor.email if actor is not None else "",
        channel=channel,
        created_at=now,
    )
    row.cancelled_cents += amount_cents
    row.refunded_cents += refund
    _save_amounts(row)
    if refund:
        credits.add_credit(
            row.household,
            refund,
            kind=CreditKind.INVOICE_REFUND,
            reason=note.number,
            actor=actor,
            invoice=row,
            at=now,
        )
    history.record(
        row,
        action=InvoiceAction.CREDIT_NOTE,
        actor=actor,
        channel=channel,
        amount_cents=amount_cents,
        detail=f"{note.number}: {reason}",
        at=now,
    )
    return note


def issue_credit_note(
    invoice: Invoice,
    *,
    amount_cents: int,
    reason: str,
    actor: User | None,
    channel: str,
    now: datetime.datetime | None = None,
) -> CreditNote:
    """A credit note cancelling `amount_cents` of `invoice` (at most what is not cancelled
    yet), with its reason. The part already paid goes back to the household's credit.
    Raises InvoiceRefused (nothing written)."""
    now = now or timezone.now()
    amount_cents = _checked_amount(amount_cents)
    reason = _checked_reason(reason)
    with transaction.atomic():
        row = lock_invoice(invoice)
        if row.status == InvoiceStatus.CANCELLED:
            raise nothing_due()
        left = row.total_cents - row.cancelled_cents
        if amount_cents > left:
            raise InvoiceRefused(
                AMOUNT_TOO_LARGE,
                _("A credit note cannot cancel more than %(amount)s on this invoice.")
                % {"amount": format_cents(left)},
            )
        return _credit_note(row, amount_cents, reason, actor=actor, channel=channel, now=now)


def cancel_invoice(
    invoice: Invoice,
    *,
    reason: str,
    actor: User | None,
    channel: str,
    now: datetime.datetime | None = None,
) -> CreditNote:
    """Cancel the invoice: a credit note for everything not cancelled yet, with its
    reason. What had been paid on it goes back to the household's credit, so the invoice
    ends `cancelled` whatever was paid. Raises InvoiceRefused("nothing_due") when it is
    cancelled already, ("reason_required") without a reason."""
    now = now or timezone.now()
    reason = _checked_reason(reason)
    with transaction.atomic():
        row = lock_invoice(invoice)
        if row.status == InvoiceStatus.CANCELLED:
            raise nothing_due()
        amount = row.total_cents - row.cancelled_cents
        return _credit_note(row, amount, reason, actor=actor, channel=channel, now=now)
