"""The credit ledger (avoirs) and the PayFiP payments.

`CreditEntry` is append-only: one row per movement of a household's credit, each carrying
its sequence number in the household's ledger and the balance after it. The database
refuses a zero amount, a negative balance, a sign that does not match the kind, two rows
with the same sequence number (so two writers that skipped the household lock cannot both
append), and two cancellation/closure credits for one booking. The model refuses updates
and deletes through the ORM; only credits.py writes rows, under the household's row lock.

`Payment` is one attempt to pay a basket on PayFiP (one refdet, one idOp). Its `state`
only moves forward (payments.py): pending → paid | refused | abandoned | expired |
mismatch, failed when PayFiP could not even create it; paid, mismatch and failed are
final, and a refused/abandoned/expired attempt can still turn paid if PayFiP later says
so (the money is then kept, see settlement.py).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portail.families.models import Household
from portail.reservations.models import Basket, Booking

# PayFiP accepts 1,00 EUR to 100 000 EUR.
PAYFIP_MIN_CENTS = 100
PAYFIP_MAX_CENTS = 10_000_000


class CreditKind(models.TextChoices):
    CANCELLATION = "cancellation", _("Cancellation in time")
    CLOSURE = "closure", _("Day closed by the service")
    ADJUSTMENT = "adjustment", _("Adjustment by the service")
    CHECKOUT = "checkout", _("Used for a basket")
    PAYMENT_SURPLUS = "payment_surplus", _("Payment not used for bookings")
    # Written by portail/backoffice/attendance/ (absent with a medical certificate).
    JUSTIFIED_ABSENCE = "justified_absence", _("Justified absence (medical certificate)")


# Kinds that only add credit, and the one that only uses it; adjustments go either way.
CREDITING_KINDS = (
    CreditKind.CANCELLATION,
    CreditKind.CLOSURE,
    CreditKind.PAYMENT_SURPLUS,
    CreditKind.JUSTIFIED_ABSENCE,
)
DEBITING_KINDS = (CreditKind.CHECKOUT,)
# At most one such credit per booking: a day is refunded once.
PER_BOOKING_KINDS = (CreditKind.CANCELLATION, CreditKind.CLOSURE, CreditKind.JUSTIFIED_ABSENCE)


class ImmutableEntry(Exception):
    """Ledger rows are never changed or deleted: write a new, opposite entry instead."""


class CreditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableEntry("Credit entries cannot be updated")

    def delete(self):
        raise ImmutableEntry("Credit entries cannot be deleted")

    def bulk_update(self, *args, **kwargs):
        raise ImmutableEntry("Credit entries cannot be updated")

    def bulk_create(self, *args, **kwargs):
        raise ImmutableEntry("Credit entries are written one by one by credits.py")


class CreditEntry(models.Model):
    """One movement of a household's credit; positive adds, negative uses."""

    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        related_name="credit_entries",
        verbose_name=_("household"),
    )
    seq = models.PositiveIntegerField(_("number in the household's ledger"))
    amount_cents = models.IntegerField(_("amount (cents)"))
    balance_after_cents = models.IntegerField(_("balance after (cents)"))
    kind = models.CharField(_("kind"), max_length=20, choices=CreditKind)
    reason = models.TextField(_("reason"), blank=True)
    basket = models.ForeignKey(
        Basket,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_entries",
        verbose_name=_("basket"),
    )
    booking = models.ForeignKey(
        Booking,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_entries",
        verbose_name=_("booking"),
    )
    payment = models.ForeignKey(
        "billing.Payment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_entries",
        verbose_name=_("payment"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    # The actor's e-mail at the time, kept if the login goes away.
    actor_label = models.CharField(_("by (e-mail)"), max_length=254, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    objects = CreditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("credit entry")
        verbose_name_plural = _("credit entries")
        ordering = ["household", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["household", "seq"], name="credit_entry_seq_unique"),
            models.CheckConstraint(condition=~Q(amount_cents=0), name="credit_entry_not_zero"),
            models.CheckConstraint(
                condition=Q(balance_after_cents__gte=0), name="credit_balance_never_negative"
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind__in=CREDITING_KINDS, amount_cents__gt=0)
                    | Q(kind__in=DEBITING_KINDS, amount_cents__lt=0)
                    | Q(kind=CreditKind.ADJUSTMENT)
                ),
                name="credit_entry_sign_matches_kind",
            ),
            models.CheckConstraint(
                condition=~Q(kind=CreditKind.ADJUSTMENT) | ~Q(reason=""),
                name="credit_adjustment_has_reason",
            ),
            models.UniqueConstraint(
                fields=["booking"],
                condition=Q(kind__in=PER_BOOKING_KINDS),
                name="credit_once_per_booking",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household} #{self.seq} {self.amount_cents:+d}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ImmutableEntry("Credit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableEntry("Credit entries cannot be deleted")


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
    """One attempt to pay a basket's amount due on PayFiP."""

    basket = models.ForeignKey(
        Basket, on_delete=models.PROTECT, related_name="payments", verbose_name=_("basket")
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="payments", verbose_name=_("household")
    )
    attempt = models.PositiveSmallIntegerField(_("attempt"))
    # The "référence de la dette": the basket's reference + "P" + the attempt number.
    refdet = models.CharField(_("debt reference"), max_length=30, unique=True)
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
