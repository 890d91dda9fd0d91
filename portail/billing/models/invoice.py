"""Invoices: what is billed after the fact (activities not prepaid), paid later.

A `BillingRun` (facturation) issues at most one `Invoice` per household for a period.
Each `InvoiceLine` bills one chargeable item (a presence, a booked day, a day booked and
not used, a surcharge) whose `charge_key` is unique across all lines ever written: an
item is billed once, whatever runs overlap or run at the same moment.

An invoice is immutable once issued: its lines and total never change. What moves is
money: `paid_cents` (every `InvoicePayment`: counter, PayFiP, the household's credit),
`cancelled_cents` (every `CreditNote`, avoir sur facture) and `refunded_cents` (the part
of the credit notes that went back to the household's credit because it had been paid).
The database keeps `remaining = total - paid - cancelled + refunded` never negative and
the `status` in step with those amounts.

Numbers are gapless per year and kind (`FA2026-000123`, credit notes `AV2026-000004`):
`NumberSequence` holds the last number given, and the row is locked while numbering, in
the transaction that writes the invoice (billing/invoicing/numbering.py).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portail.activities.models import Session
from portail.families.models import Child, Household
from portail.reservations.models import Attendance, Booking

INVOICE_PREFIX = "FA"
CREDIT_NOTE_PREFIX = "AV"


class NumberSequence(models.Model):
    """The last number given for one prefix and year (gapless: locked while numbering)."""

    prefix = models.CharField(_("prefix"), max_length=4)
    year = models.PositiveSmallIntegerField(_("year"))
    last_number = models.PositiveIntegerField(_("last number given"), default=0)

    class Meta:
        verbose_name = _("number sequence")
        verbose_name_plural = _("number sequences")
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="number_sequence_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}{self.year}: {self.last_number}"


class BillingRun(models.Model):
    """One facturation: the invoices issued together for a period."""

    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    issued_on = models.DateField(_("issued on"))
    total_cents = models.PositiveBigIntegerField(_("total (cents)"), default=0)
    invoice_count = models.PositiveIntegerField(_("invoices"), default=0)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("run by"),
    )
    actor_label = models.CharField(_("run by (e-mail)"), max_length=254, blank=True)
    channel = models.CharField(_("channel"), max_length=20)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("billing run")
        verbose_name_plural = _("billing runs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="billing_run_period_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period_start} – {self.period_end}"


class InvoiceStatus(models.TextChoices):
    # With a context: in French an invoice is feminine ("payée", "annulée").
    UNPAID = "unpaid", pgettext_lazy("invoice status", "Unpaid")
    PARTIALLY_PAID = "partially_paid", pgettext_lazy("invoice status", "Partially paid")
    PAID = "paid", pgettext_lazy("invoice status", "Paid")
    CANCELLED = "cancelled", pgettext_lazy("invoice status", "Cancelled")


# remaining = total - paid - cancelled + refunded
_REMAINING = F("total_cents") - F("paid_cents") - F("cancelled_cents") + F("refunded_cents")


class Invoice(models.Model):
    """One household's invoice, immutable once issued (see the module's docstring)."""

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="invoices", verbose_name=_("household")
    )
    run = models.ForeignKey(
        BillingRun, on_delete=models.PROTECT, related_name="invoices", verbose_name=_("run")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    seq = models.PositiveIntegerField(_("number in the year"))
    number = models.CharField(_("number"), max_length=20, unique=True)
    issued_on = models.DateField(_("issued on"))
    due_on = models.DateField(_("due on"))
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    total_cents = models.PositiveIntegerField(_("total (cents)"))
    paid_cents = models.PositiveIntegerField(_("paid (cents)"), default=0)
    cancelled_cents = models.PositiveIntegerField(_("cancelled by credit notes (cents)"), default=0)
    refunded_cents = models.PositiveIntegerField(_("given back as credit (cents)"), default=0)
    status = models.CharField(
        _("status"), max_length=20, choices=InvoiceStatus, default=InvoiceStatus.UNPAID
    )
    # The last reminder (relance) sent, by its number (0: none yet).
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    last_reminder_at = models.DateTimeField(_("last reminder"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-issued_on", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "seq"], name="invoice_number_unique"),
            models.UniqueConstraint(fields=["run", "household"], name="invoice_one_per_run"),
            models.CheckConstraint(condition=Q(total_cents__gt=0), name="invoice_total_positive"),
            models.CheckConstraint(
                condition=Q(due_on__gte=F("issued_on")), name="invoice_due_after_issue"
            ),
            models.CheckConstraint(
                condition=Q(cancelled_cents__lte=F("total_cents")),
                name="invoice_cancelled_within_total",
            ),
            models.CheckConstraint(
                condition=Q(refunded_cents__lte=F("paid_cents")),
                name="invoice_refund_within_paid",
            ),
            models.CheckConstraint(
                condition=Q(
                    total_cents__gte=F("paid_cents") + F("cancelled_cents") - F("refunded_cents")
                ),
                name="invoice_remaining_never_negative",
            ),
            # The status says what the amounts say.
            models.CheckConstraint(
                condition=(
                    Q(status="cancelled", cancelled_cents=F("total_cents"))
                    | (
                        Q(status="paid")
                        & Q(
                            total_cents=F("paid_cents") + F("cancelled_cents") - F("refunded_cents")
                        )
                        & Q(cancelled_cents__lt=F("total_cents"))
                    )
                    | (
                        Q(status="partially_paid")
                        & Q(
                            total_cents__gt=F("paid_cents")
                            + F("cancelled_cents")
                            - F("refunded_cents")
                        )
                        & Q(paid_cents__gt=F("refunded_cents"))
                    )
                    | (
                        Q(status="unpaid")
                        & Q(
                            total_cents__gt=F("paid_cents")
                            + F("cancelled_cents")
                            - F("refunded_cents")
                        )
                        & Q(paid_cents=F("refunded_cents"))
                    )
                ),
                name="invoice_status_matches_amounts",
            ),
        ]
        indexes = [
            models.Index(fields=["household", "status"], name="invoice_household_status"),
            models.Index(fields=["status", "due_on"], name="invoice_status_due"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def remaining_cents(self) -> int:
        return self.total_cents - self.paid_cents - self.cancelled_cents + self.refunded_cents


class ChargeKind(models.TextChoices):
    PRESENCE = "presence", _("Presence")
    BOOKED_DAY = "booked_day", _("Booked day")
    UNUSED_DAY = "unused_day", _("Booked day not used")
    SURCHARGE = "surcharge", _("Present without booking")


class InvoiceLine(models.Model):
    """One chargeable item billed: child, day, activity, price and the rule that gave it."""

    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, related_name="lines", verbose_name=_("invoice")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ChargeKind)
    # "attendance:<pk>", "booking:<pk>", "surcharge:<attendance pk>": unique, so an item is
    # never billed twice.
    charge_key = models.CharField(_("item billed"), max_length=40, unique=True)
    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, related_name="invoice_lines", verbose_name=_("child")
    )
    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="invoice_lines", verbose_name=_("session")
    )
    booking = models.ForeignKey(
        Booking,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoice_lines",
        verbose_name=_("booking"),
    )
    attendance = models.ForeignKey(
        Attendance,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoice_lines",
        verbose_name=_("attendance"),
    )
    label = models.CharField(_("label"), max_length=200)
    price_rule = models.CharField(_("price rule"), max_length=200)
    quantity = models.PositiveSmallIntegerField(_("quantity"), default=1)
    unit_price_cents = models.PositiveIntegerField(_("unit price (cents)"))
    total_cents = models.PositiveIntegerField(_("total (cents)"))

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["invoice", "session__date", "child", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(total_cents=F("quantity") * F("unit_price_cents")),
                name="invoice_line_total",
            ),
            models.CheckConstraint(
                condition=Q(booking__isnull=False) | Q(attendance__isnull=False),
                name="invoice_line_has_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.invoice} {self.label}"


class InvoicePaymentMethod(models.TextChoices):
    CASH = "cash", _("Cash")
    CHEQUE = "cheque", _("Cheque")
    CARD = "card", _("Card at the counter")
    CESU = "cesu", _("CESU")
    TRANSFER = "transfer", _("Bank transfer")
    ONLINE = "online", _("Online (PayFiP)")
    CREDIT = "credit", _("Household credit")


# What staff record at the counter (the others are written by the portal itself).
COUNTER_METHODS = ("cash", "cheque", "card", "cesu", "transfer")


class InvoicePayment(models.Model):
    """Money applied to an invoice: at the counter, online, or from the household's credit."""

    invoice = models.ForeignKey(
        Invoice,
        on_delete=models.PROTECT,
        related_name="payments_applied",
        verbose_name=_("invoice"),
    )
    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        related_name="invoice_payments",
        verbose_name=_("household"),
    )
    amount_cents = models.PositiveIntegerField(_("amount (cents)"))
    method = models.CharField(_("method"), max_length=20, choices=InvoicePaymentMethod)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    payment = models.OneToOneField(
        "billing.Payment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoice_payment",
        verbose_name=_("online payment"),
    )
    credit_entry = models.OneToOneField(
        "billing.CreditEntry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoice_payment",
        verbose_name=_("credit used"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    actor_label = models.CharField(_("recorded by (e-mail)"), max_length=254, blank=True)
    channel = models.CharField(_("channel"), max_length=20)
    received_at = models.DateTimeField(_("received at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("invoice payment")
        verbose_name_plural = _("invoice payments")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_cents__gt=0), name="invoice_payment_positive"
            ),
            models.CheckConstraint(
                condition=(
                    Q(method="online", payment__isnull=False, credit_entry__isnull=True)
                    | Q(method="credit", credit_entry__isnull=False, payment__isnull=True)
                    | Q(method__in=COUNTER_METHODS, payment__isnull=True, credit_entry__isnull=True)
                ),
                name="invoice_payment_method_has_proof",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.invoice} {self.get_method_display()} {self.amount_cents}"


class CreditNote(models.Model):
    """An avoir sur facture: cancels all or part of an invoice, with its reason."""

    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, related_name="credit_notes", verbose_name=_("invoice")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    seq = models.PositiveIntegerField(_("number in the year"))
    number = models.CharField(_("number"), max_length=20, unique=True)
    amount_cents = models.PositiveIntegerField(_("amount (cents)"))
    # The part already paid, given back to the household's credit.
    refunded_cents = models.PositiveIntegerField(_("given back as credit (cents)"), default=0)
    reason = models.TextField(_("reason"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    actor_label = models.CharField(_("by (e-mail)"), max_length=254, blank=True)
    channel = models.CharField(_("channel"), max_length=20)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("credit note")
        verbose_name_plural = _("credit notes")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["year", "seq"], name="credit_note_number_unique"),
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="credit_note_positive"),
            models.CheckConstraint(
                condition=Q(refunded_cents__lte=F("amount_cents")),
                name="credit_note_refund_within_amount",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="credit_note_has_reason"),
        ]

    def __str__(self) -> str:
        return self.number


class InvoiceAction(models.TextChoices):
    ISSUED = "issued", _("Issued")
    PAYMENT = "payment", _("Payment received")
    CREDIT_NOTE = "credit_note", _("Credit note")
    REMINDER = "reminder", _("Reminder sent")
    ONLINE_STARTED = "online_started", _("Online payment started")
    ONLINE_FAILED = "online_failed", _("Online payment not completed")


class InvoiceEvent(models.Model):
    """The history of an invoice: who did what, when, through which channel (append-only;
    written only by billing/invoicing/history.py)."""

    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, related_name="events", verbose_name=_("invoice")
    )
    action = models.CharField(_("action"), max_length=20, choices=InvoiceAction)
    amount_cents = models.IntegerField(_("amount (cents)"), null=True, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    actor_label = models.CharField(_("by (e-mail)"), max_length=254, blank=True)
    channel = models.CharField(_("channel"), max_length=20)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("invoice event")
        verbose_name_plural = _("invoice events")
        ordering = ["invoice", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.invoice} {self.get_action_display()}"
