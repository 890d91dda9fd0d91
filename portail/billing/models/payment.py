"""PayFiP payments (one attempt each) and money received at the counter for a basket."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portail.families.models import Household
from portail.reservations.models import Basket

# PayFiP accepts 1,00 EUR to 100 000 EUR.
PAYFIP_MIN_CENTS = 100
PAYFIP_MAX_CENTS = 10_000_000


class PaymentState(models.TextChoices):
    PENDING = "pending", _("Pending")
    PAID = "paid", _("Paid")
    REFUSED = "refused", _("Refused")
    ABANDONED = "abandoned", _("Abandoned")
    EXPIRED = "expired", _("Expired")
    MISMATCH = "mismatch", _("Mismatch (checked by staff)")
    FAILED = "failed", _("Could not be created")


# States no answer from PayFiP can change any more.
FINAL_STATES = (PaymentState.PAID, PaymentState.MISMATCH, PaymentState.FAILED)
# Closed unpaid, but PayFiP may still report them paid (the money is then kept).
CLOSED_UNPAID_STATES = (PaymentState.REFUSED, PaymentState.ABANDONED, PaymentState.EXPIRED)


class Payment(models.Model):
    """One attempt to pay, on PayFiP, a basket's amount due or an invoice (exactly one)."""

    basket = models.ForeignKey(
        Basket,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
        verbose_name=_("basket"),
    )
    invoice = models.ForeignKey(
        "billing.Invoice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
        verbose_name=_("invoice"),
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="payments", verbose_name=_("household")
    )
    attempt = models.PositiveSmallIntegerField(_("attempt"))
    # The "référence de la dette": for a basket, its reference + "P" + the attempt number
    # (unique); for an invoice, the invoice's number without its dash (every attempt).
    refdet = models.CharField(_("debt reference"), max_length=30)
    idop = models.CharField(_("PayFiP operation id"), max_length=64, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=PaymentState, default=PaymentState.PENDING
    )
    amount_cents = models.PositiveIntegerField(_("amount (cents)"))
    # The quote the amount came from (the basket cannot change while the payment is pending).
    reservations_cents = models.PositiveIntegerField(_("reservations (cents)"))
    cancellations_cents = models.PositiveIntegerField(_("cancellations (cents)"))
    credit_applied_cents = models.PositiveIntegerField(_("credit applied (cents)"))
    # The part of the credit applied that came from the balance before this basket: kept
    # aside (not usable by another basket) while the payment is pending.
    credit_hold_cents = models.PositiveIntegerField(_("credit held (cents)"))
    # What was sent to PayFiP (and must come back unchanged).
    numcli = models.CharField(_("client number"), max_length=6)
    exer = models.PositiveSmallIntegerField(_("year"))
    mel = models.CharField(_("e-mail sent"), max_length=80)
    objet = models.CharField(_("object"), max_length=100, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    channel = models.CharField(_("channel"), max_length=20)
    # PayFiP's answer (recupererDetailPaiementSecurise), the last one received.
    resultrans = models.CharField(_("result"), max_length=1, blank=True)
    numauto = models.CharField(_("authorisation number"), max_length=32, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    payer_mel = models.CharField(_("payer's e-mail"), max_length=254, blank=True)
    detail = models.JSONField(_("last answer"), default=dict, blank=True)
    error_code = models.CharField(_("last error code"), max_length=30, blank=True)
    error_message = models.TextField(_("last error"), blank=True)
    abandon_reported_at = models.DateTimeField(_("abandon reported at"), null=True, blank=True)
    checked_at = models.DateTimeField(_("last checked"), null=True, blank=True)
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["basket", "attempt"], name="payment_attempt_unique"),
            models.UniqueConstraint(
                fields=["invoice", "attempt"], name="payment_invoice_attempt_unique"
            ),
            models.UniqueConstraint(
                fields=["refdet"], condition=Q(basket__isnull=False), name="payment_refdet_unique"
            ),
            # One attempt at a time per invoice: two tabs cannot pay it twice at once.
            models.UniqueConstraint(
                fields=["invoice"],
                condition=Q(state="pending"),
                name="payment_one_pending_per_invoice",
            ),
            models.CheckConstraint(
                condition=Q(basket__isnull=True, invoice__isnull=False)
                | Q(basket__isnull=False, invoice__isnull=True),
                name="payment_for_basket_or_invoice",
            ),
            models.UniqueConstraint(
                fields=["idop"], condition=~Q(idop=""), name="payment_idop_unique"
            ),
            models.CheckConstraint(
                condition=Q(amount_cents__gte=PAYFIP_MIN_CENTS)
                & Q(amount_cents__lte=PAYFIP_MAX_CENTS),
                name="payment_amount_payfip_range",
            ),
            models.CheckConstraint(
                condition=Q(credit_hold_cents__lte=F("credit_applied_cents")),
                name="payment_hold_within_credit",
            ),
            models.CheckConstraint(
                condition=~Q(state="paid")
                | (Q(paid_at__isnull=False) & Q(resultrans__in=["P", "V"])),
                name="payment_paid_has_proof",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "created_at"], name="payment_state_created"),
            models.Index(fields=["household", "state"], name="payment_household_state"),
        ]

    def __str__(self) -> str:
        return self.refdet


class CounterMeans(models.TextChoices):
    CASH = "cash", _("Cash")
    CHEQUE = "cheque", _("Cheque")
    CARD = "card", _("Card at the counter")


class CounterPayment(models.Model):
    """Money received at the service's counter for a basket (counter.py writes it).

    The basket is settled as a PayFiP payment would settle it (settlement.py); this row is
    the receipt the régie reconciles with its till. Its table keeps the name it had when
    the model lived in the back office (moved here without moving data).
    """

    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        related_name="counter_payments",
        verbose_name=_("household"),
    )
    basket = models.OneToOneField(
        Basket,
        on_delete=models.PROTECT,
        related_name="counter_payment",
        verbose_name=_("basket"),
    )
    means = models.CharField(_("means of payment"), max_length=10, choices=CounterMeans)
    reference = models.CharField(
        _("reference"), max_length=100, blank=True, help_text=_("Cheque number, receipt...")
    )
    amount_cents = models.PositiveIntegerField(_("amount (cents)"))
    # The basket's quote when it was paid.
    reservations_cents = models.PositiveIntegerField(_("reservations (cents)"))
    cancellations_cents = models.PositiveIntegerField(_("cancellations (cents)"))
    credit_applied_cents = models.PositiveIntegerField(_("credit applied (cents)"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("received by"),
    )
    actor_label = models.CharField(_("received by (e-mail)"), max_length=254)
    created_at = models.DateTimeField(_("received at"), db_index=True)

    class Meta:
        db_table = "backoffice_counterpayment"
        verbose_name = _("payment at the counter")
        verbose_name_plural = _("payments at the counter")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_cents__gt=0), name="counter_payment_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.basket} {self.get_means_display()}"
