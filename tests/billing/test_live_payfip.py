"""Checkout and confirmation against the PayFiP simulator over real HTTP.

The live server serves the simulator (SOAP endpoint and payment page) and the portal's
notification and return paths; the portal's client calls the simulator for real, the
simulator notifies the portal for real, and the portal asks the simulator for the detail.
"""

import datetime
import logging
import time

import pytest
import requests
from django.core.management import call_command
from django.utils import timezone

from portail.billing import credits, payments
from portail.billing.checkout import CheckoutRefused, checkout
from portail.billing.models import Payment, PaymentState
from portail.payfip_simulator.models import NotificationMode, SimulatorBehaviour, SoapMode
from portail.reservations.models import (
    Basket,
    BasketStatus,
    Booking,
    BookingStatus,
    Channel,
    HistoryEntry,
)
from tests.world.booking import all_days, submit
from tests.world.commune import seed_family

# The simulator notifies and sends the browser back to stand-ins (tests/billing/urls.py)
# that only refresh the payment and answer its state.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.urls("tests.billing.urls")]


@pytest.fixture
def confirmed():
    sent = []

    def receiver(payment, settlement, **kwargs):
        sent.append(payment.pk)

    payments.payment_confirmed.connect(receiver)
    yield sent
    payments.payment_confirmed.disconnect(receiver)


def start(world):
    result = checkout(world.household, actor=world.user, channel=Channel.WEB)
    assert result.status == "awaiting_payment"
    return result


def test_pay_on_payfip_and_the_notification_confirms_the_basket(simulator, confirmed):
    world = seed_family(names=("Emy",))
    basket = submit(world, all_days(world), now=timezone.now())
    result = start(world)
    payment = result.payment
    assert result.payment_url == f"{simulator.page_url}?idop={payment.idop}"
    page = simulator.open_page(payment.idop)
    assert page.status_code == 200
    assert "14,80" in page.text and payment.refdet in page.text
    answer = simulator.submit(payment.idop, outcome="P")
    assert answer.status_code == 302
    # The notification already came (server to server) and confirmed everything.
    payment.refresh_from_db()
    assert payment.state == PaymentState.PAID
    assert (payment.resultrans, len(payment.numauto)) == ("P", 6)
    assert payment.payer_mel == world.user.email
    basket.refresh_from_db()
    assert basket.status == BasketStatus.PAID
    assert set(Booking.objects.values_list("status", flat=True)) == {BookingStatus.RESERVED}
    assert confirmed == [payment.pk]
    # The browser comes back: it sees "paid", and nothing is confirmed twice.
    back = requests.get(answer.headers["Location"], timeout=10)
    assert (back.status_code, back.text) == (200, "paid")
    assert confirmed == [payment.pk]
    assert HistoryEntry.objects.filter(detail="paid").count() == 4


def test_twice_notified_is_confirmed_once(simulator, confirmed):
    SimulatorBehaviour.objects.create(pk=1, notification=NotificationMode.TWICE)
    world = seed_family(names=("Emy",))
    submit(world, all_days(world), now=timezone.now())
    payment = start(world).payment
    simulator.submit(payment.idop, outcome="P")
    assert Payment.objects.get(pk=payment.pk).state == PaymentState.PAID
    assert confirmed == [payment.pk]
    assert HistoryEntry.objects.filter(detail="paid").count() == 4


def test_never_notified_the_poll_confirms_it(simulator, confirmed):
    SimulatorBehaviour.objects.create(pk=1, notification=NotificationMode.NEVER)
    world = seed_family(names=("Emy",))
    submit(world, all_days(world), now=timezone.now())
    payment = start(world).payment
    # Still paying: P5, pending.
    call_command("check_payments", verbosity=0)
    assert Payment.objects.get(pk=payment.pk).state == PaymentState.PENDING
    simulator.submit(payment.idop, outcome="P")
    assert Payment.objects.get(pk=payment.pk).state == PaymentState.PENDING
    call_command("check_payments", verbosity=0)
    assert Payment.objects.get(pk=payment.pk).state == PaymentState.PAID
    assert confirmed == [payment.pk]
    call_command("check_payments", verbosity=0)
    assert confirmed == [payment.pk]


