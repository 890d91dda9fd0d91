"""PayFiP payments: the one-way state machine and its idempotent confirmation.

PayFiP's notification (server to server) and the parent's browser return both carry only
an idOp, unsigned. Both, and the periodic poll, call `refresh_payment(idop, source=...)`,
which asks PayFiP itself (recupererDetailPaiementSecurise) and believes only that answer,
and only if its montant, refdet and numcli are the ones stored for the payment
(otherwise: state `mismatch`, nothing confirmed, staff alerted).

A payment is for a basket (checkout.py) or for an invoice (invoicing/online.py), never
both. States (Payment.state), moving one way:
    pending → paid | refused | abandoned | expired | mismatch     (failed: never created)
- P or V (paid): a basket is settled (settlement.py): bookings confirmed, credit used,
  history written; an invoice gets the money (invoicing/settling.py): one InvoicePayment
  per Payment, and whatever the invoice no longer needs (paid at the counter or
  cancelled meanwhile) becomes household credit (payment_surplus). `payment_confirmed`
  is sent once the transaction commits. Exactly once: the payment's row is locked (after
  the household's, the order every basket, ledger and invoice change uses) and re-read,
  and only the transaction that moves it to `paid` settles.
- R or Z (refused): the basket opens again (new hold) so the parent can try again; an
  invoice does not change (its history says "online payment not completed").
- A (abandoned): PayFiP may say so while its page is still open, so the payment stays
  pending until PAYFIP_ABANDON_GRACE_MINUTES after the first "A"; then abandoned, basket
  reopened (an invoice: history only).
- P5 (no result yet): still pending. P1 (unknown idOp): pending during the page's life
  (PAYFIP_PAGE_MINUTES), then expired. No result at all after PAYFIP_PENDING_MAX_MINUTES
  (P5, PayFiP unreachable): expired, so the basket stops holding places.
- mismatch (PayFiP's montant, refdet, numcli or idOp differ from what was sent): nothing
  counted, neither on a basket nor on an invoice; staff alerted.
- paid, mismatch and failed are final. A refused, abandoned or expired payment that PayFiP
  later reports paid becomes paid: the money is kept (bookings still free are confirmed,
  the rest becomes credit; an invoice takes what it still needs, the rest becomes
  credit; the family and the staff are told, payment_notices.py).

A pending payment blocks its basket's expiry (expire_baskets only looks at open baskets).
`portail check_payments` (every 5 minutes) polls pending payments, for notifications
that never come, and abandoned/expired ones for PAYFIP_RECHECK_HOURS.
"""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone

from portail.billing import credits, payment_notices
from portail.billing.invoicing import settling
from portail.billing.models import (
    FINAL_STATES,
    CreditKind,
    Payment,
    PaymentState,
)
from portail.billing.settlement import DETAIL_PAID, Settlement, settle
from portail.core.locking import locked
from portail.families.models import Household
from portail.payfip import client
from portail.payfip.errors import PayfipError
from portail.payfip.validators import validate_idop
from portail.reservations import holds
from portail.reservations.models import Basket, BasketStatus

logger = logging.getLogger("portail.billing")

# Where PayFiP sends its notification (server to server) and the parent's browser back.
# The web pages (URL names payfip:notify and payfip:return) must be served at these paths;
# both call refresh_payment() with the idOp they receive.
NOTIFY_PATH = "/paiement/notification/"
RETURN_PATH = "/paiement/retour/"

# refresh_payment() sources.
SOURCE_NOTIFICATION = "notification"
SOURCE_RETURN = "return"
SOURCE_POLL = "poll"
SOURCES = (SOURCE_NOTIFICATION, SOURCE_RETURN, SOURCE_POLL)

# A payment row whose creation on PayFiP was interrupted (no idOp after this long) failed.
STUCK_CREATION = datetime.timedelta(minutes=5)

# Sent once per payment confirmed (paid), after the commit: sender=Payment,
# payment=Payment, settlement=Settlement. The ticket e-mail listens to it.
payment_confirmed = Signal()
# Sent once per basket validated without payment (amount due 0), after the commit:
# sender=Basket, basket=Basket, settlement=Settlement.
basket_validated = Signal()

