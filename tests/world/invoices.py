"""The invoices' world: one household with two children, an ALAE invoiced on attendance
(tariff by QF), a leisure centre invoiced on booking, a prepaid canteen, and builders for
what the pointage and the bookings leave (presences, absences, surcharges, booked days);
billing runs through the real `runs.issue`, an issued invoice to settle or pay online,
and invoices in every state for the staff's pages.

Days are in October 2026, before the suite's clock (Tuesday 3 November 2026): a run on
the clock's day bills them. The household comes from tests/world/commune.py's `family`,
the staff from tests/world/staff.py.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Sum
from django.test import Client

from portail.activities.models import Activity, BillingMode, Session
from portail.backoffice.permissions import CUISINE, POINTAGE
from portail.billing import credits
from portail.billing.invoicing import online, runs, settling
from portail.billing.models import (
    BillingRun,
    CreditKind,
    Invoice,
    InvoiceEvent,
    InvoicePayment,
    Payment,
)
from portail.families.models import Child, Guardian, Household
from portail.reservations.models import Attendance, Booking, Channel
from tests import factories
from tests.clock import NOW, paris
from tests.world import staff
from tests.world.commune import family

OCTOBER = (datetime.date(2026, 10, 1), datetime.date(2026, 10, 31))
# School days of October 2026 (before the All Saints' holidays).
MON = datetime.date(2026, 10, 5)
TUE = datetime.date(2026, 10, 6)
THU = datetime.date(2026, 10, 8)
FRI = datetime.date(2026, 10, 9)

# ALAE bands: (qf_min, qf_max, price, late price).
ALAE_BANDS = [(0, 600, 100, 150), (601, 1200, 200, 300), (1201, None, 350, 500)]
LEISURE_PRICE = 800
CANTEEN_PRICE = 370
# `invoice_world`'s invoice: three days booked on the leisure centre.
TOTAL = 3 * LEISURE_PRICE
# `invoices_in_every_state`'s first run, overdue on the suite's clock.
EARLY_RUN = paris(2026, 10, 12, 10, 0)


@dataclass
class World:
    household: Household
    guardian: Guardian
    children: list[Child]
    alae: Activity  # invoiced on attendance
    leisure: Activity  # invoiced on booking
    canteen: Activity  # prepaid
    sessions: dict[tuple[int, datetime.date], Session] = field(default_factory=dict)

    @property
    def child(self) -> Child:
        return self.children[0]

    @property
    def activities(self) -> list[Activity]:
        return [self.alae, self.leisure, self.canteen]

    def session(self, activity: Activity, day: datetime.date, **fields) -> Session:
        key = (activity.pk, day)
        if key not in self.sessions:
            self.sessions[key] = factories.session(activity, day, **fields)
        return self.sessions[key]


def build(
    *,
    qf: int | None = 500,
    qf_valid_from: datetime.date | None = None,
    qf_valid_to: datetime.date | None = None,
    children: int = 2,
    bill_unused_days: bool = True,
    household_name: str | None = None,
) -> World:
    site = factories.site()
    alae = factories.activity(
        site, name="ALAE soir", kind=Activity.Kind.ALAE, requires_booking=False
    )
    assert alae.billing_mode == BillingMode.ON_ATTENDANCE
    leisure = factories.activity(
        site,
        name="Centre de loisirs",
        kind=Activity.Kind.LEISURE,
        weekdays="2",
        billing_mode=BillingMode.ON_BOOKING,
        bill_unused_days=bill_unused_days,
    )
    canteen = factories.activity(site, name="Restauration scolaire")
    factories.tariff([alae], bands=ALAE_BANDS)
    factories.tariff([leisure], bands=[(0, None, LEISURE_PRICE, LEISURE_PRICE + 200)])
    factories.tariff([canteen], bands=[(0, None, CANTEEN_PRICE, 555)])
    qf_fields = {
        "quotient_familial": qf,
        "qf_valid_from": qf_valid_from,
        "qf_valid_to": qf_valid_to,
    }
    household, user, kids = family(
        (alae, leisure, canteen),
        children,
        household_name=household_name,
        household_fields=qf_fields,
    )
    return World(household, user.guardian, kids, alae, leisure, canteen)


def another_household(
    world: World, *, qf: int | None = 500, name: str | None = None
) -> tuple[Household, Child]:
    """A second household (named `name`), its child enrolled on the world's activities."""
    household, _user, (kid,) = family(
        world.activities, household_name=name, household_fields={"quotient_familial": qf}
    )
    return household, kid


def mark(
    world: World,
    child: Child,
    activity: Activity,
    day: datetime.date,
    *,
    present: bool,
    justified: bool = False,
    charge_cents: int | None = None,
) -> Attendance:
    """The pointage's mark (what backoffice.attendance writes)."""
    return Attendance.objects.create(
        child=child,
        session=world.session(activity, day),
        present=present,
        justified=justified,
        charge_cents=charge_cents,
    )


def presence(world: World, child: Child, day: datetime.date, activity=None) -> Attendance:
    return mark(world, child, activity or world.alae, day, present=True)


def surcharge(
    world: World, child: Child, activity: Activity, day: datetime.date, cents: int = 555
) -> Attendance:
    """A child present without booking (the late price recorded with the mark)."""
    return mark(world, child, activity, day, present=True, charge_cents=cents)


