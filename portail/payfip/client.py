"""The PayFiP web-service client: create a payment, read its result, read the régie.

Usage (the checkout builds on this; nothing here knows of baskets):

    from portail.payfip import client
    idop = client.create_payment(
        client.PaymentRequest(exer=2025, mel="parent@example.org", montant_cents=1480,
                              objet="Cantine Malves", refdet="B000123X45"),
        urlnotif=client.site_url("/paiement/notification/"),
        urlredirect=client.site_url("/paiement/retour/"),
    )
    # send the browser to client.payment_page_url(idop); later, on the notification,
    # the browser's return or a poll:
    detail = client.get_payment_detail(idop)   # PayfipError("P5") while still paying
    if detail.is_paid: ...

Settings: PAYFIP_NUMCLI, PAYFIP_SAISIE (T, X or W), PAYFIP_WS_URL, PAYFIP_PAYMENT_URL,
PAYFIP_TIMEOUT_SECONDS and PORTAIL_BASE_URL (in development, when empty, the address the
current request came on: portail.core.base_url). Without PAYFIP_WS_URL (outside production
only, where the simulator app is installed) the client talks to the simulator at the
portal's own address + its SOAP path, and sends browsers to the simulator's payment page.

Rules for callers:
- Never call these functions inside `transaction.atomic()`: they are network calls of up
  to PAYFIP_TIMEOUT_SECONDS, and with the simulator on the same SQLite database the
  simulator would wait for the lock the caller holds.
- Nothing is retried here: `creerPaiementSecurise` is not idempotent. `PayfipError.code`
  says what happened ("unavailable" and "bad_response" are worth a later retry of a
  detail query; "P5" means the parent is still paying).
- Input checks raise `django.core.exceptions.ValidationError` before any network call.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import requests
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.urls import reverse

from portail.core.base_url import base_url
from portail.payfip import soap
from portail.payfip.errors import BAD_RESPONSE, UNAVAILABLE, PayfipError
from portail.payfip.validators import (
    normalise_objet,
    validate_exer,
    validate_idop,
    validate_mel,
    validate_montant,
    validate_numcli,
    validate_refdet,
    validate_return_url,
    validate_saisie,
)

logger = logging.getLogger("portail.payfip")

SIMULATOR_APP = "portail.payfip_simulator"
PUBLIC_PAYMENT_PAGE = "https://www.payfip.gouv.fr/tpa/paiementws.web"
PARIS = ZoneInfo("Europe/Paris")
MAX_RESPONSE_BYTES = 256 * 1024
HEADERS = {
    "Content-Type": "text/xml; charset=utf-8",
    "SOAPAction": '""',
    "Accept": "text/xml",
}

# resultrans values.
PAID_BY_CARD = "P"
PAID_BY_DIRECT_DEBIT = "V"
REFUSED_CARD = "R"
REFUSED_DIRECT_DEBIT = "Z"
ABANDONED = "A"
RESULTS = (PAID_BY_CARD, PAID_BY_DIRECT_DEBIT, REFUSED_CARD, REFUSED_DIRECT_DEBIT, ABANDONED)


@dataclass(frozen=True)
class PaymentRequest:
    """What a payment is for. `objet` is normalised (ASCII, 100 characters) when sent."""

    exer: int
    mel: str
    montant_cents: int
    objet: str
    refdet: str


@dataclass(frozen=True)
class PaymentDetail:
    """PayFiP's answer to recupererDetailPaiementSecurise.

    `transaction_at` is dattrans + heurtrans read as Paris time (aware), None when PayFiP
    gives no date. `numauto` is the card authorisation number ("" when none).
    """

    idop: str
    resultrans: str
    montant_cents: int
    refdet: str
    numcli: str
    mel: str
    exer: int
    objet: str
    numauto: str
    transaction_at: datetime | None
    saisie: str

    @property
    def is_paid(self) -> bool:
        """P (card) or V (direct debit): the money is taken."""
        return self.resultrans in (PAID_BY_CARD, PAID_BY_DIRECT_DEBIT)

    @property
    def is_refused(self) -> bool:
        """R (card refused) or Z (direct debit refused)."""
        return self.resultrans in (REFUSED_CARD, REFUSED_DIRECT_DEBIT)

    @property
    def is_abandoned(self) -> bool:
        """A: the parent left the page. PayFiP may say so while the page is still open,
        so treat it as final only a few minutes after the payment was created."""
        return self.resultrans == ABANDONED

    @property
    def paid_at(self) -> datetime | None:
        """When the payment was made (aware, Paris), None unless it is paid."""
        return self.transaction_at if self.is_paid else None


@dataclass(frozen=True)
class ClientDetail:
    """PayFiP's answer to recupererDetailClient: the régie's labels."""

    numcli: str
    libelle_n1: str
    libelle_n2: str
    libelle_n3: str


# --- Where PayFiP is --------------------------------------------------------------------


def uses_simulator() -> bool:
    """True when no PAYFIP_WS_URL is set and the simulator app is installed (never in
    production, where the app is not installed and PAYFIP_WS_URL is required)."""
    return not settings.PAYFIP_WS_URL and apps.is_installed(SIMULATOR_APP)


def site_url(path: str) -> str:
    """The portal's own address + path: the absolute address PayFiP uses for urlnotif and
    urlredirect (PORTAIL_BASE_URL; in development, when empty, the current request's)."""
    base = base_url()
    if not base:
        raise ImproperlyConfigured("PORTAIL_BASE_URL must be set to build PayFiP addresses")
    if not path.startswith("/"):
        raise ValueError(f"path must start with '/': {path!r}")
    return base + path


def ws_url() -> str:
    """The SOAP endpoint: PAYFIP_WS_URL, else the simulator's (outside production)."""
    if settings.PAYFIP_WS_URL:
        return settings.PAYFIP_WS_URL
    if apps.is_installed(SIMULATOR_APP):
        return site_url(reverse("payfip_simulator:soap"))
    raise ImproperlyConfigured("PAYFIP_WS_URL is not set and the PayFiP simulator is not installed")


def payment_page_targets() -> list[str]:
    """Where PAYER may send the browser, for the Content-Security-Policy's form-action
    (core.security): PayFiP's payment page; the simulator's is at the portal's own
    address, which the policy allows already."""
    if settings.PAYFIP_PAYMENT_URL:
        return [settings.PAYFIP_PAYMENT_URL]
    return [] if uses_simulator() else [PUBLIC_PAYMENT_PAGE]


def payment_page_base_url() -> str:
    """The payment page without its query: PAYFIP_PAYMENT_URL, else the simulator's page
    when the simulator answers, else PayFiP's public page."""
    if settings.PAYFIP_PAYMENT_URL:
        return settings.PAYFIP_PAYMENT_URL
    if uses_simulator():
        return site_url(reverse("payfip_simulator:payment_page"))
    return PUBLIC_PAYMENT_PAGE


def payment_page_url(idop: str) -> str:
    """Where to send the parent's browser: the payment page with `?idop=<idOp>`."""
    validate_idop(idop)
    base = payment_page_base_url()
    separator = "&" if "?" in base else "?"
    return f"{base}{separator}{urlencode({'idop': idop})}"


# --- The calls --------------------------------------------------------------------------


def _post(url: str, body: bytes) -> tuple[int, bytes]:
    """POST the envelope; (status, body) or PayfipError("unavailable"/"bad_response").

    Connecting and each read wait at most PAYFIP_TIMEOUT_SECONDS, and reading the body
    stops at that deadline too, so a server that trickles bytes cannot hold us.
    """
    timeout = settings.PAYFIP_TIMEOUT_SECONDS
    deadline = time.monotonic() + timeout
    try:
        with requests.post(
            url,
            data=body,
            headers=HEADERS,
            timeout=(timeout, timeout),
            stream=True,
            allow_redirects=False,
        ) as response:
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_content(chunk_size=8192):
                size += len(chunk)
                if size > MAX_RESPONSE_BYTES:
                    raise PayfipError(BAD_RESPONSE, "answer larger than expected")
                if time.monotonic() > deadline:
                    raise PayfipError(UNAVAILABLE, f"no complete answer within {timeout}s")
                chunks.append(chunk)
            return response.status_code, b"".join(chunks)
    except requests.RequestException as exc:
        raise PayfipError(UNAVAILABLE, f"{type(exc).__name__}: {exc}") from None


def call_operation(operation: str, fields: Sequence[tuple[str, str]]) -> dict[str, str]:
    """Low level: send `operation` with these `<arg0>` fields, in this order, unchecked.

    Returns the `<return>` fields by name; raises PayfipError with PayFiP's fault code,
    "unavailable" (transport, timeout, HTTP error page) or "bad_response". The functions
    below check their inputs and call this; use it directly only for diagnostics.
    """
    url = ws_url()
    started = time.monotonic()
    try:
        status, content = _post(url, soap.build_envelope(operation, fields))
        if status != 200:
            fault = soap.find_fault(content)
            if fault is not None:
                raise fault
            raise PayfipError(UNAVAILABLE, f"HTTP {status}")
        result = soap.parse_response(content, operation)
    except PayfipError as exc:
        logger.warning(
            "PayFiP %s failed after %.1fs: %s %s",
            operation,
            time.monotonic() - started,
            exc.code,
            exc.message,
        )
        raise
    logger.info("PayFiP %s answered in %.1fs", operation, time.monotonic() - started)
    return result


def creation_fields(
    request: PaymentRequest,
    *,
    urlnotif: str,
    urlredirect: str,
    numcli: str | None = None,
    saisie: str | None = None,
) -> list[tuple[str, str]]:
    """The checked `<arg0>` fields of creerPaiementSecurise, in PayFiP's order.

    Raises ValidationError (code naming the field) on bad input. `numcli` and `saisie`
    default to PAYFIP_NUMCLI and PAYFIP_SAISIE; an empty objet is left out.
    """
    fields = [
        ("exer", validate_exer(request.exer)),
        ("mel", validate_mel(request.mel)),
        ("montant", str(validate_montant(request.montant_cents))),
        ("numcli", validate_numcli(settings.PAYFIP_NUMCLI if numcli is None else numcli)),
        ("objet", normalise_objet(request.objet)),
        ("refdet", validate_refdet(request.refdet)),
        ("saisie", validate_saisie(settings.PAYFIP_SAISIE if saisie is None else saisie)),
        ("urlnotif", validate_return_url(urlnotif)),
        ("urlredirect", validate_return_url(urlredirect)),
    ]
    return [(name, value) for name, value in fields if name != "objet" or value]


def create_payment(
    request: PaymentRequest,
    *,
    urlnotif: str,
    urlredirect: str,
    numcli: str | None = None,
    saisie: str | None = None,
) -> str:
    """creerPaiementSecurise: register the payment, return PayFiP's idOp.

    The parent must then open payment_page_url(idop) within 15 minutes; the idOp can be
    used once. PayFiP later calls `urlnotif` (server to server) and sends the browser to
    `urlredirect`, both with only the idOp (as `idOp` or `idop`, by POST or GET): neither
    is signed, so always confirm with get_payment_detail().
    """
    fields = creation_fields(
        request, urlnotif=urlnotif, urlredirect=urlredirect, numcli=numcli, saisie=saisie
    )
    answer = call_operation(soap.CREATE_PAYMENT, fields)
    idop = answer.get("idOp", "")
    try:
        return validate_idop(idop)
    except ValidationError:
        raise PayfipError(BAD_RESPONSE, "no valid idOp in the answer") from None


def _int_field(fields: dict[str, str], name: str, digits: int | None = None) -> int:
    value = fields.get(name, "")
    if not value.isascii() or not value.isdigit() or (digits and len(value) != digits):
        raise PayfipError(BAD_RESPONSE, f"{name} is not a number: {value!r}")
    return int(value)


def _transaction_at(dattrans: str, heurtrans: str) -> datetime | None:
    """DDMMYYYY + HHMM, Paris time; None when PayFiP gives neither."""
    if not dattrans and not heurtrans:
        return None
    if not (
        len(dattrans) == 8
        and len(heurtrans) == 4
        and (dattrans + heurtrans).isascii()
        and (dattrans + heurtrans).isdigit()
    ):
        raise PayfipError(BAD_RESPONSE, f"bad dattrans/heurtrans: {dattrans!r} {heurtrans!r}")
    try:
        return datetime(
            int(dattrans[4:]),
            int(dattrans[2:4]),
            int(dattrans[:2]),
            int(heurtrans[:2]),
            int(heurtrans[2:]),
            tzinfo=PARIS,
        )
    except ValueError:
        raise PayfipError(BAD_RESPONSE, f"impossible date: {dattrans} {heurtrans}") from None


def parse_payment_detail(idop: str, fields: dict[str, str]) -> PaymentDetail:
    """A PaymentDetail from recupererDetailPaiementSecurise's fields, checked."""
    if fields.get("idOp") != idop:
        raise PayfipError(BAD_RESPONSE, "the answer is about another idOp")
    resultrans = fields.get("resultrans", "")
    if resultrans not in RESULTS:
        raise PayfipError(BAD_RESPONSE, f"unknown resultrans {resultrans!r}")
    return PaymentDetail(
        idop=idop,
        resultrans=resultrans,
        montant_cents=_int_field(fields, "montant"),
        refdet=fields.get("refdet", ""),
        numcli=fields.get("numcli", ""),
        mel=fields.get("mel", ""),
        exer=_int_field(fields, "exer", digits=4),
        objet=fields.get("objet", ""),
        numauto=fields.get("numauto", ""),
        transaction_at=_transaction_at(fields.get("dattrans", ""), fields.get("heurtrans", "")),
        saisie=fields.get("saisie", ""),
    )


def get_payment_detail(idop: str) -> PaymentDetail:
    """recupererDetailPaiementSecurise: the result of the payment `idop`.

    Raises PayfipError "P5" while there is no result yet (normal while the parent pays;
    after the page's 15 minutes it means the payment will not happen), "P1" when PayFiP
    does not know the idOp (unfinished ones are purged the next night), and
    ValidationError when `idop` does not look like an idOp (it comes from unsigned input).
    """
    validate_idop(idop)
    return parse_payment_detail(idop, call_operation(soap.PAYMENT_DETAIL, [("idOp", idop)]))


def get_client_detail(numcli: str | None = None) -> ClientDetail:
    """recupererDetailClient: the régie's labels; a cheap check of the configuration."""
    number = validate_numcli(settings.PAYFIP_NUMCLI if numcli is None else numcli)
    fields = call_operation(soap.CLIENT_DETAIL, [("numCli", number)])
    return ClientDetail(
        numcli=fields.get("numcli", ""),
        libelle_n1=fields.get("libelleN1", ""),
        libelle_n2=fields.get("libelleN2", ""),
        libelle_n3=fields.get("libelleN3", ""),
    )
