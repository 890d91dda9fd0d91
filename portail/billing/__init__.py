"""Money: the credit ledger (avoirs), checkout, and PayFiP payments.

- credits.py: the append-only ledger per household, its balance and the credit usable now;
- quote.py: what a basket costs once the credit is applied (the basket page's totals);
- settlement.py: turning a basket's lines into confirmed bookings, cancellations and
  ledger entries (shared by the 0-due validation and the payment confirmation);
- checkout.py: OK / PAYER (validate at 0 due, or create the PayFiP payment);
- payments.py: the payment's one-way state machine, fed only by PayFiP's own answer to
  recupererDetailPaiementSecurise; the `payment_confirmed` signal;
- closures.py: a day closed by the service turns its paid bookings into credit.
"""
