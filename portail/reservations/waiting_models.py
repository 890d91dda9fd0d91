"""The waiting list's rows (imported by models.py): see portail/reservations/waiting.py."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portail.activities.models import Session
from portail.families.models import Child, Household
from portail.reservations.models import Booking


class WaitingStatus(models.TextChoices):
    WAITING = "waiting", pgettext_lazy("waiting list", "Waiting")
    OFFERED = "offered", pgettext_lazy("waiting list", "Place offered")
    ACCEPTED = "accepted", pgettext_lazy("waiting list", "Accepted")
    DECLINED = "declined", pgettext_lazy("waiting list", "Declined")
    EXPIRED = "expired", pgettext_lazy("waiting list", "Offer expired")
    WITHDRAWN = "withdrawn", pgettext_lazy("waiting list", "Withdrawn")


ACTIVE_WAITING_STATUSES = (WaitingStatus.WAITING, WaitingStatus.OFFERED)


class WaitingListEntry(models.Model):
    """A child waiting for a place on a full session (portail/reservations/waiting.py).

    `position` orders the list (staff may move an entry); the rank shown is the entry's place
    among the entries still waiting. An offer is a reservation request (`booking`) put in
    the household's open basket, held until `offer_expires_at`."""

    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="waiting_entries", verbose_name=_("child")
    )
    session = models.ForeignKey(
        Session,
        on_delete=models.PROTECT,
        related_name="waiting_entries",
        verbose_name=_("session"),
    )
    household = models.ForeignKey(
        Household,
        on_delete=models.CASCADE,
        related_name="waiting_entries",
        verbose_name=_("household"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=WaitingStatus, default=WaitingStatus.WAITING
    )
    position = models.PositiveIntegerField(_("position"))
    offered_at = models.DateTimeField(_("offered at"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("offer expires at"), null=True, blank=True)
    booking = models.OneToOneField(
        Booking,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="waiting_offer",
        verbose_name=_("offered booking"),
    )
    created_at = models.DateTimeField(_("created"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("waiting-list entry")
        verbose_name_plural = _("waiting-list entries")
        ordering = ["session", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "session"],
                condition=Q(status__in=["waiting", "offered"]),
                name="waiting_one_active_per_child_session",
            ),
        ]
        indexes = [
            models.Index(fields=["session", "status", "position"], name="waiting_session_queue"),
            models.Index(fields=["status", "offer_expires_at"], name="waiting_offer_expiry"),
        ]

    def __str__(self) -> str:
        return f"{self.child} – {self.session} ({self.status})"


class WaitingEvent(models.Model):
    """The waiting list's own history: joined, left, offered, moved by staff (with why)..."""

    entry = models.ForeignKey(
        WaitingListEntry,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("waiting-list entry"),
    )
    kind = models.CharField(_("kind"), max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    actor_label = models.CharField(_("user e-mail"), max_length=254, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    from_rank = models.PositiveIntegerField(_("from rank"), null=True, blank=True)
    to_rank = models.PositiveIntegerField(_("to rank"), null=True, blank=True)
    created_at = models.DateTimeField(_("when"))

    class Meta:
        verbose_name = _("waiting-list event")
        verbose_name_plural = _("waiting-list events")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.entry_id} {self.kind}"
