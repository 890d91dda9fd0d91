"""The portal's PayFiP client against the simulator, over real HTTP."""

import io
import socket
import time
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from portail.payfip import client
from portail.payfip.errors import PayfipError
from portail.payfip_simulator.models import (
    SimulatedOperation,
    SimulatorBehaviour,
    SoapExchange,
    SoapMode,
)
from tests.world.payfip import SOAP_PATH, payment_request

pytestmark = pytest.mark.django_db(transaction=True)

NS = (
    "http://securite.service.tpa.cp.finances.gouv.fr/services/mas_securite/"
    "contrat_paiement_securise/PaiementSecuriseService"
)


def create(simulator, **changes) -> str:
    return client.create_payment(
        payment_request(**changes), urlnotif=simulator.sink_url, urlredirect=simulator.redirect_url
    )


def test_create_payment_returns_an_idop_and_the_payment_page_url(simulator):
    idop = create(simulator)
    assert len(idop) == 36 and idop.count("-") == 4
    operation = SimulatedOperation.objects.get(idop=idop)
    assert (operation.refdet, operation.montant_cents, operation.numcli) == (
        "PF2025000123",
        1480,
        "012345",
    )
    assert operation.objet == "Cantine Malves semaine 12"
    assert client.payment_page_url(idop) == f"{simulator.page_url}?idop={idop}"


def test_the_envelope_sent_has_payfip_namespace_and_field_order(simulator):
    idop = create(simulator, objet="Cantine Été", mel="parent@example.org")
    exchange = SoapExchange.objects.get(operation="creerPaiementSecurise")
    assert exchange.soap_action == '""'
    assert exchange.content_type == "text/xml; charset=utf-8"
    assert exchange.request_body == (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
        f'xmlns:pai="{NS}">'
        "<soapenv:Header/><soapenv:Body><pai:creerPaiementSecurise><arg0>"
        "<exer>2025</exer>"
        "<mel>parent@example.org</mel>"
        "<montant>1480</montant>"
        "<numcli>012345</numcli>"
        "<objet>Cantine Ete</objet>"
        "<refdet>PF2025000123</refdet>"
        "<saisie>T</saisie>"
        f"<urlnotif>{simulator.sink_url}</urlnotif>"
        f"<urlredirect>{simulator.redirect_url}</urlredirect>"
        "</arg0></pai:creerPaiementSecurise></soapenv:Body></soapenv:Envelope>"
    )
    with pytest.raises(PayfipError):
        client.get_payment_detail(idop)
    detail_exchange = SoapExchange.objects.filter(operation="recupererDetailPaiementSecurise").get()
    assert detail_exchange.request_body.endswith(
        f"<pai:recupererDetailPaiementSecurise><arg0><idOp>{idop}</idOp></arg0>"
        "</pai:recupererDetailPaiementSecurise></soapenv:Body></soapenv:Envelope>"
    )


def test_an_empty_objet_is_left_out_of_the_envelope(simulator):
    create(simulator, objet="€ ! ?")
    body = SoapExchange.objects.get(operation="creerPaiementSecurise").request_body
    assert "<objet>" not in body
    assert "<numcli>012345</numcli><refdet>" in body


def test_detail_while_the_parent_is_paying_is_fault_p5(simulator):
    idop = create(simulator)
    with pytest.raises(PayfipError) as info:
        client.get_payment_detail(idop)
    assert info.value.code == "P5"
    assert info.value.is_pending


