"""System check: the organisation's PayFiP client number is the one payments use.

Payments are created with settings.PAYFIP_NUMCLI (the environment), and PayFiP's answer
must carry the same numcli or the payment is flagged as a mismatch. The organisation's
`payfip_numcli` (set in the admin) is what staff read as the régie's number: when it is
set and differs, one of the two is wrong, and `portail check` (also run by runserver and
migrate) says so.
"""

from django.conf import settings
from django.core import checks
from django.db import DatabaseError

from portail.core.models import Organisation

NUMCLI_MISMATCH = "portail.W001"


@checks.register()
def check_payfip_numcli(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    try:
        numcli = Organisation.objects.order_by("pk").values_list("payfip_numcli", flat=True).first()
    except DatabaseError:
        return []  # no database yet (before migrate): nothing to compare
    if not numcli or numcli == settings.PAYFIP_NUMCLI:
        return []
    return [
        checks.Warning(
            f"The organisation's PayFiP client number ({numcli}) differs from "
            f"PAYFIP_NUMCLI ({settings.PAYFIP_NUMCLI or 'empty'}), which payments use.",
            hint="Set PAYFIP_NUMCLI to the régie's 6-digit client number, or correct the "
            "organisation's number in the administration.",
            obj=Organisation,
            id=NUMCLI_MISMATCH,
        )
    ]
