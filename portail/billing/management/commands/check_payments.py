"""`portail check_payments`: ask PayFiP about payments whose notification never came.

Run it every 5 minutes (cron `*/5 * * * *` or a systemd timer), next to
`portail expire_baskets`: pending payments settle (or expire after
PAYFIP_PENDING_MAX_MINUTES), so their baskets stop holding places.
"""

from django.core.management.base import BaseCommand

from portail.billing.payments import check_pending_payments


class Command(BaseCommand):
    help = "Re-check pending PayFiP payments (run every 5 minutes)."

    def handle(self, *args, **options) -> None:
        count = check_pending_payments()
        if options["verbosity"] >= 1:
            self.stdout.write(f"{count} payment(s) changed state.")
