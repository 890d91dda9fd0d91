"""A shared world for invoices' tests: one household with two children, an ALAE invoiced
on attendance (tariff by QF), a leisure centre invoiced on booking, a prepaid canteen,
and builders for what the pointage and the bookings leave (presences, absences,
surcharges, booked days), plus `issued_invoice()`, which issues a real billing run.

Days are in October 2026, before the suite's clock (Tuesday 3 November 2026): a run on
the clock's day bills them. Rows are built directly, as factories.py does; the billing
run itself always goes through `runs.issue`.
"""

import datetime
from dataclasses import dataclass, field

from portail.activities.models import Activity, BillingMode, Session
from portail.billing.invoicing import runs
from portail.billing.models import BillingRun, Invoice
from portail.families.models import Child, Guardian, Household
from portail.reservations.models import Attendance, Booking, Channel
from tests import factories
from tests.clock import NOW

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
    household = factories.household(
        quotient_familial=qf, qf_valid_from=qf_valid_from, qf_valid_to=qf_valid_to
    )
    guardian = factories.guardian(household)
    kids = [factories.child(household) for _ in range(children)]
    for kid in kids:
        for activity in (alae, leisure, canteen):
            factories.enrolment(kid, activity)
    return World(household, guardian, kids, alae, leisure, canteen)


def another_household(world: World, *, qf: int | None = 500) -> tuple[Household, Child]:
    """A second household, its child enrolled on the world's activities."""
    household = factories.household(quotient_familial=qf)
    factories.guardian(household)
    kid = factories.child(household)
    for activity in (world.alae, world.leisure, world.canteen):
        factories.enrolment(kid, activity)
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
