"""PayFiP's SOAP 1.1 messages: the envelope we send, and reading what comes back.

The wire format follows the public implementations (e.g. the PHP and Python libraries
for PayFiP / TIPI) and the recorded exchanges:

    <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"
                      xmlns:pai="<SERVICE_NS>">
      <soapenv:Header/>
      <soapenv:Body>
        <pai:creerPaiementSecurise>
          <arg0><exer>2025</exer><mel>...</mel>...</arg0>   (children unqualified)
        </pai:creerPaiementSecurise>
      </soapenv:Body>
    </soapenv:Envelope>

The answer is `<ns:creerPaiementSecuriseResponse><return>...</return>`; an error is a
SOAP Fault whose `<detail>` holds a `FonctionnelleErreur` (or a technical kind) with
`code`, `libelle`, `descriptif`, `message`, `severite`. We read answers by local names,
so a prefix or namespace change on PayFiP's side does not break us.

XML is parsed with the standard library's ElementTree after refusing any document type
declaration: SOAP 1.1 forbids DTDs, and without one there are no entities to expand.
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape

from portail.payfip.errors import BAD_RESPONSE, FAULT, PayfipError

SOAP_ENV_NS = "http://schemas.xmlsoap.org/soap/envelope/"
SERVICE_NS = (
    "http://securite.service.tpa.cp.finances.gouv.fr/services/mas_securite/"
    "contrat_paiement_securise/PaiementSecuriseService"
)

CREATE_PAYMENT = "creerPaiementSecurise"
PAYMENT_DETAIL = "recupererDetailPaiementSecurise"
CLIENT_DETAIL = "recupererDetailClient"

# Field order of each operation's <arg0> and <return>, as PayFiP's schema has them.
REQUEST_FIELDS: dict[str, tuple[str, ...]] = {
    CREATE_PAYMENT: (
        "exer",
        "mel",
        "montant",
        "numcli",
        "objet",
        "refdet",
        "saisie",
        "urlnotif",
        "urlredirect",
    ),
    PAYMENT_DETAIL: ("idOp",),
    CLIENT_DETAIL: ("numCli",),
}
RESPONSE_FIELDS: dict[str, tuple[str, ...]] = {
    CREATE_PAYMENT: ("idOp",),
    PAYMENT_DETAIL: (
        "dattrans",
        "exer",
        "heurtrans",
        "idOp",
        "mel",
        "montant",
        "numauto",
        "numcli",
        "objet",
        "refdet",
        "resultrans",
        "saisie",
    ),
    CLIENT_DETAIL: ("libelleN1", "libelleN2", "libelleN3", "numcli"),
}

ERROR_ELEMENTS = (
    "FonctionnelleErreur",
    "TechDysfonctionnementErreur",
    "TechIndisponibiliteErreur",
    "TechProtocolaireErreur",
)


def build_envelope(operation: str, fields: Sequence[tuple[str, str]]) -> bytes:
    """The request for `operation`, its fields in the order given, UTF-8 bytes.

    Callers pass the fields in PayFiP's order (see REQUEST_FIELDS); an optional field
    is left out rather than sent empty.
    """
    if operation not in REQUEST_FIELDS:
        raise ValueError(f"unknown PayFiP operation {operation!r}")
    arg0 = "".join(f"<{name}>{escape(value)}</{name}>" for name, value in fields)
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<soapenv:Envelope xmlns:soapenv="{SOAP_ENV_NS}" xmlns:pai="{SERVICE_NS}">'
        "<soapenv:Header/>"
        "<soapenv:Body>"
        f"<pai:{operation}><arg0>{arg0}</arg0></pai:{operation}>"
        "</soapenv:Body>"
        "</soapenv:Envelope>"
    )
    return xml.encode("utf-8")


def local_name(tag: object) -> str:
    """`{namespace}name` -> `name` (comments and processing instructions give "")."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def parse_xml(body: bytes) -> ET.Element:
    """Parse untrusted XML: no DTD (so no entity tricks), ParseError on anything odd."""
    if b"<!DOCTYPE" in body or b"<!ENTITY" in body:
        raise ET.ParseError("document type declarations are not allowed in SOAP")
    return ET.fromstring(body)  # noqa: S314 - DTDs refused above, expat fetches nothing


def _child(element: ET.Element, name: str) -> ET.Element | None:
    for child in element:
        if local_name(child.tag) == name:
            return child
    return None


def _text(element: ET.Element | None) -> str:
    if element is None:
        return ""
    return (element.text or "").strip()


def soap_body(body: bytes) -> ET.Element:
    """The <Body> of a SOAP 1.1 envelope, or PayfipError("bad_response")."""
    try:
        root = parse_xml(body)
    except ET.ParseError as exc:
        raise PayfipError(BAD_RESPONSE, f"not well-formed XML: {exc}") from None
    if root.tag != f"{{{SOAP_ENV_NS}}}Envelope":
        raise PayfipError(BAD_RESPONSE, f"not a SOAP 1.1 envelope: {root.tag}")
    soap_body_element = root.find(f"{{{SOAP_ENV_NS}}}Body")
    if soap_body_element is None:
        raise PayfipError(BAD_RESPONSE, "SOAP envelope without a Body")
    return soap_body_element


def fault_error(fault: ET.Element) -> PayfipError:
    """The PayfipError a SOAP Fault stands for: PayFiP's code when the detail has one."""
    faultstring = _text(_child(fault, "faultstring"))
    detail = _child(fault, "detail")
    if detail is not None:
        for element in detail.iter():
            if local_name(element.tag) in ERROR_ELEMENTS:
                code = _text(_child(element, "code"))
                message = (
                    _text(_child(element, "descriptif"))
                    or _text(_child(element, "libelle"))
                    or _text(_child(element, "message"))
                    or faultstring
                )
                if code:
                    return PayfipError(code, message)
    return PayfipError(FAULT, faultstring or "SOAP fault without detail")


def find_fault(body: bytes) -> PayfipError | None:
    """The fault in `body` if it is a SOAP fault, else None (also for non-XML bodies)."""
    try:
        element = soap_body(body)
    except PayfipError:
        return None
    fault = element.find(f"{{{SOAP_ENV_NS}}}Fault")
    return fault_error(fault) if fault is not None else None


def parse_response(body: bytes, operation: str) -> dict[str, str]:
    """The fields of `<return>` for `operation`, by name; raises PayfipError on a fault.

    Missing optional fields are simply absent from the dict; callers check what they need.
    """
    element = soap_body(body)
    fault = element.find(f"{{{SOAP_ENV_NS}}}Fault")
    if fault is not None:
        raise fault_error(fault)
    response = _child(element, f"{operation}Response")
    if response is None:
        raise PayfipError(BAD_RESPONSE, f"no {operation}Response in the SOAP body")
    returned = _child(response, "return")
    if returned is None:
        raise PayfipError(BAD_RESPONSE, f"{operation}Response without <return>")
    fields: dict[str, str] = {}
    for child in returned:
        name = local_name(child.tag)
        if not name:
            continue
        if name in fields:
            raise PayfipError(BAD_RESPONSE, f"field {name} twice in <return>")
        if len(child):
            raise PayfipError(BAD_RESPONSE, f"field {name} is not plain text")
        fields[name] = _text(child)
    return fields