# Closed unpaid payments that PayFiP might still report paid (not refused: R/Z is final).
RECHECKED_STATES = (PaymentState.ABANDONED, PaymentState.EXPIRED)
LIVE_BASKET_STATUSES = (BasketStatus.OPEN, BasketStatus.AWAITING_PAYMENT)
SETTLED_BASKET_STATUSES = (BasketStatus.PAID, BasketStatus.VALIDATED)


def on_payment_confirmed(payment: Payment, settlement: Settlement | None = None) -> None:
    """Tell the receivers of `payment_confirmed` (the ticket e-mail) that `payment` is paid.

    Runs after the commit of the transaction that confirmed it, once per payment. A
    receiver's failure is logged, never raised: the payment is confirmed whatever happens
    to the e-mail."""
    for receiver, response in payment_confirmed.send_robust(
        sender=Payment, payment=payment, settlement=settlement
    ):
        if isinstance(response, Exception):
            logger.error(
                "payment_confirmed receiver %r failed for %s: %r", receiver, payment, response
            )


def notify_validated(basket: Basket, settlement: Settlement) -> None:
    """Send `basket_validated` once the current transaction commits."""

    def send() -> None:
        for receiver, response in basket_validated.send_robust(
            sender=Basket, basket=basket, settlement=settlement
        ):
            if isinstance(response, Exception):
                logger.error("basket_validated receiver %r failed: %r", receiver, response)

    transaction.on_commit(send)


# --- for the pages -----------------------------------------------------------------------


def current_payment(household: Household) -> Payment | None:
    """The household's basket payment in progress (pending), the newest; None when there
    is none. The basket page shows it ("payment in progress") instead of an open basket
    (a payment of an invoice is not the basket's business)."""
    return (
        Payment.objects.filter(
            household=household, state=PaymentState.PENDING, basket__isnull=False
        )
        .select_related("basket")
        .order_by("-created_at", "-pk")
        .first()
    )


def resume_url(payment: Payment, *, now: datetime.datetime | None = None) -> str | None:
    """The PayFiP page of a pending payment while it is still usable (PAYFIP_PAGE_MINUTES
    after its creation), so that a parent who closed the tab can go back; else None."""
    now = now or timezone.now()
    if payment.state != PaymentState.PENDING or not payment.idop:
        return None
    if now >= payment.created_at + datetime.timedelta(minutes=settings.PAYFIP_PAGE_MINUTES):
        return None
    return client.payment_page_url(payment.idop)


# --- creation ----------------------------------------------------------------------------


def _reopen_if_waiting(payment: Payment, now: datetime.datetime) -> None:
    """The basket of a payment that ended unpaid opens again, unless another attempt of
    it is still pending or it is no longer waiting (household locked by the caller). An
    invoice does not change: its history says the attempt was not completed."""
    if payment.invoice_id is not None:
        settling.online_not_completed(payment, now=now)
        return
    basket = Basket.objects.get(pk=payment.basket_id)
    if basket.status != BasketStatus.AWAITING_PAYMENT:
        return
    if basket.payments.filter(state=PaymentState.PENDING).exclude(pk=payment.pk).exists():
        return
    holds.reopen_basket(basket, now=now)


def creation_failed(payment: Payment, *, code: str, message: str, now: datetime.datetime) -> None:
    """PayFiP did not create the payment: `failed` (final) and the basket opens again."""
    logger.warning("PayFiP could not create payment %s: %s %s", payment.refdet, code, message)
    with transaction.atomic():
        holds.lock_household(payment.household)
        (row,) = locked(Payment.objects.filter(pk=payment.pk))
        if row.state != PaymentState.PENDING:
            return
        row.state = PaymentState.FAILED
        row.error_code = code[:30]
        row.error_message = message
        row.settled_at = now
        row.save(update_fields=["state", "error_code", "error_message", "settled_at", "updated_at"])
        _reopen_if_waiting(row, now)


# --- confirmation -----------------------------------------------------------------------


