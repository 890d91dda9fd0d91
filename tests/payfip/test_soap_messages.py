"""Reading PayFiP's answers: the shapes recorded from PayFiP (JAX-WS), faults, and junk."""

import pytest

from portail.payfip import soap
from portail.payfip.client import parse_payment_detail
from portail.payfip.errors import PayfipError

NS = soap.SERVICE_NS

DETAIL_ANSWER = f"""<?xml version='1.0' encoding='UTF-8'?>
<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body>
<ns2:recupererDetailPaiementSecuriseResponse xmlns:ns2="{NS}"><return>
<dattrans>30032025</dattrans><exer>2025</exer><heurtrans>0215</heurtrans>
<idOp>4b0eb5b0-b335-11e2-9219-001fe256bdfe</idOp><mel>parent@example.org</mel>
<montant>1480</montant><numauto>112233</numauto><numcli>012345</numcli>
<objet>Cantine</objet><refdet>PF2025000123</refdet><resultrans>P</resultrans>
<saisie>T</saisie></return></ns2:recupererDetailPaiementSecuriseResponse>
</S:Body></S:Envelope>""".encode()

P5_FAULT = f"""<?xml version='1.0' encoding='UTF-8'?>
<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body><S:Fault>
<faultcode>S:Server</faultcode>
<faultstring>fr.gouv.finances.cp.tpa.webservice.exceptions.FonctionnelleErreur</faultstring>
<detail><ns2:FonctionnelleErreur xmlns:ns2="{NS}"><code>P5</code>
<descriptif>Résultat de la transaction non connu</descriptif><libelle>Paiement en cours</libelle>
<severite>2</severite></ns2:FonctionnelleErreur></detail></S:Fault></S:Body></S:Envelope>""".encode()


def test_the_envelope_has_the_operation_in_payfip_namespace_and_unqualified_fields():
    body = soap.build_envelope("recupererDetailPaiementSecurise", [("idOp", "a&b<c")])
    assert body == (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
        b'xmlns:pai="http://securite.service.tpa.cp.finances.gouv.fr/services/mas_securite/'
        b'contrat_paiement_securise/PaiementSecuriseService">'
        b"<soapenv:Header/><soapenv:Body><pai:recupererDetailPaiementSecurise>"
        b"<arg0><idOp>a&amp;b&lt;c</idOp></arg0>"
        b"</pai:recupererDetailPaiementSecurise></soapenv:Body></soapenv:Envelope>"
    )


def test_an_unknown_operation_is_not_built():
    with pytest.raises(ValueError):
        soap.build_envelope("payerGratuitement", [])


def test_a_recorded_detail_answer_is_read_in_paris_time():
    fields = soap.parse_response(DETAIL_ANSWER, "recupererDetailPaiementSecurise")
    detail = parse_payment_detail("4b0eb5b0-b335-11e2-9219-001fe256bdfe", fields)
    assert detail.is_paid and not detail.is_refused and not detail.is_abandoned
    assert detail.montant_cents == 1480
    assert detail.refdet == "PF2025000123"
    assert detail.numcli == "012345"
    assert detail.numauto == "112233"
    assert detail.exer == 2025
    # 30 March 2025, 02:15 does not exist in Paris (clocks jump 02:00 -> 03:00); the
    # aware datetime still comes out, in Europe/Paris.
    assert detail.paid_at.tzinfo.key == "Europe/Paris"
    assert (detail.paid_at.day, detail.paid_at.month, detail.paid_at.year) == (30, 3, 2025)


def test_prefixes_and_namespaces_of_the_answer_do_not_matter():
    body = DETAIL_ANSWER.replace(b"ns2:", b"tns:").replace(b"xmlns:ns2", b"xmlns:tns")
    assert soap.parse_response(body, "recupererDetailPaiementSecurise")["resultrans"] == "P"


def test_a_functional_fault_becomes_its_payfip_code():
    with pytest.raises(PayfipError) as info:
        soap.parse_response(P5_FAULT, "recupererDetailPaiementSecurise")
    assert info.value.code == "P5"
    assert info.value.is_pending
    assert info.value.message == "Résultat de la transaction non connu"


