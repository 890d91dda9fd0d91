"""PayFiP's SOAP as the server side speaks it: read a request strictly, write answers.

Written independently of the portal's client (portail.payfip) on purpose, so that the
tests between the two check the protocol, not one piece of code against itself. The
answers look like PayFiP's (a JAX-WS service): `S:` envelope, `ns2:` operation wrapper,
unqualified `<return>` children, faults with HTTP 500 and a `FonctionnelleErreur` detail.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape

SOAP_ENV_NS = "http://schemas.xmlsoap.org/soap/envelope/"
SERVICE_NS = (
    "http://securite.service.tpa.cp.finances.gouv.fr/services/mas_securite/"
    "contrat_paiement_securise/PaiementSecuriseService"
)
FUNCTIONAL_FAULT = "fr.gouv.finances.cp.tpa.webservice.exceptions.FonctionnelleErreur"

# Each operation's <arg0> fields in schema order; the optional ones may be left out.
OPERATIONS: dict[str, tuple[tuple[str, ...], frozenset[str]]] = {
    "creerPaiementSecurise": (
        (
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
        frozenset({"objet"}),
    ),
    "recupererDetailPaiementSecurise": (("idOp",), frozenset()),
    "recupererDetailClient": (("numCli",), frozenset()),
}

# The libellés PayFiP sends with each code. E1 and O1 are the simulator's own: the public
# implementations do not show which code PayFiP uses for a bad exer or objet.
LIBELLES = {
    "P1": "IdOp incorrect",
    "P3": "IdOp déjà utilisé",
    "P4": "IdOp expiré (plus de 15 minutes)",
    "P5": "Résultat de la transaction non connu",
    "R3": "Le format du paramètre REFDET n'est pas conforme",
    "A1": "Adresse mél non renseignée",
    "A2": "Adresse mél incorrecte",
    "M1": "Le format du montant n'est pas correct",
    "M3": "Montant inférieur au minimum autorisé",
    "M5": "Montant supérieur au maximum autorisé",
    "T1": "Numéro client incorrect",
    "S1": "Mode de saisie incorrect",
    "N1": "URL de notification incorrecte",
    "D1": "URL de redirection incorrecte",
    "E1": "Exercice incorrect",
    "O1": "Objet incorrect",
}


class SoapRequestError(Exception):
    """The request is not a SOAP message we understand: a Client fault, no PayFiP code."""


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def parse_request(body: bytes) -> tuple[str, dict[str, str]]:
    """(operation, fields) of a request, or SoapRequestError.

    Strict like a schema-validating server: SOAP 1.1 envelope, operation element in
    PayFiP's namespace, one unqualified <arg0>, its unqualified fields in schema order,
    each at most once.
    """
    if b"<!DOCTYPE" in body or b"<!ENTITY" in body:
        raise SoapRequestError("A SOAP message must not contain a document type declaration")
    try:
        root = ET.fromstring(body)  # noqa: S314 - no DTD (refused above): nothing to expand
    except ET.ParseError as exc:
        raise SoapRequestError(f"Malformed XML: {exc}") from None
    if root.tag != f"{{{SOAP_ENV_NS}}}Envelope":
        raise SoapRequestError("Not a SOAP 1.1 envelope")
    soap_body = root.find(f"{{{SOAP_ENV_NS}}}Body")
    if soap_body is None:
        raise SoapRequestError("No SOAP Body")
    elements = [child for child in soap_body if isinstance(child.tag, str)]
    if len(elements) != 1:
        raise SoapRequestError("The SOAP Body must hold exactly one operation")
    call = elements[0]
    operation = _local(call.tag)
    if call.tag != f"{{{SERVICE_NS}}}{operation}" or operation not in OPERATIONS:
        raise SoapRequestError(f"Cannot find dispatch method for {call.tag}")
    args = [child for child in call if isinstance(child.tag, str)]
    if len(args) != 1 or args[0].tag != "arg0":
        raise SoapRequestError("Unmarshalling Error: expected one unqualified <arg0>")
    order, optional = OPERATIONS[operation]
    fields: dict[str, str] = {}
    position = 0
    for child in args[0]:
        if not isinstance(child.tag, str):
            continue
        name = child.tag
        if name not in order[position:] or len(child):
            raise SoapRequestError(f"Unmarshalling Error: unexpected element <{name}>")
        position = order.index(name) + 1
        fields[name] = (child.text or "").strip()
    missing = [name for name in order if name not in fields and name not in optional]
    if missing:
        raise SoapRequestError(f"Unmarshalling Error: missing <{missing[0]}>")
    return operation, fields


def _envelope(body: str) -> bytes:
    return (
        "<?xml version='1.0' encoding='UTF-8'?>"
        f'<S:Envelope xmlns:S="{SOAP_ENV_NS}"><S:Body>{body}</S:Body></S:Envelope>'
    ).encode()


def response(operation: str, fields: list[tuple[str, str]]) -> bytes:
    """A successful answer: `<return>` with `fields` in the order given."""
    returned = "".join(f"<{name}>{escape(value)}</{name}>" for name, value in fields)
    return _envelope(
        f'<ns2:{operation}Response xmlns:ns2="{SERVICE_NS}">'
        f"<return>{returned}</return></ns2:{operation}Response>"
    )


def functional_fault(code: str) -> bytes:
    """PayFiP's fault for `code`, with its libellé."""
    libelle = escape(LIBELLES.get(code, code))
    return _envelope(
        "<S:Fault>"
        "<faultcode>S:Server</faultcode>"
        f"<faultstring>{FUNCTIONAL_FAULT}</faultstring>"
        "<detail>"
        f'<ns2:FonctionnelleErreur xmlns:ns2="{SERVICE_NS}">'
        f"<code>{escape(code)}</code>"
        f"<descriptif>{libelle}</descriptif>"
        f"<libelle>{libelle}</libelle>"
        f"<message>{libelle}</message>"
        "<severite>2</severite>"
        "</ns2:FonctionnelleErreur>"
        "</detail>"
        "</S:Fault>"
    )


def client_fault(message: str) -> bytes:
    """A SOAP Client fault (bad request), without a PayFiP code."""
    return _envelope(
        "<S:Fault>"
        "<faultcode>S:Client</faultcode>"
        f"<faultstring>{escape(message)}</faultstring>"
        "</S:Fault>"
    )
