"""Procedures (démarches) and the requests families send through them.

- Procedure: one per code (contact, address_change, ...); the city edits its title, help
  text, whether it is open and which documents it asks for (admin).
- Request: one family's démarche, numbered, with its data and status (statuses.py).
- RequestEvent: its history, written only by services.py (who, when, channel, status).
- RequestAttachment: a document the family added, stored by uploads.py.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from portail.families.models import Household
from portail.reservations.models import Channel


class ProcedureCode(models.TextChoices):
    CONTACT = "contact", _("Contact a service")
    ADDRESS_CHANGE = "address_change", _("Change of address")
    QF_DECLARATION = "qf_declaration", _("Quotient familial: income declaration")
    FAMILY_FILE = "family_file", _("Family file update")
    ENROLMENT = "enrolment", _("Enrolment in an activity")
    EARLY_CHILDHOOD = "early_childhood", _("Early childhood enrolment")


class Procedure(models.Model):
    code = models.CharField(_("code"), max_length=30, choices=ProcedureCode, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(
        _("help text"), blank=True, help_text=_("Shown to families above the form.")
    )
    is_open = models.BooleanField(
        _("open"), default=True, help_text=_("Families can start this procedure.")
    )
    required_documents = models.TextField(
        _("documents required"),
        blank=True,
        help_text=_("One document per line, e.g. “Proof of address less than 3 months old”."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def required_document_list(self) -> list[str]:
        return [line.strip() for line in self.required_documents.splitlines() if line.strip()]


class RequestStatus(models.TextChoices):
    # With a context: in French a request ("une demande") is feminine.
    DRAFT = "draft", pgettext_lazy("request status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("request status", "Submitted")
    IN_PROGRESS = "in_progress", pgettext_lazy("request status", "Being processed")
    NEEDS_INFO = "needs_info", pgettext_lazy("request status", "To be completed")
    ACCEPTED = "accepted", pgettext_lazy("request status", "Accepted")
    REFUSED = "refused", pgettext_lazy("request status", "Refused")
    # Early childhood only: the commission put the child on its waiting list.
    WAITING_LIST = "waiting_list", pgettext_lazy("request status", "Waiting list")


FINAL_STATUSES = (RequestStatus.ACCEPTED, RequestStatus.REFUSED)


class Request(models.Model):
    """One démarche of one household. `number` is the readable number families quote
    ("15637"): the row's primary key, copied when the request is created (services.py),
    unique, never reused; gaps are possible (a rolled-back creation) and harmless."""

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="requests", verbose_name=_("household")
    )
    procedure = models.ForeignKey(
        Procedure, on_delete=models.PROTECT, related_name="requests", verbose_name=_("procedure")
    )
    number = models.PositiveIntegerField(_("number"), unique=True, null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus, default=RequestStatus.DRAFT
    )
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_requests",
        limit_choices_to={"is_staff": True},
        verbose_name=_("assigned to"),
    )
    created_at = models.DateTimeField(_("created"), db_index=True)
    updated_at = models.DateTimeField(_("updated"))
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)

    class Meta:
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "submitted_at"], name="request_status_age")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(refusal_reason=""),
                name="request_refused_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status="refused") | Q(refusal_reason=""),
                name="request_reason_only_when_refused",
            ),
            models.CheckConstraint(
                condition=Q(status="draft", submitted_at__isnull=True)
                | (~Q(status="draft") & Q(submitted_at__isnull=False)),
                name="request_submitted_at_unless_draft",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["accepted", "refused"], decided_at__isnull=False)
                | (~Q(status__in=["accepted", "refused"]) & Q(decided_at__isnull=True)),
                name="request_decided_at_when_final",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} - {self.procedure.title}"

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES


class EventKind(models.TextChoices):
    STATUS_CHANGE = "status_change", _("Status change")
    FAMILY_MESSAGE = "family_message", _("Message from the family")
    STAFF_MESSAGE = "staff_message", _("Message from the service")
    ATTACHMENT = "attachment", _("Document added")
    ASSIGNED = "assigned", _("Assigned")


class RequestEvent(models.Model):
    """One line of a request's history, written only by services.py."""

    request = models.ForeignKey(
        Request, on_delete=models.CASCADE, related_name="events", verbose_name=_("request")
    )
    at = models.DateTimeField(_("when"), db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind)
    status = models.CharField(_("status after"), max_length=20, choices=RequestStatus)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    actor_is_staff = models.BooleanField(_("by the service"), default=False)
    # The actor's e-mail at the time, kept if the login goes away.
    actor_label = models.CharField(_("user e-mail"), max_length=254, blank=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel)
    message = models.TextField(_("message"), blank=True)
    attachment = models.ForeignKey(
        "RequestAttachment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("document"),
    )

    class Meta:
        verbose_name = _("request event")
        verbose_name_plural = _("request events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"

    @property
    def who(self) -> str:
        """What families read: the guardian's e-mail, "Service gestionnaire" for staff."""
        if self.actor_is_staff:
            return gettext("Management service")
        return self.actor_label or gettext("Automatic (portal)")


class RequestAttachment(models.Model):
    """A document the family added to a request; the file is in the private storage
    (uploads.py), under `name`; only the household and staff may read it."""

    request = models.ForeignKey(
        Request, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("request")
    )
    name = models.CharField(_("stored file"), max_length=255, unique=True)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    # The required document (one line of the procedure's list) this file is; "" for any
    # other document (documents.py).
    document = models.CharField(_("document"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    created_at = models.DateTimeField(_("added"))

    class Meta:
        verbose_name = _("request document")
        verbose_name_plural = _("request documents")
        ordering = ["request", "pk"]

    def __str__(self) -> str:
        return self.original_name
