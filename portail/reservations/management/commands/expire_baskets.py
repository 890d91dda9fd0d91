"""`portail expire_baskets`: mark the open baskets past their hold time as expired.

Places are already free without it (occupancy ignores expired holds); this writes the
statuses and the history. Run it every few minutes, e.g. cron `*/5 * * * *` or a systemd
timer.
"""

from django.core.management.base import BaseCommand

from portail.reservations.holds import expire_baskets


class Command(BaseCommand):
    help = "Mark open baskets past their hold time as expired (run every few minutes)."

    def handle(self, *args, **options) -> None:
        count = expire_baskets()
        if options["verbosity"] >= 1:
            self.stdout.write(f"{count} basket(s) expired.")