def refresh_payment(
    idop: str, *, source: str, now: datetime.datetime | None = None
) -> Payment | None:
    """Ask PayFiP about the payment `idop` and apply its answer; the payment (re-read), or
    None when no payment has this idOp (anything PayFiP or a browser sends is accepted
    here: unknown or malformed idOps change nothing).

    `source`: "notification" | "return" | "poll" (logged). Safe to call any number of
    times, concurrently, in any order: the confirmation happens once.
    Never call it inside transaction.atomic(): it makes a network call first.
    """
    if source not in SOURCES:
        raise ValueError(f"Unknown source {source!r}")
    now = now or timezone.now()
    try:
        validate_idop(idop)
    except ValidationError:
        return None
    payment = Payment.objects.filter(idop=idop).first()
    if payment is None:
        logger.warning("PayFiP %s for unknown idOp %s", source, idop)
        return None
    if payment.state in FINAL_STATES:
        return payment
    try:
        detail = client.get_payment_detail(idop)
    except PayfipError as error:
        logger.info("Payment %s (%s): PayFiP says %s", payment.refdet, source, error.code)
        apply_error(payment, error, now=now)
    else:
        logger.info("Payment %s (%s): resultrans %s", payment.refdet, source, detail.resultrans)
        apply_detail(payment, detail, now=now)
    return Payment.objects.get(pk=payment.pk)


def _lock(payment: Payment) -> Payment:
    """Lock the household's row, then the payment's; the payment as it is now."""
    holds.lock_household(payment.household)
    (row,) = locked(Payment.objects.filter(pk=payment.pk).select_related("household"))
    return row


def _mismatches(payment: Payment, detail: client.PaymentDetail) -> list[str]:
    found = []
    if detail.montant_cents != payment.amount_cents:
        found.append(f"montant {detail.montant_cents} != {payment.amount_cents}")
    if detail.refdet != payment.refdet:
        found.append(f"refdet {detail.refdet!r} != {payment.refdet!r}")
    if detail.numcli != payment.numcli:
        found.append(f"numcli {detail.numcli!r} != {payment.numcli!r}")
    if detail.idop != payment.idop:
        found.append(f"idop {detail.idop!r} != {payment.idop!r}")
    return found


def _detail_json(detail: client.PaymentDetail) -> dict:
    return {
        "idop": detail.idop,
        "resultrans": detail.resultrans,
        "montant": detail.montant_cents,
        "refdet": detail.refdet,
        "numcli": detail.numcli,
        "mel": detail.mel,
        "exer": detail.exer,
        "objet": detail.objet,
        "numauto": detail.numauto,
        "transaction_at": detail.transaction_at.isoformat() if detail.transaction_at else None,
        "saisie": detail.saisie,
    }


def _close(row: Payment, state: str, now: datetime.datetime) -> None:
    row.state = state
    row.settled_at = now
    row.save()
    _reopen_if_waiting(row, now)


def apply_detail(payment: Payment, detail: client.PaymentDetail, *, now: datetime.datetime) -> None:
    """Apply PayFiP's answer about `payment` (the second half of refresh_payment())."""
    with transaction.atomic():
        row = _lock(payment)
        if row.state in FINAL_STATES:
            return  # confirmed (or flagged) by a concurrent call: nothing more to do
        row.checked_at = now
        row.detail = _detail_json(detail)
        row.resultrans = detail.resultrans
        row.numauto = detail.numauto[:32]
        row.payer_mel = detail.mel[:254]
        row.error_code = ""
        row.error_message = ""
        problems = _mismatches(row, detail)
        if problems:
            was_pending = row.state == PaymentState.PENDING
            row.state = PaymentState.MISMATCH
            row.settled_at = now
            row.save()
            if was_pending:
                _reopen_if_waiting(row, now)
            transaction.on_commit(lambda: payment_notices.alert_mismatch(row, problems))
            return
        if detail.is_paid:
            late = row.state != PaymentState.PENDING
            row.state = PaymentState.PAID
            row.paid_at = detail.paid_at or now
            row.settled_at = now
            row.save()
            settlement = _settle_paid(row, now)
            transaction.on_commit(lambda: on_payment_confirmed(row, settlement))
            if late or not settlement.complete or settlement.surplus_cents:
                transaction.on_commit(lambda: payment_notices.tell_incomplete(row, settlement))
            return
        if row.state != PaymentState.PENDING:
            row.save()  # closed unpaid, and still not paid: only the answer is kept
            return
        if detail.is_refused:
            _close(row, PaymentState.REFUSED, now)
        elif detail.is_abandoned:
            if row.abandon_reported_at is None:
                row.abandon_reported_at = now
            grace = datetime.timedelta(minutes=settings.PAYFIP_ABANDON_GRACE_MINUTES)
            if now >= row.abandon_reported_at + grace:
                _close(row, PaymentState.ABANDONED, now)
            else:
                row.save()
        else:  # pragma: no cover - the client only returns the five known results
            row.save()


