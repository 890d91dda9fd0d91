"""What one day of an activity costs a household: tariff by date, band by quotient familial.

Pages that price many days at once (the weekly planning, a basket) load a PriceBook once
(one query whatever the number of activities; none while the process keeps every tariff
under the current configuration stamp, config_cache.py) and then price from memory.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import F, Q

from portail.activities import config_cache
from portail.activities.models import Activity, Tariff, TariffBand
from portail.families.models import Household

# What a price band holds, read along with its tariff (PriceBook.load).
_BAND_FIELDS = ("id", "qf_min", "qf_max", "price_cents", "late_price_cents")


class NoTariff(Exception):
    """No tariff (or no band for this QF) applies: the day cannot be priced, so not booked."""


class PriceBook:
    """The tariffs of some activities over a range of days, with their bands, in memory."""

    def __init__(
        self,
        tariffs: dict[int, list[Tariff]],
        start: datetime.date,
        end: datetime.date,
    ) -> None:
        # Newest first: when periods overlap, the most recently starting tariff applies.
        self._tariffs = {
            activity_id: sorted(found, key=lambda t: (t.valid_from, t.pk), reverse=True)
            for activity_id, found in tariffs.items()
        }
        self.start = start
        self.end = end

    @classmethod
    def load(
        cls,
        activity_ids: Iterable[int],
        start: datetime.date,
        end: datetime.date,
        *,
        stamp: str | None = None,
    ) -> "PriceBook":
        """Tariffs valid at some point from `start` to `end` for these activities.

        With the configuration stamp read by the caller's own query (config_cache.py), from
        the process's memory when it was read under that stamp, else one query for every
        tariff, kept. Without: one query for these activities and days only."""
        ids = set(activity_ids)
        if not ids:
            return cls({}, start, end)
        if stamp is None:
            return cls(
                _read(
                    Q(activity_id__in=ids, tariff__valid_from__lte=end, tariff__valid_to__gte=start)
                ),
                start,
                end,
            )
        every = config_cache.kept("tariffs", stamp, lambda: _read(Q()))
        return cls(
            {
                activity_id: [
                    t for t in every[activity_id] if t.valid_from <= end and t.valid_to >= start
                ]
                for activity_id in ids
                if activity_id in every
            },
            start,
            end,
        )

    def tariff(self, activity_id: int, day: datetime.date) -> Tariff:
        """The tariff of the activity valid on `day`; the latest-starting one if several."""
        if not self.start <= day <= self.end:
            raise ValueError(f"{day} is outside the loaded range {self.start}–{self.end}")
        for tariff in self._tariffs.get(activity_id, ()):
            if tariff.valid_from <= day <= tariff.valid_to:
                return tariff
        raise NoTariff(f"No tariff for activity {activity_id} on {day}")

    def band(self, activity_id: int, day: datetime.date, qf: int | None) -> TariffBand:
        """The band for this QF; no QF known means the highest band (greatest qf_min)."""
        tariff = self.tariff(activity_id, day)
        bands: list[TariffBand] = tariff.band_list
        if not bands:
            raise NoTariff(f"Tariff {tariff.pk} has no price band")
        if qf is None:
            return bands[-1]
        for band in bands:
            if band.contains(qf):
                return band
        raise NoTariff(f"Tariff {tariff.pk} has no band for QF {qf}")

    def price(
        self, activity_id: int, day: datetime.date, qf: int | None, *, late: bool = False
    ) -> int:
        """Price in cents of one day; `late`: booked after the deadline (prix majoré)."""
        band = self.band(activity_id, day, qf)
        return band.late_price_cents if late else band.price_cents


def _read(links: Q) -> dict[int, list[Tariff]]:
    """The tariffs of these activity-tariff links, with their bands sorted by QF, by
    activity. One query: the links joined to their tariffs and (an outer join) to each
    tariff's bands, one row per link and band."""
    rows = (
        Tariff.activities.through.objects.filter(links)
        .select_related("tariff")
        .annotate(**{f"band_{name}": F(f"tariff__bands__{name}") for name in _BAND_FIELDS})
        .order_by()
    )
    tariffs: dict[int, list[Tariff]] = defaultdict(list)
    by_id: dict[int, Tariff] = {}
    linked: set[tuple[int, int]] = set()
    for row in rows:
        tariff = by_id.setdefault(row.tariff_id, row.tariff)
        if not hasattr(tariff, "band_list"):
            tariff.band_list = {}
        if row.band_id is not None:
            tariff.band_list[row.band_id] = TariffBand(
                tariff_id=tariff.pk,
                **{name: getattr(row, f"band_{name}") for name in _BAND_FIELDS},
            )
        if (row.activity_id, tariff.pk) not in linked:
            linked.add((row.activity_id, tariff.pk))
            tariffs[row.activity_id].append(tariff)
    for tariff in by_id.values():  # each tariff's bands by QF, as band() reads them
        tariff.band_list = sorted(tariff.band_list.values(), key=lambda b: b.qf_min)
    return dict(tariffs)


def price_for(
    activity: Activity, household: Household, day: datetime.date, *, late: bool = False
) -> int:
    """Price in cents of one day of `activity` for `household` (its QF valid on `day`)."""
    book = PriceBook.load([activity.pk], day, day)
    return book.price(activity.pk, day, household.qf_on(day), late=late)
