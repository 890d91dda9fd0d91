"""The demo's PayFiP simulator: its switches page (which lists the latest payments and
their idOps) is for the service's gestionnaires; its payment page still serves the parent
sent there by the portal; and it calls back, or sends browsers to, the portal's own
address only: an operation whose urlnotif or urlredirect is elsewhere is refused.

Development settings as in `make run`: no PORTAIL_BASE_URL, so the portal's own address
is the one the request came on (the test client's http://testserver).
"""

import pytest
from django.test import Client

from portail.payfip import soap
from portail.payfip_simulator.models import (
    SimulatedNotification,
    SimulatedOperation,
    SimulatorBehaviour,
)
from tests.world.commune import seed_family
from tests.world.payfip import PAGE_PATH, SOAP_PATH
from tests.world.staff import client_for, gestionnaire

pytestmark = pytest.mark.django_db

CONTROL = "/payfip-simulateur/"
OWN = "http://testserver"
SETTINGS_FORM = {
    "action": "save",
    "notification": "never",
    "late_seconds": "30",
    "notify_method": "GET",
    "soap_mode": "unavailable",
    "slow_seconds": "5",
}


@pytest.fixture(autouse=True)
def _development(settings):
    settings.PORTAIL_BASE_URL = ""


def create(urlnotif: str, urlredirect: str, **extra) -> tuple[int, str]:
    """creerPaiementSecurise on the simulator's SOAP endpoint: (status, answer)."""
    fields = [
        ("exer", "2026"),
        ("mel", "parent@example.org"),
        ("montant", "1480"),
        ("numcli", "012345"),
        ("objet", "Cantine"),
        ("refdet", "PF2026000123P1"),
        ("saisie", "T"),
        ("urlnotif", urlnotif),
        ("urlredirect", urlredirect),
    ]
    answer = Client().post(
        SOAP_PATH,
        soap.build_envelope(soap.CREATE_PAYMENT, fields),
        content_type="text/xml; charset=utf-8",
        **extra,
    )
    return answer.status_code, answer.content.decode()


# --- The switches page ------------------------------------------------------------------


def test_anonymous_visitors_get_the_login_page():
    for method in ("get", "post"):
        answer = getattr(Client(), method)(CONTROL, SETTINGS_FORM)
        assert answer.status_code == 302
        assert answer["Location"].startswith("/compte/connexion/?next=")
    assert SimulatorBehaviour.current().notification == "once"


def test_a_parent_gets_403_and_changes_nothing():
    fam = seed_family()
    client = client_for(fam.user)
    assert client.get(CONTROL).status_code == 403
    assert client.post(CONTROL, SETTINGS_FORM).status_code == 403
    assert client.post(CONTROL, {"action": "flush"}).status_code == 403
    behaviour = SimulatorBehaviour.current()
    assert (behaviour.notification, behaviour.soap_mode) == ("once", "normal")


def test_a_parent_never_sees_the_list_of_payments():
    status, answer = create(f"{OWN}/paiement/notification/", f"{OWN}/paiement/retour/")
    assert status == 200, answer
    idop = SimulatedOperation.objects.get().idop
    page = client_for(seed_family().user).get(CONTROL)
    assert page.status_code == 403
    assert idop not in page.content.decode()


def test_a_gestionnaire_sets_the_switches():
    client = client_for(gestionnaire())
    assert client.get(CONTROL).status_code == 200
    assert client.post(CONTROL, SETTINGS_FORM).status_code == 302
    assert SimulatorBehaviour.current().soap_mode == "unavailable"


# --- Only the portal's own addresses ----------------------------------------------------


def test_the_portals_own_addresses_are_accepted_and_the_parent_can_pay():
    status, answer = create(f"{OWN}/paiement/notification/", f"{OWN}/paiement/retour/")
    assert status == 200, answer
    idop = SimulatedOperation.objects.get().idop
    # The payment page is the parent's (no staff login needed), as PayFiP's is.
    assert client_for(seed_family().user).get(PAGE_PATH, {"idop": idop}).status_code == 200
    assert Client().get(PAGE_PATH, {"idop": idop}).status_code == 200


@pytest.mark.parametrize(
    "foreign",
    [
        "https://evil.example.net/paiement/notification/",
        "http://testserver.evil.example.net/paiement/notification/",
        "http://testserver@evil.example.net/paiement/notification/",
        "http://evil.example.net\\@testserver/paiement/notification/",
        "http://testserver:6379/",  # another port of the same machine
        "https://testserver/paiement/notification/",  # another scheme
        "http://127.0.0.1/paiement/notification/",  # another name of the machine
    ],
)
def test_a_foreign_urlnotif_or_urlredirect_is_refused(foreign):
    status, answer = create(foreign, f"{OWN}/paiement/retour/")
    assert status == 500
    assert "<code>N1</code>" in answer
    status, answer = create(f"{OWN}/paiement/notification/", foreign)
    assert status == 500
    assert "<code>D1</code>" in answer
    assert not SimulatedOperation.objects.exists()


def test_a_port_written_in_the_host_header_is_not_the_portals(settings):
    """The Host header's name is checked by ALLOWED_HOSTS, its port is not: the port is
    the server's own (the test client's 80), so a forged Host cannot aim the simulator at
    another port of the machine."""
    status, answer = create(
        "http://testserver:6379/", "http://testserver:6379/", HTTP_HOST="testserver:6379"
    )
    assert (status, "<code>N1</code>" in answer) == (500, True)
    assert not SimulatedOperation.objects.exists()


def test_a_set_portail_base_url_is_the_only_own_address(settings):
    settings.PORTAIL_BASE_URL = "https://portail.example.org/famille/"
    base = "https://portail.example.org/famille"
    assert create(f"{OWN}/paiement/notification/", f"{OWN}/paiement/retour/")[0] == 500
    assert (
        create("https://portail.example.org/autre/notification/", f"{base}/paiement/retour/")[0]
        == 500
    )
    status, answer = create(f"{base}/paiement/notification/", f"{base}/paiement/retour/")
    assert status == 200, answer


def test_an_operation_stored_with_a_foreign_address_is_never_followed():
    """An operation kept from before (or written around the endpoint): its page is
    unknown, so the browser is never sent there and no notification is scheduled."""
    operation = SimulatedOperation.objects.create(
        idop="4b0eb5b0-b335-11e2-9219-001fe256bdfe",
        numcli="012345",
        exer="2026",
        refdet="PF2026000123P1",
        montant_cents=1480,
        mel="parent@example.org",
        saisie="T",
        urlnotif=f"{OWN}/paiement/notification/",
        urlredirect="https://evil.example.net/",
    )
    client = Client()
    assert client.get(PAGE_PATH, {"idop": operation.idop}).status_code == 404
    answer = client.post(
        f"{PAGE_PATH}?idop={operation.idop}",
        {
            "idop": operation.idop,
            "action": "pay",
            "card_number": "4970 1012 3456 7893",
            "expiry": "12/39",
            "cvv": "123",
            "outcome": "P",
        },
    )
    assert answer.status_code == 404
    assert "evil.example.net" not in answer.get("Location", "")
    operation.refresh_from_db()
    assert operation.resultrans == ""
    assert not SimulatedNotification.objects.exists()
