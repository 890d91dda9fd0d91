"""The credit a household can still use for the changes ticked on the planning: a hook.

The planning (here, in reservations) shows the running total of the ticked changes with
the credit that the basket will apply (billing.quote: credit applied = min(credit, amount),
amount due = the rest). The credit is billing's, an app above this one: billing registers
how it is counted from its AppConfig.ready() with count_credit_with(); until then (or in
a project without billing) there is no credit to apply.
"""

from collections.abc import Callable

from portail.families.models import Household
from portail.reservations.models import Basket

# (household, its open basket as the page already read it, or None) -> credit in cents
CreditSource = Callable[[Household, Basket | None], int]


def _no_credit(household: Household, basket: Basket | None) -> int:  # noqa: ARG001
    return 0


_source: CreditSource = _no_credit


def count_credit_with(source: CreditSource) -> CreditSource:
    """Count the credit for new changes with `source` from now on; returns the one it
    replaces. Called from the AppConfig.ready() of the app that keeps the credit."""
    global _source
    previous, _source = _source, source
    return previous


def credit_for_changes_cents(household: Household, basket: Basket | None) -> int:
    """The credit (cents, never negative) the household's next changes can use; `basket`
    is its open basket (holds.open_basket), which the page has read already."""
    return max(0, int(_source(household, basket)))
