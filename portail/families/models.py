"""Households (foyers), their guardians and children, and what was sent to them."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Household(models.Model):
    name = models.CharField(_("name"), max_length=200)
    address = models.TextField(_("address"), blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("contact e-mail"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def refresh_from_db(self, *args, **kwargs) -> None:
        self.__dict__.pop("_quotient_periods", None)
        super().refresh_from_db(*args, **kwargs)

    def quotient_periods_loaded(self) -> list["QuotientPeriod"]:
        """The household's QF periods, oldest first: read once per instance (or taken from
        prefetch_related("quotient_periods") / families.quotient.attach), so pricing many
        days of one household costs one query at most."""
        cached = self.__dict__.get("_quotient_periods")
        if cached is None:
            cached = sorted(self.quotient_periods.all(), key=lambda p: p.valid_from)
            self.__dict__["_quotient_periods"] = cached
        return cached

    def quotient_period_on(self, day: datetime.date) -> "QuotientPeriod | None":
        """The QF period that covers `day`, or None (unknown: the highest price band)."""
        for period in self.quotient_periods_loaded():
            if period.covers(day):
                return period
        return None

    def qf_on(self, day: datetime.date) -> int | None:
        """The quotient familial that applies on `day`, or None when unknown or expired."""
        period = self.quotient_period_on(day)
        return None if period is None else period.value


class QuotientPeriod(models.Model):
    """The household's quotient familial over a period of days (both ends included; no end:
    until further notice). A household's periods never overlap: they change only through
    families.quotient.set_quotient, under the household's lock. The price of a day is
    chosen when it is booked (Booking.price_cents), so a new period changes only the prices
    of days booked (or invoiced on attendance) afterwards."""

    household = models.ForeignKey(
        Household,
        on_delete=models.CASCADE,
        related_name="quotient_periods",
        verbose_name=_("household"),
    )
    value = models.PositiveIntegerField(_("quotient familial"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("set by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("quotient familial period")
        verbose_name_plural = _("quotient familial periods")
        ordering = ["household", "valid_from"]
        constraints = [
            models.CheckConstraint(condition=Q(value__gte=0), name="quotient_period_value"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="quotient_period_order",
            ),
            models.UniqueConstraint(
                fields=["household", "valid_from"], name="quotient_period_one_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household_id}: {self.value} ({self.valid_from} - {self.valid_to or ''})"

    def covers(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class Guardian(models.Model):
    """A responsable légal: a login linked to a household."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="guardian",
        verbose_name=_("login"),
    )
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="guardians", verbose_name=_("household")
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("guardian")
        verbose_name_plural = _("guardians")

    def __str__(self) -> str:
        return self.user.get_full_name()


class Child(models.Model):
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="children", verbose_name=_("household")
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    birth_date = models.DateField(_("birth date"))
    special_diet = models.CharField(_("special diet"), max_length=200, blank=True)
    has_pai = models.BooleanField(
        _("PAI"), default=False, help_text=_("Projet d'accueil individualisé (health plan).")
    )

    class Meta:
        verbose_name = _("child")
        verbose_name_plural = _("children")
        ordering = ["first_name", "pk"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Document(models.Model):
    """Everything the household received, kept for "Mes documents"."""

    class Kind(models.TextChoices):
        ACTIVATION = "activation", _("Password activation link")
        PASSWORD_RESET = "password_reset", _("Password reset link")
        PAYMENT_TICKET = "payment_ticket", _("Payment ticket")
        CLOSURE_NOTICE = "closure_notice", _("Closure notice")
        BASKET_PDF = "basket_pdf", _("Basket details")
        MESSAGE = "message", _("Message")
        EMAIL_CHANGE = "email_change", _("E-mail address change")
        ACCOUNT_SECURITY = "account_security", _("Account security notice")
        # The yearly certificates (billing/invoicing/certificate_issuing.py).
        TAX_CERTIFICATE = "tax_certificate", _("Tax certificate (childcare)")
        PAYMENT_CERTIFICATE = "payment_certificate", _("Certificate of payment")

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="documents", verbose_name=_("household")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind)
    title = models.CharField(_("title"), max_length=200)
    recipient = models.EmailField(_("recipient"), blank=True)
    body = models.TextField(_("body"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class DocumentAttachment(models.Model):
    """A file sent with a document (a payment ticket, a basket PDF), kept so the family
    can open it again from "Mes documents". Small files only (PDFs of a few pages)."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("document")
    )
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    content = models.BinaryField(_("content"))
    size = models.PositiveIntegerField(_("size (bytes)"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["document", "pk"]

    def __str__(self) -> str:
        return self.filename


class CalendarFeed(models.Model):
    """A guardian's private calendar address (iCalendar) of the children's bookings.

    Only a SHA-256 hash of the secret is stored: the full address is shown once, when it
    is made, and a database copy cannot be used to read anyone's calendar. Making a new
    one replaces the hash, so the previous address stops working at once.
    """

    guardian = models.OneToOneField(
        Guardian,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("guardian"),
    )
    token_hash = models.CharField(_("secret (SHA-256)"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"))
    last_used_at = models.DateTimeField(_("last read"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.guardian)


class FamilyFile(models.Model):
    """The household's family file ("dossier unique d'inscription") accepted for one school
    year (named by the year it starts in): guardians' contacts, each child's health
    information, persons allowed to pick up, image rights. Written by families.family_files
    when staff accept the family's request (procedures); read to gate a new school year."""

    household = models.ForeignKey(
        Household,
        on_delete=models.CASCADE,
        related_name="family_files",
        verbose_name=_("household"),
    )
    school_year_start = models.PositiveSmallIntegerField(_("school year (starting year)"))
    accepted_at = models.DateTimeField(_("accepted"))
    data = models.JSONField(_("data"), default=dict)
    request_number = models.PositiveIntegerField(_("request number"), null=True, blank=True)

    class Meta:
        verbose_name = _("family file")
        verbose_name_plural = _("family files")
        ordering = ["household", "-school_year_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "school_year_start"], name="family_file_one_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.school_year_start}-{self.school_year_start + 1}"
