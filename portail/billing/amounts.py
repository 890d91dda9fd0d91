"""Reading an amount of money typed by staff (the one parser of the staff's money forms).

An amount is euros written with ASCII digits and at most one decimal separator followed by
one or two digits: "12", "12,5", "12,50". A decimal point is read the same way ("12.50"),
since the English interface writes it so. Spaces around the amount are ignored; nothing
else is accepted: no exponent ("1e3" is not 1 000 €), no plus sign, no thousands
separator or space inside, no currency sign, no NaN or Infinity, no digits of other
scripts. A leading minus only where the caller allows it (a credit taken back). The
result is integer cents, within the caller's bounds.

`parse_amount_cents` raises AmountError (a translated message) for anything else;
backoffice.forms.AmountField wraps it for Django forms.
"""

import re

from django.utils.translation import gettext as _

from portail.core.money import format_cents

# At most 9 digits of euros: far beyond any bound a caller sets, and never a huge integer.
AMOUNT_RE = re.compile(r"^(-?)([0-9]{1,9})(?:[.,]([0-9]{1,2}))?$")
# Strings that cannot be an amount longer than this are refused before the pattern.
MAX_LENGTH = 20
# The default upper bound: 100 000 EUR.
DEFAULT_MAX_CENTS = 10_000_000


class AmountError(ValueError):
    """Not an amount, or out of bounds; `message` says why, in the user's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def parse_amount_cents(
    text: str,
    *,
    allow_negative: bool = False,
    min_cents: int | None = None,
    max_cents: int = DEFAULT_MAX_CENTS,
) -> int:
    """`text` ("12,50") in cents (1250). `min_cents` defaults to -max_cents when negative
    amounts are allowed, else 0. Raises AmountError."""
    if not isinstance(text, str):
        raise AmountError(_("Type an amount in euros."))
    value = text.strip()
    match = AMOUNT_RE.match(value) if len(value) <= MAX_LENGTH else None
    if match is None:
        if allow_negative:
            raise AmountError(
                _(
                    "Type an amount in euros with digits and a decimal comma, e.g. 12 or "
                    "12,50 (or -12,50 to take back)."
                )
            )
        raise AmountError(
            _("Type an amount in euros with digits and a decimal comma, e.g. 12 or 12,50.")
        )
    sign, euros, decimals = match.groups()
    if sign and not allow_negative:
        raise AmountError(_("The amount cannot be negative."))
    cents = int(euros) * 100 + int((decimals or "0").ljust(2, "0"))
    if sign:
        cents = -cents
    if min_cents is None:
        min_cents = -max_cents if allow_negative else 0
    if cents > max_cents:
        raise AmountError(
            _("The amount must be at most %(max)s.") % {"max": format_cents(max_cents)}
        )
    if cents < min_cents:
        raise AmountError(
            _("The amount must be at least %(min)s.") % {"min": format_cents(min_cents)}
        )
    return cents


def parse_cents(text: str, *, max_cents: int = DEFAULT_MAX_CENTS * 10) -> int:
    """A whole number of cents written with ASCII digits only ("370"): the amounts a page
    sends back (e.g. the amount due the staff member saw). Raises AmountError."""
    value = text.strip() if isinstance(text, str) else ""
    if not re.fullmatch(r"[0-9]{1,12}", value):
        raise AmountError(_("This amount is not valid: reload the page and try again."))
    cents = int(value)
    if cents > max_cents:
        raise AmountError(_("This amount is not valid: reload the page and try again."))
    return cents