def apply_error(payment: Payment, error: PayfipError, *, now: datetime.datetime) -> None:
    """PayFiP gave no result (the second half of refresh_payment() when it raised): still
    pending, unless it has been too long."""
    with transaction.atomic():
        row = _lock(payment)
        if row.state != PaymentState.PENDING:
            return
        row.checked_at = now
        row.error_code = error.code[:30]
        row.error_message = error.message
        age = now - row.created_at
        page = datetime.timedelta(minutes=settings.PAYFIP_PAGE_MINUTES)
        longest = datetime.timedelta(minutes=settings.PAYFIP_PENDING_MAX_MINUTES)
        if (error.is_unknown_idop and age >= page) or age >= longest:
            if not (error.is_pending or error.is_unknown_idop):
                logger.warning(
                    "Payment %s: no answer from PayFiP for %s, expired (%s)",
                    row.refdet,
                    age,
                    error.code,
                )
            _close(row, PaymentState.EXPIRED, now)
        else:
            row.save()


def _settle_paid(payment: Payment, now: datetime.datetime) -> Settlement:
    """The money of a payment just marked paid goes to its basket or its invoice
    (household locked)."""
    if payment.invoice_id is not None:
        outcome = settling.apply_online_payment(payment, now=now)
        return Settlement(surplus_cents=outcome.surplus_cents)
    basket = Basket.objects.select_related("household").get(pk=payment.basket_id)
    # An open basket past its hold is expired first (as every basket change does).
    if basket.status == BasketStatus.OPEN and holds.current_open(basket.household, now) is None:
        basket.refresh_from_db()
    common = {
        "money_cents": payment.amount_cents,
        "final_status": BasketStatus.PAID,
        "detail": DETAIL_PAID,
        "actor": payment.actor,
        "channel": payment.channel,
        "at": now,
        "payment": payment,
    }
    if basket.status in LIVE_BASKET_STATUSES:
        return settle(
            basket,
            credit_budget_cents=payment.credit_applied_cents,
            apply_cancellations=True,
            **common,
        )
    if basket.status in SETTLED_BASKET_STATUSES:
        # Already settled by another attempt: all of this money becomes credit.
        credits.add_credit(
            basket.household,
            payment.amount_cents,
            kind=CreditKind.PAYMENT_SURPLUS,
            reason="",
            basket=basket,
            payment=payment,
            at=now,
        )
        return Settlement(surplus_cents=payment.amount_cents)
    # Expired or abandoned meanwhile: its requests are confirmed where the place is still
    # free, with this money only (its cancellations were withdrawn when it expired).
    return settle(basket, credit_budget_cents=0, apply_cancellations=False, **common)


# --- polling -----------------------------------------------------------------------------


def check_pending_payments(*, now: datetime.datetime | None = None) -> int:
    """Re-check payments whose notification may never come; returns how many changed state.

    Pending payments are asked about (they then settle, stay pending, or expire);
    abandoned and expired ones of the last PAYFIP_RECHECK_HOURS too, in case PayFiP
    reports them paid after all. A pending row that never got its idOp (the creation was
    interrupted) fails after a few minutes and its basket opens again.
    Run `portail check_payments` every 5 minutes.
    """
    now = now or timezone.now()
    changed = 0
    stuck = Payment.objects.filter(
        state=PaymentState.PENDING, idop="", created_at__lte=now - STUCK_CREATION
    )
    for payment in stuck:
        creation_failed(payment, code="interrupted", message="no idOp was recorded", now=now)
        changed += 1
    recheck_since = now - datetime.timedelta(hours=settings.PAYFIP_RECHECK_HOURS)
    due = (
        Payment.objects.exclude(idop="")
        .filter(
            Q(state=PaymentState.PENDING)
            | Q(state__in=RECHECKED_STATES, created_at__gte=recheck_since)
        )
        .order_by("created_at", "pk")
        .values_list("pk", "idop", "state")
    )
    for _pk, idop, before in list(due):
        try:
            after = refresh_payment(idop, source=SOURCE_POLL, now=now)
        except Exception:  # one bad payment must not stop the others
            logger.exception("Checking payment %s failed", idop)
            continue
        if after is not None and after.state != before:
            changed += 1
    return changed
