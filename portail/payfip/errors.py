"""What can go wrong when talking to PayFiP, as one exception with a code.

PayFiP reports errors as SOAP faults whose detail holds a `FonctionnelleErreur` (or one of
the technical kinds) with a `code`: the code is what callers branch on. Transport troubles
get two codes of our own, so that a caller never has to catch `requests` exceptions.
"""

from __future__ import annotations

# Codes of our own (never sent by PayFiP).
UNAVAILABLE = "unavailable"  # connection refused, DNS, TLS, timeout, HTTP error page
BAD_RESPONSE = "bad_response"  # a 200 answer that is not the SOAP we expect
FAULT = "fault"  # a SOAP fault without a PayFiP code (e.g. the server rejected our XML)

# Codes PayFiP sends, as the public implementations list them.
UNKNOWN_IDOP = "P1"  # idOp unknown, or purged (unfinished ones are purged the next night)
IDOP_ALREADY_USED = "P3"
IDOP_EXPIRED = "P4"  # the payment page was opened more than 15 minutes after creation
RESULT_NOT_KNOWN_YET = "P5"  # normal while the parent is on the payment page
BAD_REFDET = "R3"
MEL_MISSING = "A1"
BAD_MEL = "A2"
BAD_MONTANT_FORMAT = "M1"
MONTANT_TOO_LOW = "M3"
MONTANT_TOO_HIGH = "M5"
BAD_NUMCLI = "T1"
UNKNOWN_NUMCLI = "T2"
NUMCLI_WITHOUT_SECURE_ACCESS = "T4"
BAD_SAISIE = "S1"
BAD_URLNOTIF = "N1"
BAD_URLREDIRECT = "D1"

DESCRIPTIONS: dict[str, str] = {
    UNAVAILABLE: "PayFiP could not be reached (connection, timeout or HTTP error)",
    BAD_RESPONSE: "PayFiP answered something that is not the expected SOAP message",
    FAULT: "PayFiP answered a SOAP fault without an error code",
    UNKNOWN_IDOP: "unknown or purged idOp",
    IDOP_ALREADY_USED: "idOp already used",
    IDOP_EXPIRED: "idOp older than 15 minutes",
    RESULT_NOT_KNOWN_YET: "result not known yet (payment in progress)",
    BAD_REFDET: "refdet does not have the expected format",
    MEL_MISSING: "e-mail address missing",
    BAD_MEL: "e-mail address incorrect",
    BAD_MONTANT_FORMAT: "montant does not have the expected format",
    MONTANT_TOO_LOW: "montant below the minimum",
    MONTANT_TOO_HIGH: "montant above the maximum",
    BAD_NUMCLI: "numcli incorrect",
    UNKNOWN_NUMCLI: "numcli unknown to PayFiP",
    NUMCLI_WITHOUT_SECURE_ACCESS: "this numcli has no secure (web-service) access",
    BAD_SAISIE: "saisie incorrect",
    BAD_URLNOTIF: "urlnotif incorrect",
    BAD_URLREDIRECT: "urlredirect incorrect",
}


class PayfipError(Exception):
    """A PayFiP call that did not give the expected answer.

    `code` is PayFiP's code ("P1", "P5", "R3", "A2", ...) or one of ours ("unavailable",
    "bad_response", "fault"); `message` is PayFiP's own text (French) or ours, for logs,
    never for parents.
    """

    def __init__(self, code: str, message: str = "") -> None:
        self.code = code
        self.message = message or DESCRIPTIONS.get(code, "")
        super().__init__(f"{code}: {self.message}" if self.message else code)

    @property
    def is_transient(self) -> bool:
        """Worth trying again later: the service was unreachable or answered garbage."""
        return self.code in {UNAVAILABLE, BAD_RESPONSE}

    @property
    def is_pending(self) -> bool:
        """P5: no result yet, the parent may still be paying."""
        return self.code == RESULT_NOT_KNOWN_YET

    @property
    def is_unknown_idop(self) -> bool:
        """P1: PayFiP does not know this idOp (never created, or purged unfinished)."""
        return self.code == UNKNOWN_IDOP
