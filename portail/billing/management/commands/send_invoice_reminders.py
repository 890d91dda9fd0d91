"""`portail send_invoice_reminders`: e-mail the reminders (relances) of invoices not paid
on time, at the delays of PORTAIL_INVOICE_REMINDER_DAYS after their due date.

Run it once a day (cron `0 9 * * *` or a systemd timer): a reminder is sent once, however
often the command runs, even two at the same moment (billing/invoicing/reminders.py).
"""

from django.core.management.base import BaseCommand

from portail.billing.invoicing.reminders import send_reminders


class Command(BaseCommand):
    help = "E-mail the reminders of unpaid invoices past their due date (run daily)."

    def handle(self, *args, **options) -> None:
        count = send_reminders()
        if options["verbosity"] >= 1:
            self.stdout.write(f"{count} reminder(s) sent.")
