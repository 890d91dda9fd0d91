"""The price grid a parent reads before booking ("Tarifs"): each tariff in force today or
later, its activities and its quotient-familial bands (price, and late price), in two
queries. The family's own band is chosen by the same rule as the prices of its days
(pricing.PriceBook.band: the band containing its QF; no QF known, the highest band)."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch

from portail.activities.models import Activity, Tariff, TariffBand


@dataclass(frozen=True)
class GridTariff:
    tariff: Tariff
    activities: list[Activity]
    bands: list[TariffBand]

    def band_for(self, qf: int | None) -> TariffBand | None:
        """The band a household of this QF pays (None: QF unknown → the highest band)."""
        if not self.bands:
            return None
        if qf is None:
            return self.bands[-1]
        return next((band for band in self.bands if band.contains(qf)), None)


def price_grid(today: datetime.date) -> list[GridTariff]:
    """Tariffs valid today or later (current first), with their activities and bands."""
    tariffs = (
        Tariff.objects.filter(valid_to__gte=today)
        .prefetch_related(
            Prefetch("bands", queryset=TariffBand.objects.order_by("qf_min")),
            Prefetch(
                "activities",
                queryset=Activity.objects.select_related("site").order_by("site__name", "name"),
            ),
        )
        .order_by("valid_from", "name", "pk")
    )
    return [
        GridTariff(tariff, list(tariff.activities.all()), list(tariff.bands.all()))
        for tariff in tariffs
    ]
