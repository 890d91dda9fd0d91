"""A household whose year 2026 has every kind of money the certificates read (see
portail/billing/invoicing/certificates.py), built through the services.

The first child was born on 1 July 2020 (5 on 1 January 2026, 6 during the year: counts
for the whole year); the second on 31 December 2019 (already 6 on 1 January 2026: never
counts). At the suite's clock (3 November 2026):

- prepaid, paid at the counter: the first child's Wednesday care on 18 and 25 November
  (5,00 € each) and a canteen meal on 16 November (3,70 €, a meal: never care); the 25th
  is then cancelled in time: 5,00 € of credit given back;
- invoiced (October run): the first child's ALAE presences on 5 and 6 October (1,00 €
  each), a leisure day booked on 7 October (8,00 €), a leisure day booked and not used on
  14 October (8,00 €, a penalty), present at the leisure centre without booking on 9
  October (5,55 €, a surcharge); the second child's presence on 8 October (1,00 €). Total 24,55 €,
  paid with the 5,00 € of credit, then 19,55 € in cash.

Care paid in 2026 for the first child: 5,00 + 5,00 − 5,00 (prepaid) + 10,00 (its care
lines, the invoice being paid in full) = 15,00 €. Paid in 2026 (money only): 13,70 € at
the counter + 19,55 € in cash = 33,25 €.
"""

import datetime
from dataclasses import dataclass

from portail.activities.models import Activity, BillingMode
from portail.billing import credits
from portail.billing.counter import record_counter_payment
from portail.billing.invoicing import settling
from portail.billing.models import CreditKind, Invoice
from portail.reservations.basket import submit_changes
from portail.reservations.judging import Change
from portail.reservations.models import Booking, Channel
from tests import factories
from tests.clock import NOW
from tests.world import invoices as w

CARE_PRICE = 500
SIX_DURING_THE_YEAR = datetime.date(2020, 7, 1)
SIX_ON_NEW_YEAR = datetime.date(2019, 12, 31)


@dataclass
class CareWorld:
    world: w.World
    invoice: Invoice
    care: Activity  # prepaid care

    @property
    def young(self):
        return self.world.children[0]

    @property
    def older(self):
        return self.world.children[1]


def build(*, pay_invoice: bool = True) -> CareWorld:
    factories.organisation(name="Commune de Malves", address="1 place de la Mairie")
    world = w.build()
    young, older = world.children
    young.birth_date, older.birth_date = SIX_DURING_THE_YEAR, SIX_ON_NEW_YEAR
    young.save(update_fields=["birth_date"])
    older.save(update_fields=["birth_date"])
    care = factories.activity(
        world.alae.site, name="Accueil du mercredi", kind=Activity.Kind.LEISURE, weekdays="2"
    )
    assert care.billing_mode == BillingMode.PREPAID
    factories.tariff([care], bands=[(0, None, CARE_PRICE, 700)])
    factories.enrolment(young, care)
    # Invoiced: presences, booked days, a day not used, a surcharge.
    w.presence(world, young, w.MON)
    w.presence(world, young, w.TUE)
    w.booked(world, young, datetime.date(2026, 10, 7))
    w.booked(world, young, datetime.date(2026, 10, 14))
    w.mark(world, young, world.leisure, datetime.date(2026, 10, 14), present=False)
    w.surcharge(world, young, world.leisure, w.FRI, cents=555)
    w.presence(world, older, w.THU)
    invoice = w.issued_invoice(world)
    assert invoice.total_cents == 2455
    # Prepaid, paid at the counter.
    days = [
        (care, datetime.date(2026, 11, 18)),
        (care, datetime.date(2026, 11, 25)),
        (world.canteen, datetime.date(2026, 11, 16)),
    ]
    sessions = [world.session(activity, day) for activity, day in days]
    submit_changes(
        world.household,
        add=[Change(young.pk, session.pk) for session in sessions],
        cancel=[],
        actor=world.guardian.user,
        channel=Channel.WEB,
        now=NOW,
    )
    record_counter_payment(
        world.household.baskets.get(status="open"), means="cash", actor=factories.staff(), now=NOW
    )
    cancelled = Booking.objects.get(child=young, session=sessions[1])
    credits.add_credit(
        world.household,
        CARE_PRICE,
        kind=CreditKind.CANCELLATION,
        reason="",
        booking=cancelled,
        at=NOW,
    )
    if pay_invoice:
        settling.apply_credit(invoice, actor=None, channel=Channel.BACKOFFICE, now=NOW)
        settling.record_counter_payment(
            invoice,
            amount_cents=1955,
            method="cash",
            actor=None,
            channel=Channel.BACKOFFICE,
            now=NOW,
        )
    return CareWorld(world, invoice, care)
