"""The collectivité running the portal, and its sites (schools, centres)."""

from django.core.validators import RegexValidator
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
