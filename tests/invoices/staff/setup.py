"""Invoices in every state for the staff's pages, from real billing runs
(tests/invoices/world.py) and the settling services, and staff of every role.

`invoices_in_every_state()`: one run issued on 12 October 2026 (due 10 days later, so
overdue on the suite's clock, 3 November) bills five households one booked day each
(8,00 EUR): `unpaid` (overdue), `partial` (3,00 EUR paid, overdue), `paid`, `cancelled`;
then a run on the clock's day bills `recent`, unpaid and not due yet.
"""

import datetime
from dataclasses import dataclass

from django.test import Client

from portail.backoffice.permissions import CUISINE, GESTIONNAIRE, POINTAGE, grant_role
from portail.billing.invoicing import settling
from portail.billing.models import Invoice
from portail.families.models import Household
from portail.reservations.models import Channel
from tests import factories
from tests.clock import paris
from tests.invoices import world as invoices_world
from tests.invoices.world import FRI, MON, THU, World

PRICE = invoices_world.LEISURE_PRICE
EARLY_RUN = paris(2026, 10, 12, 10, 0)


def staff_client(role: str, email: str, sites=()) -> tuple[Client, object]:
    user = factories.staff(email=email)
    grant_role(user, role, sites=sites)
    client = Client()
    client.force_login(user)
    return client, user


def gestionnaire_client(email: str = "gestion@example.org"):
    return staff_client(GESTIONNAIRE, email)


def refused_staff(world: World) -> dict[str, Client]:
    """An attendance agent (on the world's site) and a kitchen login."""
    return {
        POINTAGE: staff_client(POINTAGE, "pointage@example.org", [world.alae.site])[0],
        CUISINE: staff_client(CUISINE, "cuisine@example.org")[0],
    }


def fresh(invoice: Invoice) -> Invoice:
    return Invoice.objects.get(pk=invoice.pk)


def one_invoice(**build) -> tuple[World, Invoice]:
    """The world's household billed three booked days (24,00 EUR), issued today."""
    world = invoices_world.build(**build)
    for day in (MON, THU, FRI):
        invoices_world.booked(world, world.child, day)
    return world, invoices_world.issued_invoice(world)


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


def _household(world: World, name: str, day: datetime.date) -> Household:
    household, kid = invoices_world.another_household(world)
    household.name = name
    household.save(update_fields=["name"])
    invoices_world.booked(world, kid, day)
    return household


def invoices_in_every_state(settings) -> States:
    settings.PORTAIL_INVOICE_DUE_DAYS = 10
    world = invoices_world.build(children=1)
    world.household.name = "Famille Martin"
    world.household.save(update_fields=["name"])
    invoices_world.booked(world, world.child, MON)
    others = {
        name: _household(world, f"Famille {name.title()}", MON)
        for name in ("partial", "paid", "cancelled")
    }
    run = invoices_world.issue(now=EARLY_RUN)
    found = {i.household_id: i for i in Invoice.objects.filter(run=run)}
    by_name = {name: found[h.pk] for name, h in others.items()}
    by_name["unpaid"] = found[world.household.pk]
    money = {"actor": None, "channel": Channel.BACKOFFICE}
    settling.record_counter_payment(by_name["partial"], amount_cents=300, method="cash", **money)
    settling.record_counter_payment(by_name["paid"], amount_cents=PRICE, method="card", **money)
    settling.issue_credit_note(by_name["cancelled"], amount_cents=PRICE, reason="Erreur", **money)
    late = _household(world, "Famille Recente", FRI)
    settings.PORTAIL_INVOICE_DUE_DAYS = 30
    recent = Invoice.objects.get(run=invoices_world.issue(), household=late)
    return States(world, **{k: fresh(v) for k, v in by_name.items()}, recent=recent)
