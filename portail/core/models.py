"""The collectivité running the portal, and its sites (schools, centres)."""

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class SchoolZone(models.TextChoices):
    A = "A", _("Zone A")
    B = "B", _("Zone B")
    C = "C", _("Zone C")


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    payfip_numcli = models.CharField(
        _("PayFiP client number"),
        max_length=6,
        blank=True,
        validators=[RegexValidator(r"^\d{6}$", _("Six digits."))],
        help_text=_("The régie's 6-digit client number (numcli)."),
    )
    school_zone = models.CharField(
        _("school-holiday zone"), max_length=1, choices=SchoolZone, default=SchoolZone.C
    )
    welcome_text = models.TextField(_("welcome text"), blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    address = models.TextField(_("address"), blank=True)
    # The family-file gate (reservations.rules.family_file_missing): from this school year
    # on (named by the year it starts in), a family books a day only once its family file
    # ("dossier unique d'inscription") for that day's school year is accepted.
    family_file_required_from = models.PositiveSmallIntegerField(
        _("family file required from (school year)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2099)],
        help_text=_(
            "The first school year, by the year it starts in (2027 for 2027-2028), whose "
            "days a family may book only once its family file for that year is accepted; "
            "every later year needs its own. Empty: never required. Staff members booking "
            "for a family are not held back."
        ),
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> "Organisation | None":
        """One installation serves one collectivité: the first organisation."""
        return cls.objects.order_by("pk").first()


class Site(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="sites", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=200)
    address = models.TextField(_("address"), blank=True)

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="site_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class LegalPageKind(models.TextChoices):
    """The pages a French public website must link from every page (footer)."""

    LEGAL_NOTICE = "legal_notice", _("Legal notice")
    PERSONAL_DATA = "personal_data", _("Personal data")
    ACCESSIBILITY = "accessibility", _("Accessibility statement")
    TERMS = "terms", _("Terms of use")
    BROWSERS = "browsers", _("Supported browsers")


class LegalPage(models.Model):
    """The text of one footer page in one language, edited by staff in the admin. Default
    texts come with a data migration (core/legal_texts.py); a page missing in a language
    is shown in the portal's default language."""

    kind = models.CharField(_("page"), max_length=20, choices=LegalPageKind)
    language = models.CharField(
        _("language"), max_length=2, choices=[("fr", "Français"), ("en", "English")]
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(
        _("text"),
        help_text=_("Plain text: a blank line starts a new paragraph; addresses become links."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("legal page")
        verbose_name_plural = _("legal pages")
        ordering = ["kind", "language"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "language"], name="legal_page_one_per_language")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"
