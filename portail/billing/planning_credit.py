"""The credit the planning counts in its running total (reservations.credit_hook).

What new changes can use is what the basket they go into leaves: with an open basket,
its quote's credit left (the credit available plus its cancellations, minus what its own
reservations use); without one, the credit available (balance minus what pending payments
hold). One or two queries, once per page.
"""

from portail.billing import credits
from portail.billing.quote import quote
from portail.families.models import Household
from portail.reservations.models import Basket, BasketStatus


def credit_for_changes_cents(household: Household) -> int:
    basket = Basket.objects.filter(household=household, status=BasketStatus.OPEN).first()
    if basket is not None:
        return max(0, quote(basket).credit_left_cents)
    return credits.available_cents(household)
