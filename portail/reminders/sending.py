"""Send every reminder due now, each once per guardian (`portail send_reminders`).

For each registered kind, each notice it finds, each active guardian of the household who
has not turned that kind off: one transaction inserts the ReminderSent row first, then
sends. The unique constraint (kind, guardian, key) is the claim: a later run, or another
machine running at the same instant, fails to insert and sends nothing (on PostgreSQL the
second insert waits for the first transaction, then fails; SQLite serialises writers).
A notice that is no longer due once claimed (`still_due()`) is rolled back, unsent.

Each guardian reads the message in their own language (accounts.emails.user_language),
through families.messaging (the copy is kept in "Mes documents"), with a link to the page
where the reminders are turned off.
"""

import logging

from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from portail.accounts.emails import absolute_url, user_language
from portail.core.models import Organisation
from portail.families import messaging
from portail.families.models import Document, Guardian
from portail.reminders import registry
from portail.reminders.models import ReminderOptOut, ReminderSent

logger = logging.getLogger(__name__)

FOOTER = "reminders/email/footer.txt"


def preferences_url(kind: str) -> str:
    return absolute_url(reverse("reminders:preferences")) + f"#reminder-{kind}"


def recipients(kind: str, household_id: int) -> list[Guardian]:
    """The household's active guardians who have not turned this kind off."""
    return list(
        Guardian.objects.filter(household_id=household_id, user__is_active=True)
        .exclude(user__email="")
        .exclude(pk__in=ReminderOptOut.objects.filter(kind=kind).values("guardian_id"))
        .select_related("user")
        .order_by("pk")
    )


def send_due(now=None) -> int:
    """Send what every kind finds due at `now`; how many e-mails were sent."""
    now = now or timezone.now()
    sent = 0
    for kind in registry.kinds():
        for notice in kind.find(now):
            for guardian in recipients(kind.code, notice.household_id):
                if send_one(kind, notice, guardian, now):
                    sent += 1
    return sent


def send_one(kind: registry.ReminderKind, notice: registry.Notice, guardian: Guardian, now) -> bool:
    """Claim, then send; False when it was already sent (or no longer due)."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                ReminderSent.objects.create(
                    kind=kind.code, guardian=guardian, key=notice.key, sent_at=now
                )
        except IntegrityError:
            return False
        if not notice.still_due():
            transaction.set_rollback(True)
            return False
        user = guardian.user
        with translation.override(user_language(user)):
            subject, body = notice.write()
            footer = render_to_string(
                FOOTER,
                {
                    "label": kind.label,
                    "url": preferences_url(kind.code),
                    "organisation": Organisation.current(),
                },
            )
        messaging.send_to_user(
            user,
            kind=Document.Kind.MESSAGE,
            subject=subject,
            body=body.rstrip() + "\n\n" + footer.strip() + "\n",
        )
    logger.info("Reminder %s %s sent to guardian %s", kind.code, notice.key, guardian.pk)
    return True