def test_refused_on_payfip_then_paid_on_the_second_try(simulator, confirmed):
    world = seed_family(names=("Emy",))
    basket = submit(world, all_days(world), now=timezone.now())
    first = start(world).payment
    simulator.submit(first.idop, outcome="R")
    assert Payment.objects.get(pk=first.pk).state == PaymentState.REFUSED
    basket.refresh_from_db()
    assert basket.status == BasketStatus.OPEN
    second = start(world).payment
    assert second.refdet == f"{basket.reference}P2"
    simulator.submit(second.idop, outcome="V")
    assert Payment.objects.get(pk=second.pk).state == PaymentState.PAID
    assert confirmed == [second.pk]


def test_abandoned_on_payfip_is_final_after_the_grace(simulator, settings):
    settings.PAYFIP_ABANDON_GRACE_MINUTES = 5
    world = seed_family(names=("Emy",))
    submit(world, all_days(world), now=timezone.now())
    payment = start(world).payment
    simulator.submit(payment.idop, action="abandon")
    payment.refresh_from_db()
    assert payment.state == PaymentState.PENDING
    assert payment.abandon_reported_at is not None
    assert payments.check_pending_payments(now=timezone.now() + datetime.timedelta(minutes=2)) == 0
    assert payments.check_pending_payments(now=timezone.now() + datetime.timedelta(minutes=6)) == 1
    assert Payment.objects.get(pk=payment.pk).state == PaymentState.ABANDONED
    assert Basket.objects.get(pk=payment.basket_id).status == BasketStatus.OPEN


def test_payfip_too_slow_at_payer_keeps_the_basket_open(simulator, settings, caplog):
    SimulatorBehaviour.objects.create(pk=1, soap_mode=SoapMode.SLOW, slow_seconds=2)
    settings.PAYFIP_TIMEOUT_SECONDS = 1
    world = seed_family(names=("Emy",))
    basket = submit(world, all_days(world), now=timezone.now())
    with caplog.at_level(logging.WARNING), pytest.raises(CheckoutRefused) as refused:
        start(world)
    assert refused.value.code == "payfip_unavailable"
    assert "réessayer" in refused.value.message  # French, the default language
    payment = Payment.objects.get()
    assert (payment.state, payment.error_code) == (PaymentState.FAILED, "unavailable")
    basket.refresh_from_db()
    assert basket.status == BasketStatus.OPEN
    time.sleep(1.5)  # let the simulator finish its slow answer while the database is there
    # PayFiP is back: the parent pays.
    SimulatorBehaviour.objects.filter(pk=1).update(soap_mode=SoapMode.NORMAL)
    settings.PAYFIP_TIMEOUT_SECONDS = 10
    assert start(world).payment.attempt == 2


def test_payfip_error_page_at_payer(simulator):
    SimulatorBehaviour.objects.create(pk=1, soap_mode=SoapMode.UNAVAILABLE)
    world = seed_family(names=("Emy",))
    submit(world, all_days(world), now=timezone.now())
    with pytest.raises(CheckoutRefused) as refused:
        start(world)
    assert refused.value.code == "payfip_unavailable"
    assert Basket.objects.get().status == BasketStatus.OPEN


def test_the_credit_is_sent_off_the_amount_and_used_on_payment(simulator, confirmed):
    from tests import factories

    world = seed_family(names=("Emy",))
    credits.adjust(world.household, 740, reason="Geste", actor=factories.staff())
    submit(world, all_days(world), now=timezone.now())
    payment = start(world).payment
    page = simulator.open_page(payment.idop)
    assert "7,40" in page.text  # PayFiP shows the amount after the credit
    simulator.submit(payment.idop, outcome="P")
    assert Payment.objects.get(pk=payment.pk).state == PaymentState.PAID
    assert credits.balance_cents(world.household) == 0
