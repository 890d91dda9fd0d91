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

Loaded in bulk: two queries for any number of households (their attendances and their
bookings, each with whether a line bills it already), two for the households and their QF
periods, and the PriceBook loaded once by the caller for the whole run.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import translation
from django.utils.translation import gettext as _

from portail.activities.models import Activity, BillingMode, TariffBand
from portail.activities.pricing import NoTariff, PriceBook
from portail.billing.models import ChargeKind, InvoiceLine
from portail.families.models import Household
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


def _attendances(start: datetime.date, end: datetime.date):
    billed_presence = InvoiceLine.objects.filter(
        attendance=OuterRef("pk"), kind=ChargeKind.PRESENCE
    )
    billed_surcharge = InvoiceLine.objects.filter(
        attendance=OuterRef("pk"), kind=ChargeKind.SURCHARGE
    )
    return (
        Attendance.objects.filter(
            session__date__gte=start, session__date__lte=end, session__is_open=True
        )
        .filter(
            Q(present=True, session__activity__billing_mode=BillingMode.ON_ATTENDANCE)
            | Q(charge_cents__isnull=False)
        )
        .annotate(
            presence_billed=Exists(billed_presence), surcharge_billed=Exists(billed_surcharge)
        )
        .filter(
            Q(
                present=True,
                session__activity__billing_mode=BillingMode.ON_ATTENDANCE,
                presence_billed=False,
            )
            | Q(charge_cents__isnull=False, surcharge_billed=False)
        )
        .order_by()
    )


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
    """Ids of the households with an item not billed yet in [start, end] (two queries;
    some may turn out to owe nothing: a zero price, an absence not billed)."""
    ids = set(_attendances(start, end).values_list("child__household_id", flat=True).distinct())
    ids.update(_bookings(start, end).values_list("child__household_id", flat=True).distinct())
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
    attendances = _attendances(start, end).filter(child__household_id__in=ids)
    bookings = _bookings(start, end).filter(child__household_id__in=ids)
    with translation.override(settings.LANGUAGE_CODE):
        pricer = _Pricer(book)
        for row in attendances.values(
            *_COLUMNS,
            "present",
            "charge_cents",
            "presence_billed",
            "surcharge_billed",
            "session__activity__billing_mode",
        ):
            _attendance_charges(found, row, households[row["child__household_id"]], pricer)
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


def _attendance_charges(found: Found, row: dict, household: Household, pricer: _Pricer) -> None:
    day = row["session__date"]
    if (
        row["present"]
        and row["session__activity__billing_mode"] == BillingMode.ON_ATTENDANCE
        and not row["presence_billed"]
    ):
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
    if row["charge_cents"] and not row["surcharge_billed"]:
        found.charges[household.pk].append(
            _charge(
                row,
                kind=ChargeKind.SURCHARGE,
                key=f"surcharge:{row['pk']}",
                label=pricer.labels[ChargeKind.SURCHARGE],
                rule=pricer.surcharge_rule,
                price=row["charge_cents"],
                booking=False,
            )
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
