"""What was sent, and what each guardian turned off.

ReminderSent is the claim that makes each reminder go once: `send_reminders` inserts the
row first (the unique constraint refuses a second one, from a later run or from another
machine running at the same moment), then sends, in one transaction.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portail.families.models import Guardian

KIND_MAX_LENGTH = 40
KEY_MAX_LENGTH = 100


class ReminderSent(models.Model):
    """One reminder of one kind, about one thing (`key`: a week, a basket's hold, an
    invoice's due date...), e-mailed to one guardian."""

    kind = models.CharField(_("kind"), max_length=KIND_MAX_LENGTH)
    guardian = models.ForeignKey(
        Guardian,
        on_delete=models.CASCADE,
        related_name="reminders_sent",
        verbose_name=_("guardian"),
    )
    key = models.CharField(_("about"), max_length=KEY_MAX_LENGTH)
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = pgettext_lazy("e-mail reminders", "reminders sent")
        constraints = [
            models.UniqueConstraint(fields=["kind", "guardian", "key"], name="reminder_sent_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} → {self.guardian_id}"


class ReminderOptOut(models.Model):
    """A guardian does not want the reminders of this kind (no row: they get them)."""

    guardian = models.ForeignKey(
        Guardian,
        on_delete=models.CASCADE,
        related_name="reminder_opt_outs",
        verbose_name=_("guardian"),
    )
    kind = models.CharField(_("kind"), max_length=KIND_MAX_LENGTH)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder turned off")
        verbose_name_plural = _("reminders turned off")
        constraints = [
            models.UniqueConstraint(fields=["guardian", "kind"], name="reminder_opt_out_once"),
        ]

    def __str__(self) -> str:
        return f"{self.guardian_id} ✗ {self.kind}"