@pytest.mark.parametrize(
    ("outcome", "paid", "refused"),
    [("P", True, False), ("V", True, False), ("R", False, True), ("Z", False, True)],
)
def test_detail_after_the_card_form_gives_the_result(simulator, outcome, paid, refused):
    idop = create(simulator, montant_cents=2590, refdet="PF2025000777")
    before = timezone.now().replace(second=0, microsecond=0)
    answer = simulator.submit(idop, outcome=outcome)
    assert answer.status_code == 302
    detail = client.get_payment_detail(idop)
    assert detail.resultrans == outcome
    assert (detail.is_paid, detail.is_refused) == (paid, refused)
    assert detail.idop == idop
    assert detail.montant_cents == 2590
    assert detail.refdet == "PF2025000777"
    assert detail.numcli == "012345"
    assert detail.mel == "parent@example.org"
    assert detail.exer == 2025
    assert detail.saisie == "T"
    assert detail.objet == "Cantine Malves semaine 12"
    assert before <= detail.transaction_at <= timezone.now()
    assert str(detail.transaction_at.tzinfo) == "Europe/Paris"
    if outcome == "P":
        assert len(detail.numauto) == 6 and detail.numauto.isdigit()
        assert detail.paid_at == detail.transaction_at
    elif not paid:
        assert detail.paid_at is None


def test_detail_after_abandon_is_a(simulator):
    idop = create(simulator)
    answer = simulator.submit(idop, action="abandon", card_number="")
    assert answer.status_code == 302
    detail = client.get_payment_detail(idop)
    assert detail.is_abandoned and detail.numauto == ""


def test_unknown_idop_is_fault_p1(simulator):
    with pytest.raises(PayfipError) as info:
        client.get_payment_detail("4b0eb5b0-b335-11e2-9219-001fe256bdfe")
    assert info.value.code == "P1"
    assert info.value.is_unknown_idop


def test_unfinished_idop_is_purged_after_a_day_p5_then_p1(simulator):
    idop = create(simulator)
    SimulatedOperation.objects.filter(idop=idop).update(
        created_at=timezone.now() - timedelta(minutes=20)
    )
    with pytest.raises(PayfipError) as info:
        client.get_payment_detail(idop)
    assert info.value.code == "P5"  # page expired, but not purged yet
    SimulatedOperation.objects.filter(idop=idop).update(
        created_at=timezone.now() - timedelta(days=1, minutes=1)
    )
    with pytest.raises(PayfipError) as info:
        client.get_payment_detail(idop)
    assert info.value.code == "P1"


def create_fields(simulator, **changes):
    fields = {
        "exer": "2025",
        "mel": "parent@example.org",
        "montant": "1480",
        "numcli": "012345",
        "objet": "Cantine",
        "refdet": "PF2025000123",
        "saisie": "T",
        "urlnotif": simulator.sink_url,
        "urlredirect": simulator.redirect_url,
    }
    fields.update(changes)
    return list(fields.items())


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"refdet": "AB-12"}, "R3"),
        ({"refdet": "A" * 31}, "R3"),
        ({"mel": "parent.example.org"}, "A2"),
        ({"mel": ""}, "A1"),
        ({"montant": "99"}, "M3"),
        ({"montant": "10000001"}, "M5"),
        ({"montant": "14,80"}, "M1"),
        ({"numcli": "12345"}, "T1"),
        ({"saisie": "M"}, "S1"),
        ({"urlnotif": "notif"}, "N1"),
        ({"urlredirect": "retour"}, "D1"),
    ],
)
def test_the_server_faults_for_bad_fields_become_their_codes(simulator, change, code):
    """The client checks its inputs first; sent unchecked, PayFiP's faults come back."""
    with pytest.raises(PayfipError) as info:
        client.call_operation("creerPaiementSecurise", create_fields(simulator, **change))
    assert info.value.code == code
    assert not SimulatedOperation.objects.exists()


def test_bad_inputs_are_refused_before_any_call(simulator):
    for changes, code in [
        ({"refdet": "AB-12"}, "refdet"),
        ({"mel": "parent.example.org"}, "mel"),
        ({"montant_cents": 50}, "montant"),
        ({"exer": 25}, "exer"),
    ]:
        with pytest.raises(ValidationError) as info:
            create(simulator, **changes)
        assert info.value.code == code
    with pytest.raises(ValidationError):
        client.create_payment(payment_request(), urlnotif="/relative", urlredirect="/x")
    with pytest.raises(ValidationError):
        client.get_payment_detail("not an idop!")
    assert not SoapExchange.objects.exists()


