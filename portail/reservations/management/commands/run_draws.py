"""`portail run_draws`: make the booking windows' draws that are due (reservations/draws.py).

Run it every minute (cron `* * * * *` or a systemd timer): a draw is made once, whoever
runs it first (this command, or the first submission after the draw window).
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from portail.reservations.draws import due_windows, run_draw


class Command(BaseCommand):
    help = "Make the booking windows' draws that are due (run every minute)."

    def handle(self, *args, **options) -> None:
        now = timezone.now()
        count = sum(run_draw(pk, now=now) for pk in due_windows(now))
        if options["verbosity"] >= 1:
            self.stdout.write(f"{count} draw(s) made.")
