"""The credit ledger (avoirs): one append-only row per movement of a household's credit."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portail.families.models import Household
from portail.reservations.models import Basket, Booking


class CreditKind(models.TextChoices):
    CANCELLATION = "cancellation", _("Cancellation in time")
    CLOSURE = "closure", _("Day closed by the service")
    ADJUSTMENT = "adjustment", _("Adjustment by the service")
    CHECKOUT = "checkout", _("Used for a basket")
    PAYMENT_SURPLUS = "payment_surplus", _("Payment not used for bookings")
    # Written by portail/backoffice/attendance/ (absent with a medical certificate).
    JUSTIFIED_ABSENCE = "justified_absence", _("Justified absence (medical certificate)")
    # Written by billing/invoicing/ (invoices billed after the fact).
    INVOICE_PAYMENT = "invoice_payment", _("Used for an invoice")
    INVOICE_REFUND = "invoice_refund", _("Credit note on an invoice already paid")
    # Written by billing/reopening.py: a closed day reopened takes back its closure credit
    # (only while the family has not used it), the booking standing again.
    CLOSURE_REVERSED = "closure_reversed", _("Day reopened: closure credit taken back")


# Kinds that only add credit, and the one that only uses it; adjustments go either way.
CREDITING_KINDS = (
    CreditKind.CANCELLATION,
    CreditKind.CLOSURE,
    CreditKind.PAYMENT_SURPLUS,
    CreditKind.JUSTIFIED_ABSENCE,
    CreditKind.INVOICE_REFUND,
)
DEBITING_KINDS = (CreditKind.CHECKOUT, CreditKind.INVOICE_PAYMENT, CreditKind.CLOSURE_REVERSED)
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
    invoice = models.ForeignKey(
        "billing.Invoice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_entries",
        verbose_name=_("invoice"),
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
            # A closure credit is taken back at most once (the booking then stands again
            # as a new row: billing/reopening.py).
            models.UniqueConstraint(
                fields=["booking"],
                condition=Q(kind=CreditKind.CLOSURE_REVERSED),
                name="credit_closure_reversed_once",
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
