"""`portail issue_certificates [--year YYYY] [--household ID]`: issue the yearly
certificates (attestation fiscale for the childcare of children under 6, attestation de
paiement) of every household, or of one, for a year that is over (default: last year).

Run it each January (cron `0 6 2 1 *`). It is idempotent: a certificate already issued
for a household, year and kind is left as it is (never issued twice, never replaced),
so running it again, or after a family asked for its own, only issues what is missing
(billing/invoicing/certificate_issuing.py). Households with nothing paid get nothing.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from portail.billing.invoicing.certificate_issuing import TAX, issue_certificates
from portail.families.models import Household


class Command(BaseCommand):
    help = "Issue the yearly tax and payment certificates (default: last year)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--year", type=int, help="The year certified (default: last year).")
        parser.add_argument("--household", type=int, help="Only this household (its id).")

    def handle(self, *args, **options) -> None:
        now = timezone.now()
        this_year = timezone.localdate(now).year
        year = options["year"] if options["year"] is not None else this_year - 1
        if not 2000 <= year < this_year:
            raise CommandError(f"--year must be a year that is over (2000 to {this_year - 1}).")
        households = Household.objects.order_by("pk")
        if options["household"] is not None:
            households = households.filter(pk=options["household"])
            if not households.exists():
                raise CommandError(f"No household with id {options['household']}.")
        counts = {"issued": [0, 0], "already": [0, 0]}
        for household in households.iterator():
            for result in issue_certificates(household, year, now=now):
                if result.document is None:
                    continue
                column = 0 if result.kind == TAX else 1
                counts["issued" if result.created else "already"][column] += 1
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"{year}: tax certificates issued {counts['issued'][0]} "
                f"(already issued {counts['already'][0]}); payment certificates issued "
                f"{counts['issued'][1]} (already issued {counts['already'][1]})."
            )
