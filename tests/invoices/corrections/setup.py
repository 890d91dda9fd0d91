"""A household whose October is invoiced (tests/world/invoices.py, a real billing run),
with one billed item of each kind, and what the tests compare to say "nothing changed".

- `presence`: Emma's ALAE presence on Monday 5 October (line "attendance:<pk>");
- `surcharge`: Lucas present without booking at the leisure centre on Tuesday 6 October
  (line "surcharge:<pk>": marking him "not here" would delete the mark);
- `booked_day`: Emma's leisure day on Tuesday 6 October, booked and not marked (a booked
  day billed);
- `unused`: Emma's leisure day on Tuesday 13 October, marked absent without certificate
  (billed as a day not used);
- `lone_day`: Emma's leisure day on Tuesday 20 October, booked, nobody marked on that day
  (a day that attendance alone would not keep from closing).
"""

import datetime
from dataclasses import dataclass

from django.urls import reverse

from portail.activities.models import Session
from portail.backoffice.models import StaffAction
from portail.billing.models import CreditEntry, Invoice, InvoiceLine
from portail.reservations.models import Attendance, Basket, Booking, HistoryEntry
from tests.world import invoices as invoices_world
from tests.world.invoices import MON, TUE, World
from tests.world.staff import client_for, gestionnaire

TUE_13 = datetime.date(2026, 10, 13)
TUE_20 = datetime.date(2026, 10, 20)


@dataclass
class Billed:
    world: World
    invoice: Invoice
    presence: Attendance
    surcharge: Attendance
    booked_day: Booking
    unused: Booking
    unused_mark: Attendance
    lone_day: Booking

    @property
    def alae_monday(self) -> Session:
        return self.presence.session

    @property
    def leisure_tuesday(self) -> Session:
        return self.booked_day.session

    @property
    def leisure_13(self) -> Session:
        return self.unused.session


def billed_october() -> Billed:
    world = invoices_world.build()
    emma, lucas = world.children
    presence = invoices_world.presence(world, emma, MON)
    surcharge = invoices_world.surcharge(world, lucas, world.leisure, TUE)
    booked_day = invoices_world.booked(world, emma, TUE)
    unused = invoices_world.booked(world, emma, TUE_13)
    unused_mark = invoices_world.mark(world, emma, world.leisure, TUE_13, present=False)
    lone_day = invoices_world.booked(world, emma, TUE_20)
    invoice = invoices_world.issued_invoice(world)
    keys = set(invoice.lines.values_list("charge_key", flat=True))
    assert keys == {
        f"attendance:{presence.pk}",
        f"surcharge:{surcharge.pk}",
        f"booking:{booked_day.pk}",
        f"booking:{unused.pk}",
        f"booking:{lone_day.pk}",
    }
    return Billed(world, invoice, presence, surcharge, booked_day, unused, unused_mark, lone_day)


def manager_client():
    return client_for(gestionnaire(), "en")


def sheet_url(session: Session) -> str:
    return reverse("backoffice:attendance") + f"?seance={session.pk}"


def snapshot() -> dict:
    """Every row a refused correction could have touched."""
    return {
        "attendance": sorted(
            Attendance.objects.values_list("pk", "present", "justified", "charge_cents")
        ),
        "bookings": sorted(Booking.objects.values_list("pk", "status", "price_cents")),
        "sessions": sorted(Session.objects.values_list("pk", "is_open", "closed_reason")),
        "credit": sorted(CreditEntry.objects.values_list("pk", "amount_cents")),
        "history": HistoryEntry.objects.count(),
        "audit": StaffAction.objects.count(),
        "baskets": Basket.objects.count(),
        "lines": sorted(InvoiceLine.objects.values_list("pk", "charge_key", "total_cents")),
        "invoices": sorted(Invoice.objects.values_list("pk", "total_cents", "status")),
    }


def assert_refusal_names_the_invoice(text: str, invoice: Invoice) -> None:
    assert f"Already invoiced on invoice {invoice.number}" in text
    assert "credit note" in text