def test_a_technical_fault_keeps_its_code_too():
    body = P5_FAULT.replace(b"FonctionnelleErreur xmlns", b"TechIndisponibiliteErreur xmlns")
    body = body.replace(b"</ns2:FonctionnelleErreur>", b"</ns2:TechIndisponibiliteErreur>")
    body = body.replace(b"<code>P5</code>", b"<code>I1</code>")
    with pytest.raises(PayfipError) as info:
        soap.parse_response(body, "recupererDetailPaiementSecurise")
    assert info.value.code == "I1"


def test_a_fault_without_a_code_is_a_plain_fault():
    body = (
        b'<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body><S:Fault>'
        b"<faultcode>S:Client</faultcode><faultstring>Unmarshalling Error</faultstring>"
        b"</S:Fault></S:Body></S:Envelope>"
    )
    with pytest.raises(PayfipError) as info:
        soap.parse_response(body, "creerPaiementSecurise")
    assert info.value.code == "fault"
    assert "Unmarshalling" in info.value.message


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"<html><body>Bonjour</body></html>",
        b"<S:Envelope xmlns:S='http://schemas.xmlsoap.org/soap/envelope/'><S:Body>",
        b"<Envelope><Body/></Envelope>",
        b"<S:Envelope xmlns:S='http://schemas.xmlsoap.org/soap/envelope/'><S:Body>"
        b"<x:autreChoseResponse xmlns:x='urn:x'/></S:Body></S:Envelope>",
        b"<S:Envelope xmlns:S='http://schemas.xmlsoap.org/soap/envelope/'><S:Body>"
        b"<x:creerPaiementSecuriseResponse xmlns:x='urn:x'/></S:Body></S:Envelope>",
        b"<S:Envelope xmlns:S='http://schemas.xmlsoap.org/soap/envelope/'><S:Body>"
        b"<x:creerPaiementSecuriseResponse xmlns:x='urn:x'><return><idOp>a</idOp><idOp>b</idOp>"
        b"</return></x:creerPaiementSecuriseResponse></S:Body></S:Envelope>",
    ],
)
def test_junk_is_a_bad_response(body):
    with pytest.raises(PayfipError) as info:
        soap.parse_response(body, "creerPaiementSecurise")
    assert info.value.code == "bad_response"
    assert info.value.is_transient


def test_a_document_type_declaration_is_refused_before_parsing():
    body = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b"<S:Envelope xmlns:S='http://schemas.xmlsoap.org/soap/envelope/'><S:Body>"
        b"<x:creerPaiementSecuriseResponse xmlns:x='urn:x'><return><idOp>&e;</idOp></return>"
        b"</x:creerPaiementSecuriseResponse></S:Body></S:Envelope>"
    )
    with pytest.raises(PayfipError) as info:
        soap.parse_response(body, "creerPaiementSecurise")
    assert info.value.code == "bad_response"


@pytest.mark.parametrize(
    ("change", "value"),
    [
        ("montant", "14,80"),
        ("exer", "25"),
        ("resultrans", "Q"),
        ("dattrans", "32012025"),
        ("heurtrans", "2561"),
        ("idOp", "another-idop"),
    ],
)
def test_a_detail_with_an_odd_field_is_a_bad_response(change, value):
    fields = soap.parse_response(DETAIL_ANSWER, "recupererDetailPaiementSecurise")
    fields[change] = value
    with pytest.raises(PayfipError) as info:
        parse_payment_detail("4b0eb5b0-b335-11e2-9219-001fe256bdfe", fields)
    assert info.value.code == "bad_response"


def test_a_detail_without_date_or_numauto_is_read():
    fields = soap.parse_response(DETAIL_ANSWER, "recupererDetailPaiementSecurise")
    for name in ("dattrans", "heurtrans", "numauto", "objet"):
        del fields[name]
    fields["resultrans"] = "A"
    detail = parse_payment_detail("4b0eb5b0-b335-11e2-9219-001fe256bdfe", fields)
    assert detail.is_abandoned
    assert detail.transaction_at is None and detail.paid_at is None
    assert detail.numauto == "" and detail.objet == ""
