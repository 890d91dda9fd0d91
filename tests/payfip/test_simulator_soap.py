"""The simulator's SOAP endpoint is as strict as a schema-validating PayFiP."""

import pytest
import requests

from portail.payfip_simulator.models import SimulatedOperation, SoapExchange

pytestmark = pytest.mark.django_db(transaction=True)

ENV = "http://schemas.xmlsoap.org/soap/envelope/"
NS = (
    "http://securite.service.tpa.cp.finances.gouv.fr/services/mas_securite/"
    "contrat_paiement_securise/PaiementSecuriseService"
)
HEADERS = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '""'}


def envelope(inner: str, ns: str = NS) -> bytes:
    return (
        f'<soapenv:Envelope xmlns:soapenv="{ENV}" xmlns:pai="{ns}"><soapenv:Body>'
        f"{inner}</soapenv:Body></soapenv:Envelope>"
    ).encode()


def post(simulator, body: bytes, headers=HEADERS) -> requests.Response:
    return requests.post(simulator.soap_url, data=body, headers=headers, timeout=10)


def creation(simulator, fields: str) -> bytes:
    return envelope(f"<pai:creerPaiementSecurise><arg0>{fields}</arg0></pai:creerPaiementSecurise>")


def good_fields(simulator) -> str:
    return (
        "<exer>2025</exer><mel>parent@example.org</mel><montant>1480</montant>"
        "<numcli>012345</numcli><objet>Cantine</objet><refdet>PF2025000123</refdet>"
        f"<saisie>T</saisie><urlnotif>{simulator.sink_url}</urlnotif>"
        f"<urlredirect>{simulator.redirect_url}</urlredirect>"
    )


def test_a_well_formed_creation_answers_like_payfip(simulator):
    answer = post(simulator, creation(simulator, good_fields(simulator)))
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "text/xml; charset=utf-8"
    idop = SimulatedOperation.objects.get().idop
    assert f"<return><idOp>{idop}</idOp></return>" in answer.text
    assert f'<ns2:creerPaiementSecuriseResponse xmlns:ns2="{NS}">' in answer.text


def test_a_fault_is_http_500_with_a_fonctionnelle_erreur(simulator):
    fields = good_fields(simulator).replace("PF2025000123", "PF-1")
    answer = post(simulator, creation(simulator, fields))
    assert answer.status_code == 500
    assert "<faultcode>S:Server</faultcode>" in answer.text
    assert "FonctionnelleErreur" in answer.text
    assert "<code>R3</code>" in answer.text
    assert SoapExchange.objects.get().fault_code == "R3"


@pytest.mark.parametrize(
    ("label", "body"),
    [
        ("wrong namespace", lambda s: envelope("<pai:creerPaiementSecurise/>", ns="urn:other")),
        (
            "unknown operation",
            lambda s: envelope("<pai:payerGratuitement><arg0/></pai:payerGratuitement>"),
        ),
        (
            "fields out of order",
            lambda s: creation(
                s, good_fields(s).replace("<exer>2025</exer>", "") + "<exer>2025</exer>"
            ),
        ),
        (
            "qualified arg0",
            lambda s: envelope(
                f"<pai:creerPaiementSecurise><pai:arg0>{good_fields(s)}</pai:arg0>"
                "</pai:creerPaiementSecurise>"
            ),
        ),
        ("missing field", lambda s: creation(s, good_fields(s).replace("<saisie>T</saisie>", ""))),
        ("field twice", lambda s: creation(s, good_fields(s) + "<urlredirect>x</urlredirect>")),
        ("not XML", lambda s: b"hello"),
        ("SOAP 1.2", lambda s: b'<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"/>'),
        (
            "entity declaration",
            lambda s: b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>' + creation(s, good_fields(s)),
        ),
    ],
)
def test_a_request_payfip_would_not_understand_is_a_client_fault(simulator, label, body):
    answer = post(simulator, body(simulator))
    assert answer.status_code == 500, label
    assert "<faultcode>S:Client</faultcode>" in answer.text, label
    assert not SimulatedOperation.objects.exists()


def test_the_optional_objet_may_be_left_out(simulator):
    fields = good_fields(simulator).replace("<objet>Cantine</objet>", "")
    assert post(simulator, creation(simulator, fields)).status_code == 200
    assert SimulatedOperation.objects.get().objet == ""


def test_a_body_over_the_size_limit_is_refused_unread(simulator):
    body = creation(simulator, good_fields(simulator) + " " * 70_000)
    answer = post(simulator, body)
    assert answer.status_code == 413
    assert not SimulatedOperation.objects.exists()


def test_only_text_xml_posts_are_served(simulator):
    body = creation(simulator, good_fields(simulator))
    assert post(simulator, body, {"Content-Type": "application/json"}).status_code == 415
    assert requests.get(simulator.soap_url, timeout=10).status_code == 405
    assert not SimulatedOperation.objects.exists()
