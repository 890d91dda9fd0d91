"""`portail payfip_simulator_flush`: send the simulator's notifications that are due.

Late notifications (switch "late") are stored with a due time instead of a timer in
memory; this command sends the due ones. Run it by hand in a demo, or every minute from
cron while the simulator is in use. The simulator also sends due notifications whenever
its SOAP endpoint or its pages are used.
"""

from django.core.management.base import BaseCommand

from portail.payfip_simulator.notify import send_due_notifications


class Command(BaseCommand):
    help = "Send the PayFiP simulator's due notifications (late ones included)."

    def handle(self, *args, **options) -> None:
        count = send_due_notifications(limit=1000)
        if options["verbosity"] >= 1:
            self.stdout.write(f"{count} notification(s) sent.")
