"""Checks of what we send to PayFiP, done before any network call.

PayFiP refuses a bad field with a fault (R3 for refdet, A2 for the e-mail, ...); checking
first gives a clear, translated message instead, and keeps junk off the wire. Each
function returns the cleaned value or raises `django.core.exceptions.ValidationError`
(with a `code` naming the field).
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

REFDET_RE = re.compile(r"[A-Za-z0-9]{6,30}")
NUMCLI_RE = re.compile(r"[0-9]{6}")
EXER_RE = re.compile(r"[0-9]{4}")
# PayFiP's idOp is a UUID ("4b0eb5b0-b335-11e2-9219-001fe256bdfe"); accept its alphabet.
IDOP_RE = re.compile(r"[A-Za-z0-9-]{1,64}")

MONTANT_MIN_CENTS = 100  # 1,00 EUR
MONTANT_MAX_CENTS = 10_000_000  # 100 000,00 EUR
MEL_MIN_LENGTH = 6
MEL_MAX_LENGTH = 80
OBJET_MAX_LENGTH = 100
URL_MAX_LENGTH = 250
SAISIE_VALUES = ("T", "X", "W")  # test, activation, production
# Letters NFKD does not decompose, spelt out as French writes them in capitals.
LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})


def validate_refdet(value: str) -> str:
    """The "référence de la dette": 6 to 30 ASCII letters and digits, nothing else."""
    if not isinstance(value, str) or not REFDET_RE.fullmatch(value):
        raise ValidationError(
            _("The debt reference must be 6 to 30 letters and digits."), code="refdet"
        )
    return value


def normalise_objet(value: str | None) -> str:
    """PayFiP's `objet` alphabet: ASCII letters, digits and spaces, at most 100 characters.

    Accents are stripped ("Été" -> "Ete"), every other character becomes a space, runs of
    spaces become one, and the result is cut at 100 characters. Never fails: the objet is
    a free label, so an odd character must not stop a payment.
    """
    if not value:
        return ""
    text = str(value).translate(LIGATURES)
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c))
    cleaned = "".join(c if (c.isascii() and c.isalnum()) else " " for c in ascii_text)
    return " ".join(cleaned.split())[:OBJET_MAX_LENGTH].rstrip()


def validate_mel(value: str) -> str:
    """The payer's e-mail: 6 to 80 characters, a valid address (so with an @)."""
    text = value.strip() if isinstance(value, str) else ""
    message = _("The e-mail address must be a valid address of 6 to 80 characters.")
    if not (MEL_MIN_LENGTH <= len(text) <= MEL_MAX_LENGTH) or "@" not in text:
        raise ValidationError(message, code="mel")
    if not text.isascii():
        # PayFiP's own check refuses accented addresses (fault A2).
        raise ValidationError(message, code="mel")
    try:
        validate_email(text)
    except ValidationError:
        raise ValidationError(message, code="mel") from None
    return text


def validate_montant(value: int) -> int:
    """The amount in cents, a whole number from 100 (1 EUR) to 10 000 000 (100 000 EUR)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(_("The amount must be a whole number of cents."), code="montant")
    if not (MONTANT_MIN_CENTS <= value <= MONTANT_MAX_CENTS):
        raise ValidationError(
            _("The amount must be between 1.00 EUR and 100,000.00 EUR."), code="montant"
        )
    return value


def validate_exer(value: int | str) -> str:
    """The financial year, four digits (e.g. 2025), returned as text."""
    text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    if not isinstance(text, str) or not EXER_RE.fullmatch(text):
        raise ValidationError(_("The financial year must be four digits."), code="exer")
    return text


def validate_numcli(value: str) -> str:
    """The régie's PayFiP client number: six digits, as text (leading zeros matter)."""
    if not isinstance(value, str) or not NUMCLI_RE.fullmatch(value):
        raise ValidationError(_("The PayFiP client number must be six digits."), code="numcli")
    return value


def validate_saisie(value: str) -> str:
    """T (test), X (activation) or W (production)."""
    if value not in SAISIE_VALUES:
        raise ValidationError(_("The PayFiP mode must be T, X or W."), code="saisie")
    return value


def validate_return_url(value: str) -> str:
    """urlnotif / urlredirect: an absolute http(s) URL of at most 250 characters."""
    if (
        not isinstance(value, str)
        or not value.startswith(("http://", "https://"))
        or len(value) > URL_MAX_LENGTH
        or any(c.isspace() for c in value)
    ):
        raise ValidationError(
            _("The return address must be an absolute http(s) URL of at most 250 characters."),
            code="url",
        )
    return value


def validate_idop(value: str) -> str:
    """An idOp as PayFiP gives it (a UUID); anything else is refused before any call.

    Use it on the idOp read from a notification or a redirect: they are not signed.
    """
    if not isinstance(value, str) or not IDOP_RE.fullmatch(value):
        raise ValidationError(_("This payment reference is not valid."), code="idop")
    return value