def test_client_detail_reads_the_regie_labels(simulator):
    detail = client.get_client_detail()
    assert detail.numcli == "012345"
    assert detail.libelle_n1
    exchange = SoapExchange.objects.get(operation="recupererDetailClient")
    assert "<pai:recupererDetailClient><arg0><numCli>012345</numCli></arg0>" in (
        exchange.request_body
    )


def test_without_payfip_ws_url_the_client_uses_the_simulator_of_this_site(simulator, settings):
    settings.PAYFIP_WS_URL = ""
    settings.PAYFIP_PAYMENT_URL = ""
    assert client.uses_simulator()
    assert client.ws_url() == simulator.base + SOAP_PATH
    idop = create(simulator)
    assert client.payment_page_url(idop) == f"{simulator.page_url}?idop={idop}"


def test_with_payfip_ws_url_the_client_talks_to_that_payfip(settings):
    settings.PAYFIP_WS_URL = "https://payfip.example.org/tpa/services/securite"
    settings.PAYFIP_PAYMENT_URL = ""
    assert not client.uses_simulator()
    assert client.ws_url() == "https://payfip.example.org/tpa/services/securite"
    assert client.payment_page_url("abc-123") == (
        "https://www.payfip.gouv.fr/tpa/paiementws.web?idop=abc-123"
    )


# --- Transport troubles -----------------------------------------------------------------


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_server_that_is_down_is_unavailable(settings):
    settings.PAYFIP_WS_URL = f"http://127.0.0.1:{closed_port()}/tpa/services/securite"
    with pytest.raises(PayfipError) as info:
        client.get_payment_detail("4b0eb5b0-b335-11e2-9219-001fe256bdfe")
    assert info.value.code == "unavailable"
    assert info.value.is_transient


def test_a_slow_server_is_unavailable_after_the_timeout(simulator, settings):
    SimulatorBehaviour.objects.create(pk=1, soap_mode=SoapMode.SLOW, slow_seconds=3)
    settings.PAYFIP_TIMEOUT_SECONDS = 1
    started = time.monotonic()
    with pytest.raises(PayfipError) as info:
        client.get_payment_detail("4b0eb5b0-b335-11e2-9219-001fe256bdfe")
    assert info.value.code == "unavailable"
    assert time.monotonic() - started < 2.5
    # Let the simulator finish its slow answer before the database is emptied.
    deadline = time.monotonic() + 10
    while not SoapExchange.objects.exists() and time.monotonic() < deadline:
        time.sleep(0.1)


def test_a_server_that_never_answers_is_unavailable_after_the_timeout(settings):
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        settings.PAYFIP_WS_URL = f"http://127.0.0.1:{server.getsockname()[1]}/securite"
        settings.PAYFIP_TIMEOUT_SECONDS = 1
        started = time.monotonic()
        with pytest.raises(PayfipError) as info:
            client.get_client_detail("012345")
        assert info.value.code == "unavailable"
        assert time.monotonic() - started < 3


def test_broken_xml_is_a_bad_response(simulator):
    SimulatorBehaviour.objects.create(pk=1, soap_mode=SoapMode.MALFORMED)
    with pytest.raises(PayfipError) as info:
        create(simulator)
    assert info.value.code == "bad_response"


def test_an_error_page_is_unavailable(simulator):
    SimulatorBehaviour.objects.create(pk=1, soap_mode=SoapMode.UNAVAILABLE)
    with pytest.raises(PayfipError) as info:
        client.get_payment_detail("4b0eb5b0-b335-11e2-9219-001fe256bdfe")
    assert info.value.code == "unavailable"
    assert "503" in info.value.message


def test_payfip_check_command_prints_the_regie(simulator):
    out = io.StringIO()
    call_command("payfip_check", stdout=out)
    assert simulator.soap_url in out.getvalue()
    assert "numcli 012345" in out.getvalue()


def test_payfip_check_command_reports_an_unreachable_payfip(settings):
    settings.PAYFIP_WS_URL = f"http://127.0.0.1:{closed_port()}/tpa/services/securite"
    with pytest.raises(CommandError, match="unavailable"):
        call_command("payfip_check", stdout=io.StringIO())