def booked(
    world: World,
    child: Child,
    day: datetime.date,
    *,
    activity: Activity | None = None,
    price: int = LEISURE_PRICE,
    late: bool = False,
) -> Booking:
    """A reserved booking (on the leisure centre, invoiced on booking, by default)."""
    return factories.paid_booking(
        child, world.session(activity or world.leisure, day), price=price, late=late
    )


# The billing run.


def issue(
    start: datetime.date = OCTOBER[0],
    end: datetime.date = OCTOBER[1],
    *,
    actor=None,
    channel: str = Channel.BACKOFFICE,
    now: datetime.datetime = NOW,
) -> BillingRun:
    return runs.issue(start, end, actor=actor, channel=channel, now=now)


def issued_invoice(world: World, **kwargs) -> Invoice:
    """Issue a run (October by default) and return the world household's invoice."""
    run = issue(**kwargs)
    return Invoice.objects.get(run=run, household=world.household)


def invoice_world(**kwargs) -> tuple[World, Invoice]:
    """The world (`build(**kwargs)`) whose first child booked three days on the leisure
    centre, billed by an October run issued on the suite's clock: TOTAL (24,00 EUR)."""
    world = build(**kwargs)
    for day in (MON, THU, FRI):
        booked(world, world.child, day, activity=world.leisure)
    invoice = issued_invoice(world)
    assert invoice.total_cents == TOTAL
    return world, invoice


# Settling an invoice and paying it online: what the tests do and read back.


def fresh(invoice: Invoice) -> Invoice:
    return Invoice.objects.get(pk=invoice.pk)


def grant(world: World, cents: int) -> None:
    """Credit granted by a gestionnaire."""
    credits.adjust(world.household, cents, reason="Geste", actor=staff.gestionnaire())


def balance(world: World) -> int:
    return credits.balance_cents(world.household)


def actions(invoice: Invoice) -> list[tuple[str, int | None]]:
    """The invoice's history after its issue: (action, amount), oldest first."""
    return list(
        InvoiceEvent.objects.filter(invoice=invoice)
        .exclude(action="issued")
        .order_by("at", "pk")
        .values_list("action", "amount_cents")
    )


def applied_cents(invoice: Invoice) -> int:
    return invoice.payments_applied.aggregate(total=Sum("amount_cents"))["total"] or 0


def start(world: World, invoice: Invoice, *, use_credit=False) -> online.CheckoutResult:
    """The family starts paying `invoice` on the website."""
    return online.start_checkout(
        invoice, use_credit=use_credit, actor=world.guardian.user, channel=Channel.WEB
    )


def online_applied(invoice: Invoice) -> list[tuple[int, int]]:
    """(payment id, amount) of the online money counted on the invoice."""
    return list(
        InvoicePayment.objects.filter(invoice=invoice, method="online").values_list(
            "payment_id", "amount_cents"
        )
    )


def surplus_cents(payment: Payment) -> int:
    return (
        payment.credit_entries.filter(kind=CreditKind.PAYMENT_SURPLUS).aggregate(
            total=Sum("amount_cents")
        )["total"]
        or 0
    )


# The staff's pages: invoices in every state, and the roles refused.


def refused_staff(world: World) -> dict[str, Client]:
    """Signed-in clients of an attendance agent (on the world's site) and a kitchen login."""
    return {
        POINTAGE: staff.client_for(staff.pointage([world.alae.site], "pointage@example.org")),
        CUISINE: staff.client_for(staff.cuisine("cuisine@example.org")),
    }


@dataclass
class States:
    world: World
    unpaid: Invoice
    partial: Invoice
    paid: Invoice
    cancelled: Invoice
    recent: Invoice

    @property
    def all(self) -> list[Invoice]:
        return [self.unpaid, self.partial, self.paid, self.cancelled, self.recent]


def _booked_household(world: World, name: str, day: datetime.date) -> Household:
    household, kid = another_household(world, name=name)
    booked(world, kid, day)
    return household


def invoices_in_every_state(settings) -> States:
    """One run issued on 12 October 2026 (due 10 days later, so overdue on the suite's
    clock) bills five households one booked day each (8,00 EUR): `unpaid` (overdue, the
    world's "Famille Martin"), `partial` (3,00 EUR paid, overdue), `paid`, `cancelled`;
    then a run on the clock's day bills `recent`, unpaid and not due yet."""
    settings.PORTAIL_INVOICE_DUE_DAYS = 10
    world = build(children=1, household_name="Famille Martin")
    booked(world, world.child, MON)
    others = {
        name: _booked_household(world, f"Famille {name.title()}", MON)
        for name in ("partial", "paid", "cancelled")
    }
    run = issue(now=EARLY_RUN)
    found = {i.household_id: i for i in Invoice.objects.filter(run=run)}
    by_name = {name: found[h.pk] for name, h in others.items()}
    by_name["unpaid"] = found[world.household.pk]
    money = {"actor": None, "channel": Channel.BACKOFFICE}
    settling.record_counter_payment(by_name["partial"], amount_cents=300, method="cash", **money)
    price = LEISURE_PRICE
    settling.record_counter_payment(by_name["paid"], amount_cents=price, method="card", **money)
    settling.issue_credit_note(by_name["cancelled"], amount_cents=price, reason="Erreur", **money)
    late = _booked_household(world, "Famille Recente", FRI)
    settings.PORTAIL_INVOICE_DUE_DAYS = 30
    recent = Invoice.objects.get(run=issue(), household=late)
    return States(world, **{k: fresh(v) for k, v in by_name.items()}, recent=recent)
