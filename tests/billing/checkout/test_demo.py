"""The demo's paid history, its PayFiP client number, and the numcli system check."""

from io import StringIO

import pytest
from django.core import checks
from django.core.management import call_command
from django.test import Client
from django.utils import timezone, translation

from portail.billing import credits
from portail.billing.models import CounterPayment, CreditEntry, CreditKind
from portail.billing.settlement import (
    DETAIL_CANCELLATION_VALIDATED,
    DETAIL_LATE_PAYMENT,
    DETAIL_NOT_CONFIRMED,
    DETAIL_PAID,
    DETAIL_SESSION_CLOSED,
    DETAIL_VALIDATED,
)
from portail.core.models import Organisation
from portail.demo.commune import CANTEEN_MALVES
from portail.families.models import Document, Household
from portail.reservations.models import (
    Basket,
    BasketStatus,
    Booking,
    BookingStatus,
    HistoryDetail,
    HistoryEntry,
)
from tests import factories
from tests.world.web import fr, text_of


def load() -> None:
    call_command("load_demo", stdout=StringIO())


def counts() -> dict[str, int]:
    return {
        "bookings": Booking.objects.count(),
        "baskets": Basket.objects.count(),
        "credit": CreditEntry.objects.count(),
        "documents": Document.objects.count(),
        "history": HistoryEntry.objects.count(),
        "counter": CounterPayment.objects.count(),
    }


@pytest.mark.django_db(transaction=True)
def test_the_demo_has_paid_weeks_a_ticket_and_a_small_credit():
    load()
    household = Household.objects.get(name="PAGES-TEST")
    reserved = Booking.objects.filter(child__household=household, status=BookingStatus.RESERVED)
    assert {b.child.first_name for b in reserved} == {"Emy", "Lise"}
    assert all(b.session.date < timezone.localdate() for b in reserved)
    paid = Basket.objects.filter(household=household, status=BasketStatus.PAID)
    assert paid.exists()
    # Validated with OK, nothing to pay: the cancellation below, and the supervised homework
    # days (invoiced on booking, demo.invoices).
    assert Basket.objects.filter(household=household, status=BasketStatus.VALIDATED).count() == 2
    # One earlier cancellation gave a small credit, shown on the home page.
    assert credits.available_cents(household) == 370
    assert [e.kind for e in credits.entries(household)] == [CreditKind.CANCELLATION]
    # The tickets are in "Mes documents", dated when the payments happened.
    tickets = Document.objects.filter(household=household, kind=Document.Kind.PAYMENT_TICKET)
    assert tickets.count() == paid.count()
    for ticket in tickets:
        assert ticket.created_at < timezone.now() - timezone.timedelta(days=7)
        assert ticket.attachments.count() == 1
    # The parent sees the green days in the planning and the credit on the home page.
    client = Client()
    assert client.login(email="parent@example.org", password="parent-demo")
    canteen = reserved.filter(session__activity__name=CANTEEN_MALVES)
    first = canteen.order_by("session__date").first().session.date
    year, week, _ = first.isocalendar()
    planning = client.get(f"/planning/?week={year}-W{week:02d}").content.decode()
    assert planning.count("block state state--reserved") >= 4
    home = text_of(client.get("/").content.decode())
    assert fr("My credit (avoir): %(amount)s", amount="3,70\xa0€") in home
    # Loading again adds nothing.
    before = counts()
    load()
    assert counts() == before


@pytest.mark.django_db
def test_the_demo_organisation_uses_the_payfip_client_number_of_the_settings(settings):
    settings.PAYFIP_NUMCLI = "424242"
    load()
    assert Organisation.objects.get().payfip_numcli == "424242"
    assert not [m for m in checks.run_checks() if m.id == "portail.W001"]


@pytest.mark.django_db
def test_a_different_client_number_is_a_system_check_warning(settings):
    settings.PAYFIP_NUMCLI = "000000"
    factories.organisation(payfip_numcli="123456")
    [warning] = [m for m in checks.run_checks() if m.id == "portail.W001"]
    assert warning.level == checks.WARNING
    assert "123456" in warning.msg and "000000" in warning.msg


@pytest.mark.django_db
def test_no_warning_without_a_client_number_on_the_organisation(settings):
    factories.organisation(payfip_numcli="")
    assert not [m for m in checks.run_checks() if m.id == "portail.W001"]


def test_every_history_detail_billing_writes_has_a_label():
    from portail.billing.counter import DETAIL_COUNTER_PAID

    written = {
        DETAIL_PAID: "Paid online",
        DETAIL_VALIDATED: "Validated (nothing to pay)",
        DETAIL_CANCELLATION_VALIDATED: "Cancellation validated: price credited",
        DETAIL_NOT_CONFIRMED: "Not confirmed (place taken or day closed)",
        DETAIL_LATE_PAYMENT: "Confirmed by a payment received late",
        DETAIL_SESSION_CLOSED: "Day closed by the service: price credited",
        DETAIL_COUNTER_PAID: "Paid at the counter",
    }
    labels = dict(HistoryDetail.choices)
    with translation.override("en"):
        assert {code: str(labels[code]) for code in written} == written
