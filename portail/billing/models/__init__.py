"""The money models, by concept (Django finds them here).

- ledger.py: `CreditEntry`, the append-only credit ledger (avoirs). Each row carries its
  sequence number in the household's ledger and the balance after it. The database refuses
  a zero amount, a negative balance, a sign that does not match the kind, two rows with
  the same sequence number (so two writers that skipped the household lock cannot both
  append), and two cancellation/closure credits for one booking. Rows are never updated
  or deleted; only credits.py writes them, under the household's row lock.
- payment.py: `Payment`, one attempt to pay a basket or an invoice on PayFiP (one refdet,
  one idOp). Its `state` only moves forward (payments.py): pending → paid | refused |
  abandoned | expired | mismatch, failed when PayFiP could not even create it; paid,
  mismatch and failed are final, and a refused/abandoned/expired attempt can still turn
  paid if PayFiP later says so (the money is then kept, see settlement.py).
  `CounterPayment`: a basket paid at the counter.
- invoice.py: invoices for what is billed after the fact (billing runs, lines, payments
  applied, credit notes, gapless numbers, history).
"""

from portail.billing.models.invoice import (
    COUNTER_METHODS,
    CREDIT_NOTE_PREFIX,
    INVOICE_PREFIX,
    BillingRun,
    ChargeKind,
    CreditNote,
    Invoice,
    InvoiceAction,
    InvoiceEvent,
    InvoiceLine,
    InvoicePayment,
    InvoicePaymentMethod,
    InvoiceStatus,
    NumberSequence,
)
from portail.billing.models.ledger import (
    CREDITING_KINDS,
    DEBITING_KINDS,
    PER_BOOKING_KINDS,
    CreditEntry,
    CreditEntryQuerySet,
    CreditKind,
    ImmutableEntry,
)
from portail.billing.models.payment import (
    CLOSED_UNPAID_STATES,
    FINAL_STATES,
    PAYFIP_MAX_CENTS,
    PAYFIP_MIN_CENTS,
    CounterMeans,
    CounterPayment,
    Payment,
    PaymentState,
)

__all__ = [
    "BillingRun",
    "CLOSED_UNPAID_STATES",
    "COUNTER_METHODS",
    "CREDITING_KINDS",
    "CREDIT_NOTE_PREFIX",
    "ChargeKind",
    "CounterMeans",
    "CounterPayment",
    "CreditEntry",
    "CreditEntryQuerySet",
    "CreditKind",
    "CreditNote",
    "DEBITING_KINDS",
    "FINAL_STATES",
    "INVOICE_PREFIX",
    "ImmutableEntry",
    "Invoice",
    "InvoiceAction",
    "InvoiceEvent",
    "InvoiceLine",
    "InvoicePayment",
    "InvoicePaymentMethod",
    "InvoiceStatus",
    "NumberSequence",
    "PAYFIP_MAX_CENTS",
    "PAYFIP_MIN_CENTS",
    "PER_BOOKING_KINDS",
    "Payment",
    "PaymentState",
]
