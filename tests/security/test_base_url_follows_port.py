"""`PORT=8001 make run`: without PORTAIL_BASE_URL, in development, the portal's own address
is the one each request came on, so PayFiP's urlnotif/urlredirect, the simulator's
endpoints and the links in e-mails follow the port (and host) the server is reached on,
instead of a fixed http://127.0.0.1:8000 where nothing listens.

The whole payment runs over real HTTP on pytest-django's live server (a random port, never
8000), with PORTAIL_BASE_URL left unset as in a fresh checkout of the project.
"""

import os
from urllib.parse import urlsplit

import pytest
from django.core import mail

from portail.billing.models import Payment, PaymentState
from portail.core import base_url
from portail.payfip_simulator.models import SimulatedNotification, SimulatedOperation
from tests.world.commune import seed_days, seed_family
from tests.world.payfip import Simulator
from tests.world.web import Browser

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def development(settings):
    """The development defaults: no PORTAIL_BASE_URL, PayFiP is the built-in simulator."""
    assert "PORTAIL_BASE_URL" not in os.environ, "the test needs the setting's default"
    assert not settings.PRODUCTION
    settings.PAYFIP_WS_URL = ""
    settings.PAYFIP_PAYMENT_URL = ""
    settings.PAYFIP_TIMEOUT_SECONDS = 10
    mail.outbox = []
    yield
    mail.outbox = []


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1"])
def test_a_payment_on_another_port_travels_on_that_port(live_server, development, host):
    port = urlsplit(live_server.url).port
    assert port != 8000
    here = f"http://{host}:{port}"
    fam = seed_family()
    browser = Browser(here)
    browser.login(fam.user.email)
    browser.submit_days(fam, add=seed_days(fam))

    answer = browser.checkout()
    assert answer.status_code == 302, answer.text
    payment = Payment.objects.get()
    assert answer.headers["Location"] == (
        f"{here}/payfip-simulateur/tpa/paiementws.web?idop={payment.idop}"
    )
    operation = SimulatedOperation.objects.get(idop=payment.idop)
    assert operation.urlnotif == f"{here}/paiement/notification/"
    assert operation.urlredirect == f"{here}/paiement/retour/"

    # The parent pays; the simulator notifies the portal on this port, and sends the
    # browser back to the return page on this port, where its session cookie is.
    paid = Simulator(base=here).submit(payment.idop, outcome="P")
    assert paid.status_code == 302
    assert paid.headers["Location"] == f"{here}/paiement/retour/?idop={payment.idop}"
    [notification] = SimulatedNotification.objects.all()
    assert notification.http_status == 200
    payment.refresh_from_db()
    assert payment.state == PaymentState.PAID
    assert browser.get(paid.headers["Location"]).status_code == 200

    # The ticket e-mailed on the notification links to this port too.
    [ticket] = [m for m in mail.outbox if fam.user.email in m.to]
    assert f"{here}/" in ticket.body
    assert "127.0.0.1:8000" not in ticket.body


def test_outside_a_request_the_development_default_and_a_set_address_wins(settings):
    settings.PORTAIL_BASE_URL = ""
    assert base_url.base_url() == base_url.DEVELOPMENT_DEFAULT
    settings.PORTAIL_BASE_URL = "https://portail.example.org/famille/"
    assert base_url.base_url() == "https://portail.example.org/famille"
