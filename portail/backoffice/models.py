"""Roles of the service gestionnaire's staff accounts (see permissions.py for the rules)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portail.core.models import Site


class StaffRole(models.TextChoices):
    """What a staff account may do in the back office (/gestion/ and /api/v1/staff/).

    - gestionnaire: everything (families, bookings, credits, payments, sessions...);
    - pointage (agent de pointage): attendance of the sites the account is assigned to,
      nothing about money;
    - cuisine (kitchen): reads head counts, changes nothing.
    """

    GESTIONNAIRE = "gestionnaire", _("Manager (service gestionnaire)")
    POINTAGE = "pointage", _("Attendance agent")
    CUISINE = "cuisine", _("Kitchen (read only)")


class StaffProfile(models.Model):
    """The back-office role of one staff login (User.is_staff must be true as well).

    A staff login without a profile has no back-office role (only superusers, who can
    change anything in the Django admin anyway, count as gestionnaire without one).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_profile",
        verbose_name=_("login"),
    )
    role = models.CharField(_("role"), max_length=20, choices=StaffRole)
    sites = models.ManyToManyField(
        Site,
        blank=True,
        related_name="staff_profiles",
        verbose_name=_("sites"),
        help_text=_("For an attendance agent: the sites whose attendance they record."),
    )

    class Meta:
        verbose_name = _("staff role")
        verbose_name_plural = _("staff roles")
        ordering = ["user__email"]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class StaffActionKind(models.TextChoices):
    HOUSEHOLD_CREATED = "household_created", _("Household created")
    ACTIVATION_SENT = "activation_sent", _("Activation link sent")
    ENROLMENT_ADDED = "enrolment_added", _("Enrolment added")
    QF_SET = "qf_set", _("Quotient familial set")
    CREDIT_ADJUSTED = "credit_adjusted", _("Credit adjusted")
    BOOKINGS_CHANGED = "bookings_changed", _("Bookings changed for the family")
    BASKET_DROPPED = "basket_dropped", _("Basket cancelled for the family")
    BASKET_VALIDATED = "basket_validated", _("Basket validated")
    COUNTER_PAYMENT = "counter_payment", _("Payment at the counter")
    ATTENDANCE = "attendance", _("Attendance recorded")
    SESSION_CHANGED = "session_changed", _("Session changed")
    SESSION_CLOSED = "session_closed", _("Session closed")
    PAYMENT_CHECKED = "payment_checked", _("Payment checked with PayFiP")


class StaffAction(models.Model):
    """The staff's audit trail: who did what, when, and why (write with audit.log_action).

    Booking changes also write the children's history (reservations.HistoryEntry, shown
    to families as "Service gestionnaire"); this trail keeps the staff member's name and
    the reason for every back-office action, including those without a child's day
    (a household created, a QF set, a credit adjusted).
    """

    household = models.ForeignKey(
        "families.Household",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="staff_actions",
        verbose_name=_("household"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff member"),
    )
    # Copied at the time, kept if the login goes away.
    actor_label = models.CharField(_("staff member (name and e-mail)"), max_length=400)
    kind = models.CharField(_("action"), max_length=30, choices=StaffActionKind)
    summary = models.TextField(_("what was done"))
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("when"), db_index=True)

    class Meta:
        verbose_name = _("staff action")
        verbose_name_plural = _("staff actions")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["household", "created_at"], name="staff_action_household")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.actor_label}"
