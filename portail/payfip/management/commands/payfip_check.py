"""`portail payfip_check`: ask PayFiP who we are (recupererDetailClient).

A cheap way to check PAYFIP_WS_URL, PAYFIP_NUMCLI and the network after installing:
PayFiP answers with the régie's labels, or a fault (T1 bad number, T2 unknown, T4 no
web-service access) that this command prints.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from portail.payfip import client
from portail.payfip.errors import PayfipError


class Command(BaseCommand):
    help = "Check the PayFiP configuration by reading the régie's labels (recupererDetailClient)."

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"PayFiP web service: {client.ws_url()}")
        self.stdout.write(f"Payment page: {client.payment_page_base_url()}")
        try:
            detail = client.get_client_detail()
        except ValidationError as exc:
            raise CommandError(f"PAYFIP_NUMCLI: {' '.join(exc.messages)}") from None
        except PayfipError as exc:
            raise CommandError(f"PayFiP refused: {exc.code} {exc.message}") from None
        self.stdout.write(f"numcli {detail.numcli}")
        for label in (detail.libelle_n1, detail.libelle_n2, detail.libelle_n3):
            if label:
                self.stdout.write(f"  {label}")
