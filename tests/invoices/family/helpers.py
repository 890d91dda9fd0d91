"""Builders for the families' side of invoices (tests/invoices/family/): a world with an
issued invoice through the real billing run (tests/world/invoices.py), money applied
through the real services, and the page's text as read."""

import datetime

from portail.billing.invoicing import settling
from portail.billing.models import Invoice, InvoicePayment
from portail.reservations.models import Channel
from tests import factories
from tests.clock import NOW
from tests.world import invoices as w


def invoiced_world(**kwargs) -> tuple[w.World, Invoice]:
    """The shared world with two presences and a booked day for the first child and one
    presence for the second, billed by an October run (issued on 3 November 2026)."""
    factories.organisation(name="Commune de Malves", address="1 place de la Mairie\n11600 Malves")
    world = w.build(**kwargs)
    w.presence(world, world.children[0], w.MON)
    w.presence(world, world.children[0], w.TUE)
    w.booked(world, world.children[0], datetime.date(2026, 10, 7))
    w.presence(world, world.children[1], w.THU)
    return world, w.issued_invoice(world)


def pay(
    invoice: Invoice, cents: int, *, method: str = "cash", now: datetime.datetime = NOW
) -> InvoicePayment:
    """Money received at the counter (the staff's service)."""
    return settling.record_counter_payment(
        invoice, amount_cents=cents, method=method, actor=None, channel=Channel.BACKOFFICE, now=now
    )


def login(client, world: w.World) -> None:
    client.force_login(world.guardian.user)
