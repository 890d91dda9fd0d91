"""The simulator's state: its switches, the payments it created, what it sent and got."""

from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portail.core.money import format_cents

PAGE_VALID_MINUTES = 15  # PayFiP's payment page accepts an idOp this long after creation
PURGE_AFTER = timedelta(days=1)  # unfinished idOps are purged the next night: then P1


class NotificationMode(models.TextChoices):
    ONCE = "once", _("Once, at once (normal)")
    TWICE = "twice", _("Twice (the same notification again)")
    LATE = "late", _("Late (after the set delay)")
    NEVER = "never", _("Never (as for an undeclared site)")


class NotifyMethod(models.TextChoices):
    POST = "POST", _("POST (form field idOp)")
    GET = "GET", _("GET (query parameter idOp)")


class SoapMode(models.TextChoices):
    NORMAL = "normal", _("Normal answers")
    SLOW = "slow", _("Slow (waits before answering)")
    MALFORMED = "malformed", _("Broken XML")
    UNAVAILABLE = "unavailable", _("Error page (HTTP 503)")


class Result(models.TextChoices):
    PAID_BY_CARD = "P", _("Paid by card (P)")
    PAID_BY_DIRECT_DEBIT = "V", _("Paid by direct debit (V)")
    REFUSED_CARD = "R", _("Card refused (R)")
    REFUSED_DIRECT_DEBIT = "Z", _("Direct debit refused (Z)")
    ABANDONED = "A", _("Abandoned (A)")


class SimulatorBehaviour(models.Model):
    """The global switches: one row (pk 1), created on first use."""

    notification = models.CharField(
        _("notifications"), max_length=8, choices=NotificationMode, default=NotificationMode.ONCE
    )
    late_seconds = models.PositiveIntegerField(
        _("delay of a late notification (seconds)"), default=120
    )
    notify_method = models.CharField(
        _("notification method"), max_length=4, choices=NotifyMethod, default=NotifyMethod.POST
    )
    soap_mode = models.CharField(
        _("web-service answers"), max_length=12, choices=SoapMode, default=SoapMode.NORMAL
    )
    slow_seconds = models.PositiveSmallIntegerField(
        _("wait of a slow answer (seconds, at most 60)"), default=15
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("simulator behaviour")
        verbose_name_plural = _("simulator behaviours")

    def __str__(self) -> str:
        return f"{self.notification} / {self.soap_mode}"

    @classmethod
    def current(cls) -> SimulatorBehaviour:
        behaviour, _created = cls.objects.get_or_create(pk=1)
        return behaviour


class SimulatedOperation(models.Model):
    """One creerPaiementSecurise: its inputs, then the parent's result."""

    idop = models.CharField("idOp", max_length=36, unique=True)
    numcli = models.CharField("numcli", max_length=6)
    exer = models.CharField("exer", max_length=4)
    refdet = models.CharField("refdet", max_length=30)
    montant_cents = models.PositiveIntegerField("montant")
    mel = models.CharField("mel", max_length=80)
    objet = models.CharField("objet", max_length=100, blank=True)
    saisie = models.CharField("saisie", max_length=1)
    urlnotif = models.CharField("urlnotif", max_length=250)
    urlredirect = models.CharField("urlredirect", max_length=250)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    opened_at = models.DateTimeField(_("page opened at"), null=True, blank=True)
    notification = models.CharField(
        _("notifications for this payment"),
        max_length=8,
        choices=NotificationMode,
        blank=True,
        help_text=_("Empty: the global setting."),
    )
    resultrans = models.CharField("resultrans", max_length=1, choices=Result, blank=True)
    result_at = models.DateTimeField(_("result at"), null=True, blank=True)
    numauto = models.CharField("numauto", max_length=16, blank=True)

    class Meta:
        verbose_name = _("simulated payment")
        verbose_name_plural = _("simulated payments")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.idop

    def page_expires_at(self):
        return self.created_at + timedelta(minutes=PAGE_VALID_MINUTES)

    def amount_display(self) -> str:
        return format_cents(self.montant_cents)


class SimulatedNotification(models.Model):
    """A call to urlnotif, due at `due_at`; sent once by whoever claims it first."""

    operation = models.ForeignKey(
        SimulatedOperation, on_delete=models.CASCADE, related_name="notifications"
    )
    url = models.CharField(_("address"), max_length=250)
    method = models.CharField(_("method"), max_length=4, choices=NotifyMethod)
    due_at = models.DateTimeField(_("due at"))
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    http_status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("simulated notification")
        verbose_name_plural = _("simulated notifications")
        ordering = ["due_at", "pk"]
        indexes = [models.Index(fields=["sent_at", "due_at"], name="simnotif_pending")]

    def __str__(self) -> str:
        return f"{self.operation_id} {self.method} {self.url}"


class SoapExchange(models.Model):
    """Each request the SOAP endpoint got, as received, and what it answered."""

    operation = models.CharField(_("operation"), max_length=60, blank=True)
    soap_action = models.CharField("SOAPAction", max_length=200, blank=True)
    content_type = models.CharField("Content-Type", max_length=200, blank=True)
    request_body = models.TextField(_("request"))
    response_status = models.PositiveSmallIntegerField(_("HTTP status"))
    fault_code = models.CharField(_("fault code"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("received at"), default=timezone.now)

    KEEP = 500  # the newest rows kept; older ones are deleted as new ones come

    class Meta:
        verbose_name = _("SOAP exchange")
        verbose_name_plural = _("SOAP exchanges")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"{self.operation} {self.response_status}"


class ReceivedNotification(models.Model):
    """What the test receiver (`recepteur-test/`) got: a stand-in urlnotif for tests."""

    method = models.CharField(_("method"), max_length=8)
    idop = models.CharField("idOp", max_length=64, blank=True)
    query = models.TextField(_("query string"), blank=True)
    body = models.TextField(_("body"), blank=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)

    class Meta:
        verbose_name = _("received notification")
        verbose_name_plural = _("received notifications")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.method} {self.idop}"
