"""The simulator's notifications to urlnotif: once, twice, late, never, GET or POST."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from portail.payfip import client
from portail.payfip_simulator.models import (
    NotificationMode,
    NotifyMethod,
    ReceivedNotification,
    SimulatedNotification,
    SimulatedOperation,
    SimulatorBehaviour,
)
from portail.payfip_simulator.notify import send_due_notifications
from tests.world.payfip import payment_request
from tests.world.staff import gestionnaire
from tests.world.web import Browser

pytestmark = pytest.mark.django_db(transaction=True)


def staff_session(simulator):
    """A gestionnaire signed in on the live server: the switches page is theirs."""
    browser = Browser(simulator.base)
    browser.login(gestionnaire().email, password="staff-pass-123")
    return browser.session


def create(simulator) -> str:
    return client.create_payment(
        payment_request(), urlnotif=simulator.sink_url, urlredirect=simulator.redirect_url
    )


def received(idop: str) -> list[ReceivedNotification]:
    return list(ReceivedNotification.objects.filter(idop=idop))


def test_a_payment_is_notified_once_by_post_with_the_idop_only(simulator):
    idop = create(simulator)
    simulator.submit(idop, outcome="P")
    [notification] = received(idop)
    assert notification.method == "POST"
    assert notification.body == f"idOp={idop}"
    [sent] = SimulatedNotification.objects.all()
    assert sent.http_status == 200 and sent.sent_at is not None and sent.error == ""
    # The notification proves nothing by itself: the detail does.
    assert client.get_payment_detail(idop).is_paid


@pytest.mark.parametrize("outcome", ["R", "A"])
def test_refused_and_abandoned_payments_are_notified_too(simulator, outcome):
    idop = create(simulator)
    simulator.submit(idop, outcome=outcome, action="abandon" if outcome == "A" else "pay")
    assert len(received(idop)) == 1


def test_notification_by_get_carries_the_idop_in_the_query(simulator):
    SimulatorBehaviour.objects.create(pk=1, notify_method=NotifyMethod.GET)
    idop = create(simulator)
    simulator.submit(idop)
    [notification] = received(idop)
    assert notification.method == "GET"
    assert notification.query == f"idOp={idop}"


def test_global_switch_twice_sends_two_notifications(simulator):
    SimulatorBehaviour.objects.create(pk=1, notification=NotificationMode.TWICE)
    idop = create(simulator)
    simulator.submit(idop)
    assert len(received(idop)) == 2
    assert SimulatedNotification.objects.filter(http_status=200).count() == 2


def test_global_switch_never_sends_nothing_but_the_detail_still_answers(simulator):
    SimulatorBehaviour.objects.create(pk=1, notification=NotificationMode.NEVER)
    idop = create(simulator)
    assert simulator.submit(idop).status_code == 302
    assert received(idop) == []
    assert not SimulatedNotification.objects.exists()
    assert client.get_payment_detail(idop).is_paid


def test_late_notification_waits_in_the_database_until_the_flush_command(simulator):
    SimulatorBehaviour.objects.create(pk=1, notification=NotificationMode.LATE, late_seconds=300)
    idop = create(simulator)
    simulator.submit(idop)
    assert received(idop) == []
    [pending] = SimulatedNotification.objects.all()
    assert pending.sent_at is None
    assert pending.due_at > timezone.now() + timedelta(seconds=290)

    call_command("payfip_simulator_flush", verbosity=0)
    assert received(idop) == []  # not due yet

    SimulatedNotification.objects.update(due_at=timezone.now() - timedelta(seconds=1))
    call_command("payfip_simulator_flush", verbosity=0)
    assert len(received(idop)) == 1
    call_command("payfip_simulator_flush", verbosity=0)
    assert len(received(idop)) == 1  # sent once only


def test_a_due_late_notification_is_sent_when_the_simulator_is_next_used(simulator):
    SimulatorBehaviour.objects.create(pk=1, notification=NotificationMode.LATE, late_seconds=60)
    idop = create(simulator)
    simulator.submit(idop)
    SimulatedNotification.objects.update(due_at=timezone.now() - timedelta(seconds=1))
    assert received(idop) == []
    client.get_payment_detail(idop)  # any SOAP call sends what is due
    assert len(received(idop)) == 1


def test_a_payment_can_choose_its_own_notification_on_the_page(simulator):
    SimulatorBehaviour.objects.create(pk=1, notification=NotificationMode.ONCE)
    idop = create(simulator)
    simulator.submit(idop, notification=NotificationMode.NEVER)
    assert received(idop) == []
    assert SimulatedOperation.objects.get(idop=idop).notification == NotificationMode.NEVER


def test_a_payment_can_be_given_its_own_notification_from_a_test(simulator):
    idop = create(simulator)
    SimulatedOperation.objects.filter(idop=idop).update(notification=NotificationMode.TWICE)
    simulator.submit(idop)
    assert len(received(idop)) == 2


def test_an_unreachable_urlnotif_is_recorded_not_retried(simulator, settings):
    # The portal's own address, where nothing answers (the simulator calls nothing else).
    settings.PORTAIL_BASE_URL = "http://127.0.0.1:9"
    idop = client.create_payment(
        payment_request(),
        urlnotif="http://127.0.0.1:9/notif",
        urlredirect="http://127.0.0.1:9/retour-paiement/",
    )
    assert simulator.submit(idop).status_code == 302
    [notification] = SimulatedNotification.objects.all()
    assert notification.sent_at is not None
    assert notification.http_status is None
    assert "ConnectionError" in notification.error
    assert send_due_notifications() == 0


def test_a_claimed_notification_is_not_sent_by_another_process(simulator):
    SimulatorBehaviour.objects.create(pk=1, notification=NotificationMode.LATE, late_seconds=60)
    idop = create(simulator)
    simulator.submit(idop)
    SimulatedNotification.objects.update(
        due_at=timezone.now() - timedelta(seconds=1), claimed_at=timezone.now()
    )
    assert send_due_notifications() == 0
    # A claim whose process died is taken over after five minutes.
    SimulatedNotification.objects.update(claimed_at=timezone.now() - timedelta(minutes=6))
    assert send_due_notifications() == 1
    assert len(received(idop)) == 1


def test_switches_can_be_set_from_the_simulator_page(simulator):
    session = staff_session(simulator)
    page = session.get(simulator.base + "/payfip-simulateur/", timeout=10)
    assert page.status_code == 200
    token = page.text.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    answer = session.post(
        simulator.base + "/payfip-simulateur/",
        data={
            "csrfmiddlewaretoken": token,
            "action": "save",
            "notification": "late",
            "late_seconds": "30",
            "notify_method": "GET",
            "soap_mode": "normal",
            "slow_seconds": "5",
        },
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 302
    behaviour = SimulatorBehaviour.current()
    assert (behaviour.notification, behaviour.late_seconds, behaviour.notify_method) == (
        "late",
        30,
        "GET",
    )
    bad = session.post(
        simulator.base + "/payfip-simulateur/",
        data={
            "csrfmiddlewaretoken": token,
            "action": "save",
            "notification": "late",
            "late_seconds": "30",
            "notify_method": "GET",
            "soap_mode": "slow",
            "slow_seconds": "600",
        },
        timeout=10,
    )
    assert bad.status_code == 400
    assert SimulatorBehaviour.current().soap_mode == "normal"


def test_the_flush_button_sends_due_notifications(simulator):
    SimulatorBehaviour.objects.create(pk=1, notification=NotificationMode.LATE, late_seconds=60)
    idop = create(simulator)
    simulator.submit(idop)
    session = staff_session(simulator)
    page = session.get(simulator.base + "/payfip-simulateur/", timeout=10)
    assert idop in page.text
    assert received(idop) == []  # not due yet
    token = page.text.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    SimulatedNotification.objects.update(due_at=timezone.now() - timedelta(seconds=1))
    answer = session.post(
        simulator.base + "/payfip-simulateur/",
        data={"csrfmiddlewaretoken": token, "action": "flush"},
        timeout=10,
    )
    assert answer.status_code == 200
    assert len(received(idop)) == 1
