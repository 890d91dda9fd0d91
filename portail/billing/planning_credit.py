"""The credit the planning counts in its running total (reservations.credit_hook).

What new changes can use is what the basket they go into leaves: with an open basket,
its quote's credit left (the credit available plus its cancellations, minus what its own
reservations use); without one, the credit available (balance minus what pending payments
hold). Once per page, with the open basket and the credit available the page read
together: no query without an open basket, one for its lines with one.
"""

from portail.billing import credits
from portail.billing.quote import quote
from portail.families.models import Household
from portail.reservations.models import Basket


def credit_for_changes_cents(
    household: Household, basket: Basket | None, available: int | None = None
) -> int:
    """`basket`: the household's open basket as the page read it (holds.open_basket:
    expired on the spot when past its hold), or None; `available`: the credit available
    read with it (holds.open_with_quotients), or None to read it here."""
    if basket is not None:
        return max(0, quote(basket, available=available).credit_left_cents)
    return credits.available_cents(household) if available is None else max(0, available)
