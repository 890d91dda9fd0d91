"""`portail expire_baskets`: mark the open baskets past their hold time as expired, and end
the waiting-list offers past their time (each passed to the next family).

Places are already free without it (occupancy ignores expired holds); this writes the
statuses and the history, and offers the places freed to the waiting list (waiting.py).
Run it every few minutes, e.g. cron `*/5 * * * *` or a systemd timer.
"""

from django.core.management.base import BaseCommand

from portail.reservations.holds import expire_baskets
from portail.reservations.waiting_lifecycle import expire_offers


class Command(BaseCommand):
    help = (
        "Mark open baskets past their hold time as expired and pass on the waiting-list "
        "offers not taken in time (run every few minutes)."
    )

    def handle(self, *args, **options) -> None:
        count = expire_baskets()
        offers = expire_offers()
        if options["verbosity"] >= 1:
            self.stdout.write(f"{count} basket(s) expired.")
            if offers:
                self.stdout.write(f"{offers} waiting-list offer(s) expired.")
