"""The prices page ("Tarifs", the seed's "Médias / Tarifs"): every activity's price by
quotient-familial band, readable before booking, by anyone; a signed-in family also reads
its own band, as its days will be priced (activities.price_grid)."""

import datetime

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from portail.activities.price_grid import price_grid
from portail.core.models import Organisation
from portail.families.guardians import guardian_household


def tariffs_page(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    household = guardian_household(request) if request.user.is_authenticated else None
    rows = []
    for grid in price_grid(today):
        # The family's QF on the tariff's first day still to come: today, or its start.
        day: datetime.date = max(today, grid.tariff.valid_from)
        qf = household.qf_on(day) if household is not None else None
        rows.append(
            {
                "grid": grid,
                "own_band": grid.band_for(qf) if household is not None else None,
                "qf": qf,
                "current": grid.tariff.valid_from <= today,
            }
        )
    organisation = Organisation.current()
    return render(
        request,
        "home/tariffs.html",
        {
            "rows": rows,
            "household": household,
            "org": organisation,
            "organisation": organisation,
        },
    )
