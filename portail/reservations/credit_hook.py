"""The credit a household can still use for the changes ticked on the planning: a hook.

The planning (here, in reservations) shows the running total of the ticked changes with
the credit that the basket will apply (billing.quote: credit applied = min(credit, amount),
amount due = the rest). The credit is billing's, an app above this one: billing registers
from its AppConfig.ready(), with count_credit_with(), how it is counted for the planning
and how the credit available is read as a column of a query on households (so that it
comes with the household's open basket: holds.open_with_quotients). Until then (or in a
project without billing) there is no credit to apply.
"""

from collections.abc import Callable

from django.db.models import Expression, OuterRef, Value

from portail.families.models import Household
from portail.reservations.models import Basket

# (household, its open basket as the page already read it or None, the credit available
# as read with it or None) -> credit in cents
CreditSource = Callable[[Household, Basket | None, int | None], int]
# (the household of the row, e.g. OuterRef("pk") on households) -> the credit available
CreditColumn = Callable[[OuterRef], Expression]


def _no_credit(household: Household, basket: Basket | None, available: int | None) -> int:  # noqa: ARG001
    return 0


def _no_column(household: OuterRef) -> Expression:  # noqa: ARG001
    return Value(0)


_source: CreditSource = _no_credit
_column: CreditColumn = _no_column


def count_credit_with(
    source: CreditSource, column: CreditColumn
) -> tuple[CreditSource, CreditColumn]:
    """Count the credit for new changes with `source`, and read the credit available with
    `column`, from now on; returns the ones they replace. Called from the AppConfig.ready()
    of the app that keeps the credit."""
    global _source, _column
    previous = (_source, _column)
    _source, _column = source, column
    return previous


def credit_for_changes_cents(
    household: Household, basket: Basket | None, available: int | None = None
) -> int:
    """The credit (cents, never negative) the household's next changes can use; `basket`
    is its open basket (holds.open_basket), which the page has read already, `available`
    the credit available read with it (holds.open_with_quotients), else None."""
    return max(0, int(_source(household, basket, available)))


def available_credit_column(household: OuterRef) -> Expression:
    """The credit available to the household of a query's row, as a column (before its
    floor at 0): billing.credits.available_column() once billing is installed."""
    return _column(household)
