"""`portail send_reminders`: e-mail the reminders due now (docs/reminders.md).

Each reminder goes once to each guardian who has not turned its kind off, however often
the command runs and on however many machines. Run it every few minutes, e.g. cron
`*/5 * * * *` (the basket reminder is due minutes before a hold ends).
"""

from django.core.management.base import BaseCommand

from portail.reminders.sending import send_due


class Command(BaseCommand):
    help = "E-mail the reminders due now, each once (run every few minutes)."

    def handle(self, *args, **options) -> None:
        count = send_due()
        if options["verbosity"] >= 1:
            self.stdout.write(f"{count} reminder(s) sent.")
