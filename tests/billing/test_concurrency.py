"""Notification and browser return at the same time: confirmed exactly once.

PayFiP's notification and the parent's return arrive together, several times. Threads
send them over real HTTP to the live server (each handled in its own server thread with
its own database connection), on SQLite and PostgreSQL; on PostgreSQL separate processes
(as gunicorn workers) also race, where the row locks matter.
"""

import multiprocessing
import threading

import pytest
import requests
from django.db import connections
from django.utils import timezone

from portail.billing import credits, payments
from portail.billing.checkout import checkout
from portail.billing.models import Payment, PaymentState
from portail.payfip_simulator.models import NotificationMode, SimulatorBehaviour
from portail.reservations.models import Booking, BookingStatus, Channel, HistoryEntry
from tests.world.booking import all_days, submit
from tests.world.commune import seed_family

# The simulator notifies and sends the browser back to stand-ins (tests/billing/urls.py)
# that only refresh the payment and answer its state.
pytestmark = [
    pytest.mark.concurrency,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("tests.billing.urls"),
]

RACERS = 8


def paid_on_payfip(simulator, credit_cents: int = 0) -> Payment:
    """A basket of four days, paid on the simulator, not yet notified."""
    SimulatorBehaviour.objects.create(pk=1, notification=NotificationMode.NEVER)
    world = seed_family(names=("Emy",))
    if credit_cents:
        from tests import factories

        credits.adjust(world.household, credit_cents, reason="Geste", actor=factories.staff())
    submit(world, all_days(world), now=timezone.now())
    payment = checkout(world.household, actor=world.user, channel=Channel.WEB).payment
    assert simulator.submit(payment.idop, outcome="P").status_code == 302
    assert Payment.objects.get(pk=payment.pk).state == PaymentState.PENDING
    return payment


def check_once(payment: Payment, signals: list) -> None:
    payment.refresh_from_db()
    assert payment.state == PaymentState.PAID
    assert signals == [payment.pk]
    assert HistoryEntry.objects.filter(detail="paid").count() == 4
    assert Booking.objects.filter(status=BookingStatus.RESERVED).count() == 4
    # The credit was used once.
    assert [e.amount_cents for e in credits.entries(payment.household)] == [370, -370]


def test_notifications_and_returns_over_http_at_the_same_time(simulator):
    payment = paid_on_payfip(simulator, credit_cents=370)
    signals: list[int] = []

    def receiver(payment, settlement, **kwargs):
        signals.append(payment.pk)

    payments.payment_confirmed.connect(receiver)
    barrier = threading.Barrier(RACERS)
    answers: list = [None] * RACERS
    notify = simulator.base + payments.NOTIFY_PATH
    back = simulator.base + payments.RETURN_PATH

    def race(index: int) -> None:
        barrier.wait(timeout=30)
        if index % 2:
            response = requests.post(notify, data={"idOp": payment.idop}, timeout=60)
        else:
            response = requests.get(back, params={"idop": payment.idop}, timeout=60)
        answers[index] = (response.status_code, response.text)

    threads = [threading.Thread(target=race, args=(i,)) for i in range(RACERS)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        payments.payment_confirmed.disconnect(receiver)
    assert [a[0] for a in answers] == [200] * RACERS
    assert {a[1] for i, a in enumerate(answers) if i % 2 == 0} == {"paid"}
    check_once(payment, signals)


def _process_race(barrier, results, idop, source) -> None:
    """In a forked process: its own database connection, as another app server has."""
    try:
        barrier.wait(timeout=30)
        payment = payments.refresh_payment(idop, source=source)
        results.put(("done", payment.state if payment else None))
    except BaseException as error:  # the parent asserts on it
        results.put(("error", repr(error)))
    finally:
        connections.close_all()


def test_processes_confirming_at_the_same_time(simulator):
    if connections["default"].vendor != "postgresql":
        pytest.skip("separate processes race on row locks: PostgreSQL only")
    payment = paid_on_payfip(simulator, credit_cents=370)
    context = multiprocessing.get_context("fork")
    results = context.Queue()

    def receiver(payment, settlement, **kwargs):
        results.put(("signal", payment.pk))

    payments.payment_confirmed.connect(receiver)
    connections.close_all()
    barrier = context.Barrier(RACERS)
    sources = [payments.SOURCE_NOTIFICATION, payments.SOURCE_RETURN, payments.SOURCE_POLL]
    processes = [
        context.Process(target=_process_race, args=(barrier, results, payment.idop, sources[i % 3]))
        for i in range(RACERS)
    ]
    try:
        for process in processes:
            process.start()
        for process in processes:
            process.join(timeout=120)
            assert process.exitcode == 0
    finally:
        payments.payment_confirmed.disconnect(receiver)
    messages = []
    while not results.empty():
        messages.append(results.get(timeout=5))
    done = [m for m in messages if m[0] == "done"]
    assert done == [("done", PaymentState.PAID)] * RACERS, messages
    signals = [m[1] for m in messages if m[0] == "signal"]
    check_once(payment, signals)
