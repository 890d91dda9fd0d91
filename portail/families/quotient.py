"""The quotient familial over time: the one way to change it, and loading it for many.

A household's QF is a list of periods (QuotientPeriod) that never overlap. `set_quotient`
writes a new period, from `valid_from` to `valid_to` (no end: until further notice), and it
supersedes what it overlaps:

- a period that started earlier and runs into the new one ends the day before
  `valid_from` (its value does not come back after the new period: a QF is replaced by a
  newer declaration, never resumed);
- a period that starts on or after `valid_from` and overlaps the new one is replaced
  (deleted), whole, even if it ran past `valid_to`: the days after the new end are then
  unknown until a QF is declared for them;
- periods after `valid_to` (not overlapping) are kept.

`value=None` writes "unknown" over the span (the highest price band): periods are cut and
none is created.

Prices: a booked day stores its price (Booking.price_cents), so a new period changes only
the price of days booked, or invoiced on attendance, after the change. Days already booked
or paid keep their price.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from portail.core.locking import locked
from portail.families.models import Household, QuotientPeriod

QF_MAX = 100_000
ONE_DAY = datetime.timedelta(days=1)


class QuotientRefused(ValueError):
    """A QF the service will not write; `field` names the offending input."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def check_quotient(
    value: int | None, valid_from: datetime.date, valid_to: datetime.date | None
) -> None:
    if value is not None and (isinstance(value, bool) or not 0 <= value <= QF_MAX):
        raise QuotientRefused(
            "value", _("The quotient familial must be between 0 and %(max)d.") % {"max": QF_MAX}
        )
    if valid_to is not None and valid_to < valid_from:
        raise QuotientRefused("valid_to", _("The end of the period must not be before its start."))


def set_quotient(
    household: Household,
    value: int | None,
    valid_from: datetime.date,
    valid_to: datetime.date | None = None,
    *,
    actor=None,
    reason: str = "",
) -> QuotientPeriod | None:
    """Apply `value` to the household from `valid_from` to `valid_to` (included; None: until
    further notice), cutting what overlaps (see the module's docstring). Returns the new
    period (None when `value` is None). Raises QuotientRefused on a bad value or period."""
    check_quotient(value, valid_from, valid_to)
    with transaction.atomic():
        locked(Household.objects.filter(pk=household.pk))
        overlapping = QuotientPeriod.objects.filter(household_id=household.pk).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from)
        )
        if valid_to is not None:
            overlapping = overlapping.filter(valid_from__lte=valid_to)
        for period in list(overlapping.order_by("valid_from")):
            if period.valid_from < valid_from:
                period.valid_to = valid_from - ONE_DAY
                period.save(update_fields=["valid_to"])
            else:
                period.delete()
        created = None
        if value is not None:
            created = QuotientPeriod.objects.create(
                household_id=household.pk,
                value=value,
                valid_from=valid_from,
                valid_to=valid_to,
                source=reason[:200],
                created_by=actor,
            )
    forget(household)
    return created


def remember(household: Household, periods: Iterable[QuotientPeriod]) -> None:
    """Keep these periods (every period of the household, read by the caller) on the
    instance, as attach() would: qf_on(day) then reads no more."""
    household.__dict__["_quotient_periods"] = sorted(periods, key=lambda p: p.valid_from)


def forget(household: Household) -> None:
    """Drop the periods cached on this instance (read again on next use)."""
    household.__dict__.pop("_quotient_periods", None)
    getattr(household, "_prefetched_objects_cache", {}).pop("quotient_periods", None)


def quotients_for(
    household_ids: Iterable[int], start: datetime.date, end: datetime.date
) -> dict[int, list[QuotientPeriod]]:
    """The periods touching [start, end] of each household, oldest first: one query."""
    found: dict[int, list[QuotientPeriod]] = defaultdict(list)
    ids = sorted(set(household_ids))
    if not ids:
        return found
    rows = (
        QuotientPeriod.objects.filter(household_id__in=ids, valid_from__lte=end)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
        .order_by("household_id", "valid_from")
    )
    for period in rows:
        found[period.household_id].append(period)
    return found


def attach(households: Iterable[Household]) -> None:
    """Load every period of these households in one query, so their qf_on(day) reads no
    more (pages and runs pricing many households' days). A household keeps a handful of
    periods, so all of them are loaded, whatever the days priced."""
    households = [h for h in households if "_quotient_periods" not in h.__dict__]
    if not households:
        return
    found: dict[int, list[QuotientPeriod]] = defaultdict(list)
    rows = QuotientPeriod.objects.filter(household_id__in={h.pk for h in households})
    for period in rows.order_by("household_id", "valid_from"):
        found[period.household_id].append(period)
    for household in households:
        household.__dict__["_quotient_periods"] = found.get(household.pk, [])
