"""What is chargeable for households over a period, priced, with the rule that gave each
amount (the billing run's input: runs.py previews it, then invoices it).

An item is chargeable when its session is open, falls in the period and before the run's
issue day, and no invoice line bills it yet:
- a presence (Attendance present) on an activity invoiced on attendance: ChargeKind
  PRESENCE, at the household's QF price on that day (activities.pricing.PriceBook,
  household.qf_on(day)), key "attendance:<pk>";
- a child present without booking on any activity (Attendance.charge_cents, the late
  price recorded by the pointage): SURCHARGE at that amount, key "surcharge:<pk>";
- a reserved booking on an activity invoiced on booking: BOOKED_DAY at the booking's
  price (the price when booked, late or not), key "booking:<pk>"; when the child was
  marked absent: with a medical certificate (justified) it is not billed, without one it
  is an UNUSED_DAY if the activity bills unused days, else not billed.
Prepaid bookings, cancelled or released bookings, closed days and zero amounts are never
billed. A presence that no tariff prices is left out and reported (`Unpriced`): it is
billed by a later run once a tariff covers its day.

Loaded in bulk: three queries for any number of households (their presences, surcharges
and bookings not billed yet), two for the households and their QF periods, and the
PriceBook loaded once by the caller for the whole run.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, Subquery
from django.utils import translation
from django.utils.translation import gettext as _

from portail.activities.models import Activity, BillingMode, TariffBand
from portail.activities.pricing import NoTariff, PriceBook
from portail.billing.models import ChargeKind, InvoiceLine
from portail.families.models import Child, Household
from portail.reservations.models import Attendance, Booking, BookingStatus


@dataclass(frozen=True)
class Charge:
    """One chargeable item, priced: what becomes one invoice line."""

    key: str
    kind: str
    household_id: int
    child_id: int
    child: str
    session_id: int
    day: datetime.date
    activity_id: int
    activity: str
    start_time: datetime.time
    booking_id: int | None
    attendance_id: int | None
    label: str
    price_rule: str
    unit_price_cents: int
    quantity: int = 1

    @property
    def total_cents(self) -> int:
        return self.quantity * self.unit_price_cents


@dataclass(frozen=True)
class Unpriced:
    """A presence that no tariff prices on its day: not billed, shown to staff."""

    household_id: int
    child: str
    day: datetime.date
    activity: str


@dataclass
class Found:
    """The charges of some households, by household id, and what could not be priced."""

    charges: dict[int, list[Charge]]
    unpriced: list[Unpriced]
    households: dict[int, Household]


def price_book(start: datetime.date, end: datetime.date) -> PriceBook:
    """The tariffs of every activity invoiced on attendance over the period (loaded once
    per run: two queries)."""
    ids = Activity.objects.filter(billing_mode=BillingMode.ON_ATTENDANCE).values_list(
        "pk", flat=True
    )
    return PriceBook.load(list(ids), start, end)


def _marks(start: datetime.date, end: datetime.date):
    return Attendance.objects.filter(
        session__date__gte=start, session__date__lte=end, session__is_open=True
    ).order_by()


# Presences and surcharges are read by two queries, each with one NOT EXISTS: written as
# one query with an OR of the two, PostgreSQL estimated one row and joined the children
# by a nested loop (85 s for a city's month once a third was billed; docs/benchmarks.md).
def _presences(start: datetime.date, end: datetime.date):
    """Presences on activities invoiced on attendance that no line bills yet."""
    billed = InvoiceLine.objects.filter(attendance=OuterRef("pk"), kind=ChargeKind.PRESENCE)
    return _marks(start, end).filter(
        ~Exists(billed), present=True, session__activity__billing_mode=BillingMode.ON_ATTENDANCE
    )


def _surcharges(start: datetime.date, end: datetime.date):
    """Presences without booking (a late price recorded) that no line bills yet."""
    billed = InvoiceLine.objects.filter(attendance=OuterRef("pk"), kind=ChargeKind.SURCHARGE)
    return _marks(start, end).filter(~Exists(billed), charge_cents__gt=0)


def _bookings(start: datetime.date, end: datetime.date):
    marks = Attendance.objects.filter(child=OuterRef("child"), session=OuterRef("session"))
    return (
        Booking.objects.filter(
            status=BookingStatus.RESERVED,
            # Made on an activity invoiced on booking: never the activity's current mode
            # (a prepaid day stays paid if the activity switches, and back).
            invoiced=True,
            session__date__gte=start,
            session__date__lte=end,
            session__is_open=True,
        )
        .annotate(billed=Exists(InvoiceLine.objects.filter(booking=OuterRef("pk"))))
        .filter(billed=False)
        .annotate(
            mark_present=Subquery(marks.values("present")[:1]),
            mark_justified=Subquery(marks.values("justified")[:1]),
        )
        .order_by()
    )


def households_with_charges(start: datetime.date, end: datetime.date) -> list[int]:
    """Ids of the households with an item not billed yet in [start, end] (three queries;
    some may turn out to owe nothing: a zero price, an absence not billed). The children
    are found first, then their households (a semi-join the planner estimates well)."""
    ids: set[int] = set()
    for items in (_presences(start, end), _surcharges(start, end), _bookings(start, end)):
        ids.update(
            Child.objects.filter(pk__in=items.values("child_id"))
            .order_by()
            .values_list("household_id", flat=True)
            .distinct()
        )
    return sorted(ids)


def _band_text(band: TariffBand) -> str:
    upper = "∞" if band.qf_max is None else str(band.qf_max)
    return f"{band.qf_min}–{upper}"


def presence_rule(book: PriceBook, activity_id: int, day: datetime.date, qf: int | None) -> str:
    """The price rule of a presence, in words ("Tarif ALAE 2026, QF 0–600")."""
    tariff = book.tariff(activity_id, day)
    band = book.band(activity_id, day, qf)
    if qf is None:
        return _("%(tariff)s, QF unknown: highest band (QF %(band)s)") % {
            "tariff": tariff.name,
            "band": _band_text(band),
        }
    return _("%(tariff)s, QF %(band)s") % {"tariff": tariff.name, "band": _band_text(band)}


# The columns read per item (values(): no model instances, a few hundred thousand rows
# for a city's month).
_COLUMNS = (
    "pk",
    "child_id",
    "child__first_name",
    "child__last_name",
    "child__household_id",
    "session_id",
    "session__date",
    "session__activity_id",
    "session__activity__name",
    "session__activity__start_time",
)


def load(
    household_ids: Iterable[int],
    start: datetime.date,
    end: datetime.date,
    book: PriceBook,
) -> Found:
    """The items of these households in [start, end] not billed yet, priced (see the
    module's docstring). `book` must cover the period (price_book(start, end)). Labels
    and rules are written in the portal's language (the invoice's language)."""
    ids = sorted(set(household_ids))
    if not ids or end < start:
        return Found(charges={}, unpriced=[], households={})
    households = {
        h.pk: h
        for h in Household.objects.filter(pk__in=ids)
        .order_by()
        .prefetch_related("quotient_periods")
    }
    found = Found(charges=defaultdict(list), unpriced=[], households=households)
    children = Child.objects.filter(household_id__in=ids).values("pk")
    bookings = _bookings(start, end).filter(child_id__in=children)
    with translation.override(settings.LANGUAGE_CODE):
        pricer = _Pricer(book)
        for row in _presences(start, end).filter(child_id__in=children).values(*_COLUMNS):
            _presence_charge(found, row, households[row["child__household_id"]], pricer)
        for row in (
            _surcharges(start, end).filter(child_id__in=children).values(*_COLUMNS, "charge_cents")
        ):
            found.charges[row["child__household_id"]].append(_surcharge(row, pricer))
        for row in bookings.values(
            *_COLUMNS,
            "price_cents",
            "late",
            "mark_present",
            "mark_justified",
            "session__activity__bill_unused_days",
        ):
            charge = _booking_charge(row, pricer)
            if charge is not None:
                found.charges[charge.household_id].append(charge)
    for charges in found.charges.values():
        charges.sort(key=lambda c: (c.child, c.child_id, c.day, c.start_time, c.activity, c.key))
    found.charges = {k: v for k, v in found.charges.items() if v}
    found.unpriced.sort(key=lambda u: (u.household_id, u.day, u.child))
    return found


class _Pricer:
    """Prices and rules from the PriceBook, each (activity, day, QF) and text worked out
    once per load (in the language active when it is made)."""

    def __init__(self, book: PriceBook) -> None:
        self.book = book
        self._presences: dict[tuple[int, datetime.date, int | None], tuple[int, str] | None] = {}
        self.labels = {kind: str(kind.label) for kind in ChargeKind}
        self.surcharge_rule = _(
            "Present without booking: the late price, recorded with the attendance"
        )
        self.unused_rule = _("Booked, absent without a medical certificate: the price when booked")
        self.late_rule = _("The price when booked (late price)")
        self.booked_rule = _("The price when booked")

    def presence(
        self, activity_id: int, day: datetime.date, qf: int | None
    ) -> tuple[int, str] | None:
        """(price, rule), or None when no tariff prices the day."""
        key = (activity_id, day, qf)
        if key not in self._presences:
            try:
                price = self.book.price(activity_id, day, qf)
                self._presences[key] = (price, presence_rule(self.book, activity_id, day, qf))
            except NoTariff:
                self._presences[key] = None
        return self._presences[key]


def _child_name(row: dict) -> str:
    return f"{row['child__first_name']} {row['child__last_name']}"


def _charge(
    row: dict, *, kind: str, key: str, label: str, rule: str, price: int, booking: bool
) -> Charge:
    return Charge(
        key=key,
        kind=kind,
        household_id=row["child__household_id"],
        child_id=row["child_id"],
        child=_child_name(row),
        session_id=row["session_id"],
        day=row["session__date"],
        activity_id=row["session__activity_id"],
        activity=row["session__activity__name"],
        start_time=row["session__activity__start_time"],
        booking_id=row["pk"] if booking else None,
        attendance_id=None if booking else row["pk"],
        label=label,
        price_rule=rule,
        unit_price_cents=price,
    )


def _presence_charge(found: Found, row: dict, household: Household, pricer: _Pricer) -> None:
    day = row["session__date"]
    priced = pricer.presence(row["session__activity_id"], day, household.qf_on(day))
    if priced is None:
        found.unpriced.append(
            Unpriced(household.pk, _child_name(row), day, row["session__activity__name"])
        )
    elif priced[0] > 0:
        found.charges[household.pk].append(
            _charge(
                row,
                kind=ChargeKind.PRESENCE,
                key=f"attendance:{row['pk']}",
                label=pricer.labels[ChargeKind.PRESENCE],
                rule=priced[1],
                price=priced[0],
                booking=False,
            )
        )


def _surcharge(row: dict, pricer: _Pricer) -> Charge:
    return _charge(
        row,
        kind=ChargeKind.SURCHARGE,
        key=f"surcharge:{row['pk']}",
        label=pricer.labels[ChargeKind.SURCHARGE],
        rule=pricer.surcharge_rule,
        price=row["charge_cents"],
        booking=False,
    )


def _booking_charge(row: dict, pricer: _Pricer) -> Charge | None:
    if row["price_cents"] <= 0:
        return None
    kind = ChargeKind.BOOKED_DAY
    if row["mark_present"] is not None and not row["mark_present"]:
        if row["mark_justified"] or not row["session__activity__bill_unused_days"]:
            return None
        kind = ChargeKind.UNUSED_DAY
        rule = pricer.unused_rule
    elif row["late"]:
        rule = pricer.late_rule
    else:
        rule = pricer.booked_rule
    return _charge(
        row,
        kind=kind,
        key=f"booking:{row['pk']}",
        label=pricer.labels[kind],
        rule=rule,
        price=row["price_cents"],
        booking=True,
    )
