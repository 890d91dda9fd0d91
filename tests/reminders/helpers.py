"""What the reminder tests share: a run of the command, the mails it sent, the worlds.

The canteen world (tests/world/commune.build) runs on the reference week, Monday 7 to
Friday 11 December 2026; its booking deadline is J-2 working days at 10:00, so the week's
first day (Monday 7) closes on Thursday 3 December at 10:00, and the week's reminder
(48 hours before, the default) is due from Tuesday 1 December at 10:00."""

import datetime

from django.core import mail
from django.core.management import call_command

from portail.reminders.models import ReminderSent
from tests.clock import paris

WEEK_CLOSES = paris(2026, 12, 3, 10, 0)
WEEK_REMINDER_FROM = WEEK_CLOSES - datetime.timedelta(hours=48)


def run() -> None:
    """`portail send_reminders`, as cron runs it."""
    call_command("send_reminders", verbosity=0)


def sent(kind: str) -> list[ReminderSent]:
    return list(ReminderSent.objects.filter(kind=kind).order_by("pk"))


def mails_to(address: str) -> list[mail.EmailMessage]:
    return [message for message in mail.outbox if address in message.to]
